/** Output checking: sanitizers, numeric tolerance, images, diffs and the per-cell comparison. */
export {
  BUILTIN_SANITIZERS,
  BUILTIN_SANITIZER_NAMES,
  builtinSanitizers,
  compileSanitizers,
  parseSanitizeFile,
  sanitize,
  type CompiledSanitizer,
} from "./sanitize";
export { close, jsonMismatch, linesClose, textMismatch, tokenize } from "./numbers";
export { decodePng, imageMismatch, pictureMismatch, ssim, type ImageTolerance, type Picture } from "./image";
export { unifiedDiff, type DiffOptions } from "./diff";
export {
  compareNotebook,
  normaliseOutputs,
  notRecorded,
  renderOutputs,
  type CheckOptions,
  type CheckResult,
} from "./compare";
