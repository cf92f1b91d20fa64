/** Messages between the main thread and the language worker (type-checker, transpiler, completions). */

export interface Diagnostic { line: number; col: number; length: number; code: number; message: string }
/** `warnings`: one line each, for the cell's stderr (an import typed `any` because its package has no types). */
export type CompileResult = { ok: true; js: string; map: string; warnings?: string[] } | { ok: false; diagnostics: Diagnostic[] };

export type LanguageRequest = { seq: number } & (
  | { kind: "compile"; id: number; code: string; fileName: string; check: boolean }
  | { kind: "commit"; id: number }
  | { kind: "complete"; code: string; cursor: number }
  | { kind: "inspect"; code: string; cursor: number }
  | { kind: "isComplete"; code: string }
  | { kind: "warm"; rounds?: number }
);

export interface LanguageResponse { seq: number; result?: unknown; error?: string }
