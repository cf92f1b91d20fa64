/**
 * @folio/protocol/jupyter: the Jupyter messaging protocol as both the kernel and the runner speak it (wire format
 * with HMAC signing, connection files, message shapes). The runner stays an independent client: this is the public
 * protocol, not kernel internals.
 */
export * from "./wire";
export * from "./connection";
export * from "./messages";
export * as shape from "./shape";
