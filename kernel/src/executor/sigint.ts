/**
 * SIGINT for a cell's synchronous code. `vm`'s `breakOnSigint` turns a SIGINT during a run into an exception
 * through Node's SIGINT watchdog, a helper thread that each run starts and joins again when no other holds it:
 * 0.5–0.8 ms of every cell's round trip on a busy 2-core machine (measured in the kernel: a trivial cell's run
 * took 0.84 ms with it, 0.035 ms without; issue 16). So the kernel holds the watchdog for its whole life, and a
 * run only registers with the running thread.
 *
 * Two consequences of holding it, both handled here. (1) A SIGINT outside any run (a client in signal interrupt
 * mode, while a cell awaits) no longer reaches a `process.on("SIGINT")` listener: the watchdog records it as
 * pending, and a poll every `POLL_MS` passes it on. (2) The watchdog's signal handler is only in place while no
 * `process.on("SIGINT")` listener exists: with one, `vm` takes the listeners off around each run, libuv then
 * resets SIGINT to its default, and a held watchdog (already started) would not install its handler again, so an
 * interrupt would kill the kernel. While a cell's code (or a package it loaded) listens for SIGINT, the hold is
 * given up and each run starts its own watchdog, as Node does by default; it is taken again once they stop.
 */
interface WatchdogBinding {
  startSigintWatchdog(): boolean;
  /** Stops one hold; true when a SIGINT arrived while no run was registered. */
  stopSigintWatchdog(): boolean;
  watchdogHasPendingSigint(): boolean;
}

/** How often a SIGINT that arrived outside a run is looked for. */
const POLL_MS = 50;

/** Node's own contextify binding (the functions its REPL uses), reached without a deprecation warning in a cell. */
function binding(): WatchdogBinding | undefined {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const b = (process as unknown as { binding(name: string): Partial<WatchdogBinding> }).binding("contextify");
    return b.startSigintWatchdog && b.stopSigintWatchdog && b.watchdogHasPendingSigint
      ? (b as WatchdogBinding)
      : undefined;
  } catch {
    return undefined;
  } finally {
    process.noDeprecation = quiet;
  }
}

export class SigintWatch {
  private readonly b = process.env.FOLIO_HOLD_SIGINT_WATCHDOG === "0" ? undefined : binding();
  private held = false;

  /** `onSigint` runs for a SIGINT that arrived while no cell code ran synchronously. */
  constructor(private readonly onSigint: () => void) {
    if (!this.b) {
      // without the binding: Node's default, a watchdog per run and a listener for the rest
      process.on("SIGINT", onSigint);
      return;
    }
    this.hold();
    setInterval(() => {
      if (!this.held || !this.b!.watchdogHasPendingSigint()) return;
      // a second hold and its release clear the pending signal (Node resets it when a hold ends)
      this.b!.startSigintWatchdog();
      if (this.b!.stopSigintWatchdog()) this.onSigint();
    }, POLL_MS).unref();
  }

  private hold(): void {
    if (!this.held && this.b && process.listenerCount("SIGINT") === 0) this.held = this.b.startSigintWatchdog();
  }

  /** Before each `breakOnSigint` run: hold the watchdog unless someone listens for SIGINT (see above). */
  beforeRun(): void {
    if (!this.b) return;
    if (process.listenerCount("SIGINT") > 0) {
      if (this.held) {
        this.held = false;
        if (this.b.stopSigintWatchdog()) this.onSigint();
      }
    } else this.hold();
  }
}
