/** Messages between the main thread and the language server (type-checker, transpiler, completions). */

export interface Diagnostic {
  line: number;
  col: number;
  length: number;
  code: number;
  message: string;
}
/** `warnings`: one line each, for the cell's stderr (an import typed `any` because its package has no types). */
export type CompileResult =
  | { ok: true; js: string; map: string; warnings?: string[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * What a server knows of earlier cells, as deltas: each commit answers with what it added, and the main thread
 * keeps the sum, so a server that died is replaced by one restored to the same knowledge.
 */
export interface LanguageState {
  /** Prelude entries set, in order (a later entry for a name replaces an earlier one). */
  entries: [string, string][];
  /** Names functions and classes of cells refer to (they must stay on globalThis, see `closureNames`). */
  captured: string[];
  /** Module specifiers cells imported. */
  imports: string[];
  /** Modules already warned about as untyped. */
  untyped: string[];
}

export interface Completion {
  matches: string[];
  start: number;
  end: number;
}
/** A tooltip: plain text and Markdown (signature fenced as TypeScript, documentation as written). */
export interface Inspection {
  plain: string;
  markdown: string;
}

/** Positions in `complete`/`inspect` are UTF-16 offsets, already clamped to the code by the main thread. */
export type LanguageRequest = { seq: number } & (
  | { kind: "compile"; id: number; code: string; fileName: string; check: boolean }
  | { kind: "commit"; id: number }
  | { kind: "restore"; state: LanguageState }
  | { kind: "complete"; code: string; cursor: number; budgetMs: number }
  | { kind: "inspect"; code: string; cursor: number; budgetMs: number }
  | { kind: "isComplete"; code: string }
  | {
      kind: "warm";
      rounds?: number /** index of the first round (each round checks a cell of its own) */;
      first?: number;
    }
);

export interface LanguageResponse {
  seq: number;
  result?: unknown;
  error?: string;
}
