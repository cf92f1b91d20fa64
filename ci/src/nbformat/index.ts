/** The notebook document: its types, MIME constants, text helpers, schema validation and file I/O, in one place. */
export * from "./types";
export * from "./mime";
export * from "./text";
export { validateNotebook, type SchemaProblem } from "./schema";
export { NotebookError, parseNotebook, readNotebook, readNotebookText, serializeNotebook, writeNotebook } from "./file";
