/** @folio/lib: the shared numerical kernels of the Folio workbook. Import ideas by folder, e.g. `@folio/lib/snn`. */
export * as rng from "./rng";
export * as claims from "./claims";
export * as display from "./display";
export * as plot from "./plot";
