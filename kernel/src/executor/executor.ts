/**
 * Runs cells: source text in, outputs to a sink, an outcome out. Cells are type-checked and transpiled by the
 * language worker, then run as `(async () => { … })()` in the main realm with `vm` (a separate context would
 * break `instanceof` between the cell and packages such as tfjs). State lives on `globalThis`.
 *
 * Interrupts: the loops of a cell's top-level code check the shared `INTERRUPT` flag on each iteration and throw
 * `Interrupted` (transform.ts), so the cell's `finally` blocks run and its top-level locals are written back. Code
 * the transform does not reach (a loop in a function or a package) is stopped the hard way: the synchronous part
 * of a cell runs under `breakOnSigint`, so a SIGINT (from Jupyter in signal mode, or from the control thread in
 * message mode when the flag has not stopped the cell) terminates it; a cell waiting on a promise is abandoned
 * (its promise is raced against the interrupt). Either way, everything assigned to globals so far stays.
 */
import * as vm from "node:vm";
import { createRequire } from "node:module";
import * as path from "node:path";
import { decodeMappings } from "./sourcemap";
import {
  errorContent,
  internalErrorContent,
  interruptContent,
  stripAnsi,
  typeErrorContent,
  type CellSource,
} from "./traceback";
import { importMeta, makeImporter } from "./imports";
import { IMPORT_HELPER, IMPORT_META, INTERRUPT_FLAG, INTERRUPT_THROW } from "./transform";
import type { Language } from "./language";
import type { CompileResult } from "./language-protocol";
import type { ErrorContent } from "@folio/protocol/jupyter";
import { ACK, IDLE, INTERRUPT, PENDING, SEQ, STATE, SYNC } from "../shared-flags";
import { SigintWatch } from "./sigint";
import { CellScope, resetScopes, runInScope } from "../cell-scope";

export type Outcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | ({ status: "error"; interrupted?: boolean } & ErrorContent);

export class Interrupted extends Error {
  constructor() {
    super("Execution interrupted");
    this.name = "Interrupt";
  }
}

export class Executor {
  private seq = 0;
  /** Round trip of the last compile through the language worker (for FOLIO_DEBUG_LOG). */
  compileMs = 0;
  private readonly cells = new Map<string, CellSource>();
  private interruptCurrent: (() => void) | undefined;
  /** The running cell's async scope: an interrupt cancels it, so its timers and awaits never run again (../cell-scope.ts). */
  private scope: CellScope | undefined;
  /** An interrupt that arrived while the cell was still being checked: it will not run. */
  private interruptedBeforeRun = 0;
  private stopped = false;
  private readonly sigint: SigintWatch;
  readonly typecheck: boolean;

  constructor(
    readonly dir: string,
    private readonly lang: () => Language,
    private readonly flags: Int32Array,
  ) {
    this.typecheck = process.env.FOLIO_TYPECHECK !== "0";
    const g = globalThis as Record<string, unknown>;
    g[IMPORT_HELPER] = makeImporter(dir);
    g.require = createRequire(path.join(dir, "__folio_notebook__.js"));
    g.__dirname = dir;
    g.__filename = path.join(dir, "__folio_notebook__.js");
    g[IMPORT_META] = importMeta(dir, g.__filename as string);
    // what the interrupt checks of a cell's loops read and call (not enumerable: a cell's `Object.keys(globalThis)` stays the user's)
    Object.defineProperty(g, INTERRUPT_FLAG, {
      value: new Int32Array(flags.buffer, INTERRUPT * Int32Array.BYTES_PER_ELEMENT, 1),
      configurable: true,
    });
    Object.defineProperty(g, INTERRUPT_THROW, {
      value: () => {
        throw new Interrupted();
      },
      configurable: true,
    });
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 30);
    this.sigint = new SigintWatch(() => this.interrupt());
  }

  /** A plain traceback for an error raised outside any cell's own promise (timers, stray rejections): it goes to a stream or a log. */
  describe(e: unknown): string[] {
    return errorContent(e, this.cells).traceback.map(stripAnsi);
  }

  /** Interrupts the running cell (if `seq` is given, only when that cell is still the one running). */
  interrupt(seq?: number): void {
    if (seq !== undefined && seq !== this.seq) return;
    Atomics.store(this.flags, INTERRUPT, 1);
    Atomics.add(this.flags, ACK, 1);
    this.scope?.cancel();
    resetScopes();
    if (this.interruptCurrent) this.interruptCurrent();
    else {
      // still being checked: the check is stopped now, not when it ends
      this.interruptedBeforeRun = this.seq;
      this.lang().abort(this.seq);
    }
  }

  /** No cell starts running after this (the kernel is shutting down); one still being checked ends as interrupted. */
  stop(): void {
    this.stopped = true;
  }

  async execute(code: string, label: string, opts: { check?: boolean; commit?: boolean } = {}): Promise<Outcome> {
    const seq = ++this.seq;
    Atomics.store(this.flags, SEQ, seq);
    const file = `__folio_cell_${seq}__.js`;
    const tc = performance.now();
    let compiled: CompileResult;
    try {
      compiled = await this.lang().compile(seq, code, label, (opts.check ?? true) && this.typecheck);
    } catch (e) {
      if (this.interruptedBeforeRun === seq || this.stopped) return interruptedOutcome(label);
      return { status: "error", ...internalErrorContent(label, (e as Error).message) };
    }
    this.compileMs = performance.now() - tc;
    if (!compiled.ok) return { status: "error", ...typeErrorContent(compiled.diagnostics, code, label) };
    if (this.interruptedBeforeRun === seq || this.stopped) return interruptedOutcome(label);
    // to the cell's stderr, like a runtime warning
    for (const w of compiled.warnings ?? []) process.stderr.write(`${w}\n`);
    const map = compiled.map ? decodeMappings((JSON.parse(compiled.map) as { mappings: string }).mappings) : [];
    this.cells.set(file, { label, code, map });
    const commit = () => {
      if (opts.commit ?? true)
        void this.lang()
          .commit(seq)
          .catch(() => {});
    };

    let script: vm.Script;
    try {
      script = new vm.Script(`(async () => {\n${compiled.js}\n})()`, { filename: file });
    } catch (e) {
      return { status: "error", ...errorContent(e, this.cells) };
    }
    Atomics.store(this.flags, SEQ, seq);
    Atomics.store(this.flags, INTERRUPT, 0);
    let interrupted!: Promise<{ kind: "interrupt" }>;
    interrupted = new Promise((resolve) => {
      this.interruptCurrent = () => resolve({ kind: "interrupt" });
    });
    let result: { kind: "ok"; v: unknown } | { kind: "error"; e: unknown } | { kind: "interrupt" };
    const scope = (this.scope = new CellScope());
    try {
      this.sigint.beforeRun();
      Atomics.store(this.flags, STATE, SYNC);
      let running: Promise<unknown>;
      try {
        running = runInScope(
          scope,
          () => script.runInThisContext({ breakOnSigint: true, displayErrors: false }) as Promise<unknown>,
        );
      } finally {
        Atomics.store(this.flags, STATE, PENDING);
      }
      result = await Promise.race([
        running.then(
          (v) => ({ kind: "ok" as const, v }),
          (e) => ({ kind: "error" as const, e }),
        ),
        interrupted,
      ]);
    } catch (e) {
      const sigint = (e as NodeJS.ErrnoException)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
      result = sigint ? { kind: "interrupt" } : { kind: "error", e };
    } finally {
      Atomics.store(this.flags, STATE, IDLE);
      this.interruptCurrent = undefined;
      this.scope = undefined;
    }
    // a SIGINT inside synchronous code, or the check of a loop, throws in the cell without calling interrupt()
    if (result.kind === "error" && result.e instanceof Interrupted) result = { kind: "interrupt" };
    if (result.kind === "interrupt") scope.cancel();
    commit();
    if (result.kind === "interrupt") return interruptedOutcome(label);
    if (result.kind === "error") return { status: "error", ...errorContent(result.e, this.cells) };
    const box = result.v as { value: unknown } | undefined;
    return box && typeof box === "object" && "value" in box
      ? { status: "ok", hasValue: true, value: box.value }
      : { status: "ok", hasValue: false };
  }
}

function interruptedOutcome(label: string): Outcome {
  return { status: "error", interrupted: true, ...interruptContent(label) };
}
