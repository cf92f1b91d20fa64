/**
 * The kernel's process-wide hooks, installed once: a cell's stray rejection or a throw in one of its timers is
 * reported (to the running cell's stderr, or the kernel log) instead of taking the process, and every variable,
 * down; and a cell's `process.exit(n)` closes the control thread's sockets first, so the kernel exits with `n`
 * (exiting while that thread still holds ZeroMQ sockets aborts Node with SIGABRT).
 */
export interface ProcessHooks {
  /** Reports an uncaught error; `kind` names how it escaped. */
  report(kind: "Uncaught" | "Uncaught (in promise)", error: unknown): void;
  /** Runs synchronously before any exit (process.exit never returns). */
  beforeExit(): void;
}

/** Symbol.for key of the function that clears Node's async id stack (used by the control thread before it terminates a cell). */
export const CLEAR_ASYNC_IDS = "folio.clearAsyncIdStack";

/** Node's own async_wrap binding, reached once at start-up without its deprecation warning reaching a cell. */
function asyncIdStackClearer(): (() => void) | undefined {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return (process as unknown as { binding(name: string): { clearAsyncIdStack?: () => void } }).binding("async_wrap")
      .clearAsyncIdStack;
  } catch {
    return undefined;
  } finally {
    process.noDeprecation = quiet;
  }
}

export function installProcessHooks(hooks: ProcessHooks): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(CLEAR_ASYNC_IDS)] = asyncIdStackClearer();
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    hooks.beforeExit();
    exit(code ?? undefined);
  }) as typeof process.exit;
  process.on("unhandledRejection", (e) => hooks.report("Uncaught (in promise)", e));
  process.on("uncaughtException", (e) => hooks.report("Uncaught", e));
}
