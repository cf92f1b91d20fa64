/**
 * The TypeScript side of the kernel: type-checks cells against everything earlier cells declared, transpiles
 * them for execution, and answers completion, inspection and is_complete. It runs outside the main thread, in a
 * process started from a V8 snapshot (`language-snapshot.ts`) or else on a worker thread (`language-worker.ts`),
 * so the main thread never loads the compiler and stays free while a program is (re)built.
 *
 * Each cell is checked as one virtual module `<notebook dir>/__folio_cell__.mts` (`cell-layout.ts`). After a
 * successful check the program's declaration emit gives the cell's own `declare` statements
 * (`prelude-entries.ts`); they enter the prelude when the main thread reports that the cell ran (commit).
 */
import * as fs from "node:fs";
import type * as TS from "typescript";
import { transpileCell } from "./transform";
import { emitCheckedCell } from "./cell-emit";
import { createCellHost, type Shared } from "./language-host";
import { layout, lineCol, toCell, type Layout, type Prelude } from "./cell-layout";
import { emitEntries, importEntries } from "./prelude-entries";
import { complete, inspect } from "./editor";
import { isComplete } from "./is-complete";
import type { LanguageRequest, LanguageResponse, CompileResult, Diagnostic, LanguageState } from "./language-protocol";

export { compilerOptions, newShared, type Shared } from "./language-host";

export interface ServerInit {
  dir: string;
  globalsDts: string;
  shared: Shared;
  /** Called once the warm-up check is done (the worker saves its V8 code cache then). */
  afterWarm?: () => void;
  /** When the process or thread started (Date.now()), for the warm reply's load time. */
  startedAt?: number;
}

/** TS7016 "Could not find a declaration file for module …": the module resolved to JavaScript without types. */
const UNTYPED_MODULE = 7016;

function untypedWarning(spec: string): string {
  const bare = !spec.startsWith(".") && !spec.startsWith("/");
  const [a, b] = spec.split("/");
  const types = `@types/${a.startsWith("@") ? `${a.slice(1)}__${b}` : a}`;
  return `warning: "${spec}" has no type declarations, so its import is typed any${bare ? ` (npm i -D ${types} adds them, where that package exists)` : ""}`;
}

const clamp = (cursor: number, code: string) => Math.max(0, Math.min(code.length, Math.trunc(cursor) || 0));

const DEBUG = process.env.FOLIO_DEBUG_LOG;
const debug = (text: string) => {
  if (DEBUG) fs.appendFileSync(DEBUG, `${text}\n`);
};

/** A language server for one notebook directory: request in, result out (throws on failure). */
export function createLanguageServer(
  ts: typeof TS,
  init: ServerInit,
): (req: LanguageRequest) => LanguageResponse["result"] {
  const t0 = init.startedAt ?? Date.now();
  const host = createCellHost(ts, init.shared, init.dir, init.globalsDts);
  const { ls } = host;
  const CELL = host.cell;
  const prelude: Prelude = new Map();
  /** Per checked cell: its layout until its declarations are computed, then its prelude entries. */
  const pending = new Map<number, Layout | Map<string, string>>();
  /** Names earlier cells' functions and classes refer to (see `closureNames`). */
  const captured = new Set<string>();

  /** Modules already reported as untyped (once per session). */
  const untyped = new Set<string>();

  /** The cell's errors; an import of a package without types is a warning instead (strict mode is for the cell's own code). */
  function diagnostics(l: Layout, code: string, untypedSpecs: string[]): Diagnostic[] {
    const all = [...ls.getSyntacticDiagnostics(CELL), ...ls.getSemanticDiagnostics(CELL)];
    const out: Diagnostic[] = [];
    for (const d of all) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      if (d.start === undefined || d.start < l.cellStart) continue;
      if (d.code === UNTYPED_MODULE) {
        const spec = l.text.slice(d.start + 1, d.start + (d.length ?? 2) - 1);
        if (!untyped.has(spec)) {
          untyped.add(spec);
          untypedSpecs.push(spec);
        }
        continue;
      }
      const start = toCell(l, d.start - l.cellStart);
      const end = toCell(l, d.start - l.cellStart + (d.length ?? 0));
      const { line, col } = lineCol(code, start);
      out.push({
        line,
        col,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        length: Math.max(1, end - start),
      });
    }
    return out;
  }

  /** Declarations of the cell's own top-level names, from the checked program's declaration emit. */
  function declarationEntries(l: Layout): Map<string, string> {
    const t0 = performance.now();
    const entries = new Map<string, string>();
    host.setVirtual(CELL, l.text);
    try {
      importEntries(ts, l, entries);
      const out = ls.getEmitOutput(CELL, true, true).outputFiles.find((f) => f.name.endsWith(".d.mts"));
      if (out) emitEntries(ts, l, out.text, entries);
    } catch (e) {
      debug(`declarations failed: ${e}`);
    }
    for (const n of l.names) if (!entries.has(n)) entries.set(n, `declare let ${n}: any;`);
    debug(`declarations ${(performance.now() - t0).toFixed(0)} ms`);
    return entries;
  }

  function compile(id: number, code: string, fileName: string, check: boolean): CompileResult {
    const t0 = performance.now();
    const l = layout(ts, prelude, code);
    host.addImports(l.specs);
    host.setVirtual(CELL, l.text);
    let t1 = performance.now(),
      t2 = t1;
    const fresh: string[] = [];
    if (check) {
      const diags = diagnostics(l, code, fresh);
      t2 = performance.now();
      if (diags.length) {
        host.clearResolutions();
        for (const spec of fresh) untyped.delete(spec); // warned when the cell checks
        return { ok: false, diagnostics: diags };
      }
    }
    // a checked cell is emitted by the program that checked it; an unchecked one (user_expressions) is only transpiled
    const { js, map } = check
      ? emitCheckedCell(ts, ls.getProgram()!, CELL, l, code, captured)
      : transpileCell(ts, code, fileName, captured);
    const t3 = performance.now();
    if (check && l.names.size) {
      // Computed after the reply, while the main thread runs the cell (or at commit, whichever comes first).
      pending.set(id, l);
      setImmediate(() => {
        if (pending.get(id) === l) pending.set(id, declarationEntries(l));
      });
    }
    debug(
      `cell ${id}: layout ${(t1 - t0).toFixed(0)} check ${(t2 - t1).toFixed(0)} transpile ${(t3 - t2).toFixed(0)} ms; prelude ${l.cellStart} chars; files ${ls.getProgram()?.getSourceFiles().length}`,
    );
    return fresh.length ? { ok: true, js, map, warnings: fresh.map(untypedWarning) } : { ok: true, js, map };
  }

  /** How much of `captured`, the imports and `untyped` the last state delta covered (sets keep insertion order). */
  const reported = { captured: 0, imports: 0, untyped: 0 };

  /** Settles the cell's declarations into the prelude; answers what the server learnt since the last commit. */
  function commit(id: number): LanguageState {
    const p = pending.get(id);
    // only this cell and older uncommitted ones (failed or interrupted cells) are settled here
    for (const k of [...pending.keys()]) if (k <= id) pending.delete(k);
    const entries = !p ? new Map<string, string>() : p instanceof Map ? p : declarationEntries(p);
    for (const [name, text] of entries) {
      prelude.delete(name);
      prelude.set(name, text);
    }
    const imports = host.imports();
    const delta: LanguageState = {
      entries: [...entries],
      captured: [...captured].slice(reported.captured),
      imports: imports.slice(reported.imports),
      untyped: [...untyped].slice(reported.untyped),
    };
    Object.assign(reported, { captured: captured.size, imports: imports.length, untyped: untyped.size });
    return delta;
  }

  /** A fresh server takes over what a dead one knew. */
  function restore(state: LanguageState): void {
    for (const [name, text] of state.entries) {
      prelude.delete(name);
      prelude.set(name, text);
    }
    for (const n of state.captured) captured.add(n);
    for (const n of state.untyped) untyped.add(n);
    host.addImports(state.imports);
    Object.assign(reported, { captured: captured.size, imports: host.imports().length, untyped: untyped.size });
  }

  /** An editor request within its time budget: past it, TypeScript stops where it checks for cancellation. */
  function budgeted<T>(budgetMs: number, run: () => T, abandoned: T): T {
    host.deadline = performance.now() + budgetMs;
    try {
      return run();
    } catch (e) {
      if (e instanceof ts.OperationCanceledException) {
        debug(`editor request abandoned after ${budgetMs} ms`);
        return abandoned;
      }
      throw e;
    } finally {
      host.deadline = 0;
    }
  }

  function handle(req: LanguageRequest): LanguageResponse["result"] {
    switch (req.kind) {
      case "compile":
        return compile(req.id, req.code, req.fileName, req.check);
      case "commit":
        return commit(req.id);
      case "restore":
        restore(req.state);
        return null;
      case "complete":
        return budgeted(req.budgetMs, () => complete(ts, host, prelude, req.code, clamp(req.cursor, req.code)), {
          matches: [],
          start: req.cursor,
          end: req.cursor,
        });
      case "inspect":
        return budgeted(
          req.budgetMs,
          () => inspect(ts, host, prelude, req.code, clamp(req.cursor, req.code)) ?? null,
          null,
        );
      case "isComplete":
        return isComplete(ts, req.code);
      case "warm": {
        const t = Date.now();
        // Each round checks, transpiles and emits declarations for a small cell: V8 compiles the checker's hot
        // paths during the first rounds, so later rounds (and the user's first cells) take a fraction of the first.
        const first = req.first ?? 0;
        for (let i = first; i < first + Math.max(1, req.rounds ?? 1); i++) {
          compile(-1, `const __folio_warm${i}: number = ${i};\n__folio_warm${i} + 1\n`, "warm.ts", true);
          const p = pending.get(-1);
          pending.delete(-1); // never touch real cells' pending declarations: warm may run between a compile and its commit
          if (p && !(p instanceof Map)) declarationEntries(p);
        }
        const warmMs = Date.now() - t;
        if (init.afterWarm && first === 0) setImmediate(init.afterWarm);
        return { loadMs: t - t0, warmMs };
      }
    }
  }

  return handle;
}

/** Answers requests arriving on `port` (a worker's parentPort or a child process's IPC channel), in order. */
export function serve(
  handle: (req: LanguageRequest) => LanguageResponse["result"],
  port: { on(e: "message", f: (req: LanguageRequest) => void): unknown },
  post: (res: LanguageResponse) => void,
): void {
  port.on("message", (req: LanguageRequest) => {
    let res: LanguageResponse;
    try {
      res = { seq: req.seq, result: handle(req) };
    } catch (e) {
      // The reason only: the stack names the server's files (the snapshot's loader, the compiler), not the user's.
      const err = e as Error;
      debug(`${req.kind} failed: ${err?.stack ?? e}`);
      res = { seq: req.seq, error: err instanceof Error ? `${err.name}: ${err.message}` : String(e) };
    }
    post(res);
  });
}
