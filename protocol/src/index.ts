/** @folio/protocol: the contracts that cross Folio's package boundaries, each with one type and one parser. */
export * from "./claims";
