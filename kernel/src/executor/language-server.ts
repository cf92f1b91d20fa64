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
import { createCheckerReuse } from "./checker-reuse";
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

/** Checks by the reused checker in the first warm-up round (read at run time, as `debug` below). */
const reuseWarmRounds = () => Number(process.env.FOLIO_REUSE_WARM ?? 16);

const clamp = (cursor: number, code: string) => Math.max(0, Math.min(code.length, Math.trunc(cursor) || 0));

/**
 * Read when logging, not when this module loads: the snapshot's copy was loaded when the blob was built. A
 * function is called only when logging (the compile line asks the language service for its program, which
 * would otherwise be built for an unchecked compile too).
 */
const debug = (text: string | (() => string)) => {
  const file = process.env.FOLIO_DEBUG_LOG;
  if (file) fs.appendFileSync(file, `${typeof text === "function" ? text() : text}\n`);
};

/** A language server: request in, result out (throws on failure); `reuse` counts the checks a reused checker took. */
export type LanguageServer = ((req: LanguageRequest) => LanguageResponse["result"]) & {
  reuse: { reused: number; declined: number };
};

/** A language server for one notebook directory. */
export function createLanguageServer(ts: typeof TS, init: ServerInit): LanguageServer {
  const t0 = init.startedAt ?? Date.now();
  const host = createCellHost(ts, init.shared, init.dir, init.globalsDts);
  const { ls } = host;
  const CELL = host.cell;
  const prelude: Prelude = new Map();
  /** Per checked cell: its layout until its declarations are computed, then its prelude entries. */
  const pending = new Map<number, Layout | Map<string, string>>();
  const reuse = createCheckerReuse(ts, { dir: init.dir, cell: CELL, imports: host.importsFile }, () => ls.getProgram());
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

  /**
   * Declarations of the cell's own top-level names, from the declaration emit of the cell's own program, also for
   * a cell a reused checker checked: a long-lived checker prints a union's members in the order their types were
   * first created (notebook 11: `(number[] | Float32Array)[]` for `(Float32Array | number[])[]`), and these
   * declarations are what later cells are checked against and shown. That program checks the cell first (a
   * no-op when it is the one that checked it): the emit's type order follows the check's.
   */
  function declarationEntries(l: Layout): Map<string, string> {
    const t0 = performance.now();
    const entries = new Map<string, string>();
    host.setVirtual(CELL, l.text);
    try {
      importEntries(ts, l, entries);
      ls.getSemanticDiagnostics(CELL);
      const dts = ls.getEmitOutput(CELL, true, true).outputFiles.find((f) => f.name.endsWith(".d.mts"))?.text;
      if (dts !== undefined) emitEntries(ts, l, dts, entries);
    } catch (e) {
      debug(`declarations failed: ${(e as Error)?.stack ?? e}`);
    }
    for (const n of l.names) if (!entries.has(n)) entries.set(n, `declare let ${n}: any;`);
    debug(`declarations ${(performance.now() - t0).toFixed(0)} ms`);
    return entries;
  }

  function compile(id: number, code: string, fileName: string, check: boolean, ownProgram = false): CompileResult {
    const t0 = performance.now();
    const l = layout(ts, prelude, code);
    const reused = check && !ownProgram ? reuse.check(l, host.imported) : undefined;
    if (reused) {
      const { js, map } = reused.withResolutions(() =>
        emitCheckedCell(ts, reused.program, reused.sf, l, code, captured),
      );
      if (l.names.size) later(id, l);
      debug(`cell ${id}: checked by a reused checker in ${(performance.now() - t0).toFixed(1)} ms`);
      return { ok: true, js, map };
    }
    // A package imported untyped earlier may have got its types since (`npm i -D @types/x`): look again.
    if (host.addImports(l.specs) && untyped.size) host.clearResolutions();
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
    const program = check ? ls.getProgram()! : undefined;
    const { js, map } = program
      ? emitCheckedCell(ts, program, program.getSourceFile(CELL)!, l, code, captured)
      : transpileCell(ts, code, fileName, captured);
    const t3 = performance.now();
    if (check && l.names.size) later(id, l);
    debug(
      () =>
        `cell ${id}: layout ${(t1 - t0).toFixed(0)} check ${(t2 - t1).toFixed(0)} transpile ${(t3 - t2).toFixed(0)} ms; prelude ${l.cellStart} chars; files ${ls.getProgram()?.getSourceFiles().length}`,
    );
    return fresh.length ? { ok: true, js, map, warnings: fresh.map(untypedWarning) } : { ok: true, js, map };
  }

  /** The cell's declarations, computed after the reply while the main thread runs the cell (or at commit, whichever comes first). */
  function later(id: number, l: Layout): void {
    pending.set(id, l);
    setImmediate(() => {
      if (pending.get(id) === l) pending.set(id, declarationEntries(l));
    });
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
          // even rounds in a program of their own, odd ones by the reused checker: a cell may take either path
          compile(-1, `const __folio_warm${i}: number = ${i};\n__folio_warm${i} + 1\n`, "warm.ts", true, i % 2 === 0);
          const p = pending.get(-1);
          pending.delete(-1); // never touch real cells' pending declarations: warm may run between a compile and its commit
          if (p && !(p instanceof Map)) declarationEntries(p);
          // The first round also runs the reused checker's path a few times (~0.5-1 ms each while cold): a
          // session's first cells are checked that way, and the next rounds wait for an idle moment that a
          // client sending cells back to back never leaves.
          if (i === 0) for (let k = 0, n = reuseWarmRounds(); k < n; k++) compile(-1, `${k} + 1\n`, "warm.ts", true);
        }
        const warmMs = Date.now() - t;
        if (init.afterWarm && first === 0) setImmediate(init.afterWarm);
        return { loadMs: t - t0, warmMs };
      }
    }
  }

  return Object.assign(handle, { reuse: reuse.stats });
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
