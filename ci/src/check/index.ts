/** Output checking: sanitizers, numeric tolerance, diffs and the per-cell comparison. */
export { BUILTIN_SANITIZERS, compileSanitizers, sanitize, type CompiledSanitizer } from "./sanitize";
export { close, jsonMismatch, linesClose, textMismatch, tokenize } from "./numbers";
export { unifiedDiff, type DiffOptions } from "./diff";
export { compareNotebook, normaliseOutputs, renderOutputs, type CheckOptions } from "./compare";
