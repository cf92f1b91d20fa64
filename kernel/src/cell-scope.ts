/**
 * Interrupt means stop: the asynchronous work an interrupted cell started is fenced off, so that none of it runs
 * user code again or writes to the notebook after the cell's idle.
 *
 * Each cell runs inside its own scope, which follows the cell into its promise continuations (V8's promise hooks:
 * a promise belongs to the scope that created it) and its timers (the timer functions below). Not Node's
 * AsyncLocalStorage: its async_hooks bookkeeping makes Node abort (an assertion in InternalCallbackScope) when the
 * control thread has to terminate a cell spinning inside a promise continuation. An interrupt cancels the
 * cell's scope, and then:
 * - timers the cell created (`setTimeout`, `setInterval`, `setImmediate`, also through `node:timers`,
 *   `node:timers/promises` and `util.promisify`) never call back again, intervals are cleared;
 * - the cell's code never resumes after an `await` (the transform follows each with a check of the scope that
 *   waits for good once it is cancelled, see executor/transform.ts): its async functions stay suspended, their
 *   `finally` blocks included, and are garbage-collected; a `for await` loop stops before its next iteration;
 *   an awaited promise that rejects still throws into the cell once;
 * - output from the cell's continuations and timers (console, process.stdout/stderr, display, stray errors) is
 *   dropped.
 * Not stopped: work already handed to native code or another thread (a tfjs op, a file read, a child process, a
 * request in flight) finishes, though the cell's code awaiting it never resumes; callbacks the cell passed to
 * callback-style APIs and event listeners it attached (`fs.readFile(f, cb)`, a server's 'request', a stream's
 * 'data') still run, and what they print goes to the current cell; a `.then` callback already waiting runs
 * once, but the timers it sets do not fire; cells that completed before the interrupt keep their timers.
 */
import { syncBuiltinESMExports } from "node:module";
// the module objects themselves (not `import * as` copies): their functions are replaced in place
import timers = require("node:timers");
import timersPromises = require("node:timers/promises");
import { promisify } from "node:util";
import { promiseHooks } from "node:v8";
import { AWAIT_LIVE, AWAIT_NEVER } from "./executor/transform";

/** One cell's asynchronous context. */
export class CellScope {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
  }
}

/** The scope of the code running now (undefined: the kernel's own code). */
let current: CellScope | undefined;
const outer: (CellScope | undefined)[] = [];
/**
 * The scope a promise was created in, as a property of the promise (promises the kernel creates get none): a
 * WeakMap made an await-heavy loop 4-6x slower, the property 1.3-2.5x (measured on 200k awaits).
 */
const OWNER = Symbol("folio.cellScope");
type Owned = { [OWNER]?: CellScope };

function within<T>(scope: CellScope | undefined, fn: () => T): T {
  outer.push(current);
  current = scope;
  try {
    return fn();
  } finally {
    current = outer.pop();
  }
}

/** Runs `fn` (a cell's synchronous start) in `scope`: everything it schedules belongs to the cell. */
export function runInScope<T>(scope: CellScope, fn: () => T): T {
  return within(scope, fn);
}

/** Runs `fn` outside any cell: the kernel's own timers (an output flush) must not be fenced with a cell's. */
export function outsideCells<T>(fn: () => T): T {
  return within(undefined, fn);
}

/** True in code that belongs to an interrupted cell. */
export function inCancelledCell(): boolean {
  return current?.cancelled === true;
}

/**
 * Forgets the scope stack: after V8 terminated a spinning continuation, its `after` hook never ran. Called at the
 * top of the event loop (an interrupt is handled there), where no cell code is on the stack.
 */
export function resetScopes(): void {
  outer.length = 0;
  current = undefined;
}

const NEVER: Promise<never> = new Promise(() => {});
const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === "object" || typeof v === "function")
  && v !== null
  && typeof (v as { then?: unknown }).then === "function";

/** False in an interrupted cell's code (what the transform checks after each await). */
export function live(): boolean {
  return current?.cancelled !== true;
}

/** `v`, or for a cell interrupted by the time it settles, a promise that never settles. */
export function gate<T>(v: T, scope = current): T | Promise<Awaited<T>> {
  if (!scope) return v;
  if (scope.cancelled) return NEVER;
  if (!isThenable(v)) return v;
  return Promise.resolve(v).then(
    (x) => (scope.cancelled ? NEVER : x),
    (e: unknown) => (scope.cancelled ? NEVER : Promise.reject(e)),
  ) as Promise<Awaited<T>>;
}

type TimerFn = (callback: (...args: unknown[]) => void, ...rest: unknown[]) => unknown;

/** A timer function whose callbacks created in a cell do nothing (and clear their timer) once the cell is cancelled. */
function fenced(real: TimerFn, clear: (t: unknown) => void): TimerFn {
  const wrapped = function (this: unknown, callback: unknown, ...rest: unknown[]) {
    const scope = current;
    if (!scope || typeof callback !== "function") return real.call(this, callback as never, ...rest);
    const timer = real.call(
      this,
      function (this: unknown, ...args: unknown[]) {
        if (scope.cancelled) {
          clear(timer);
          return;
        }
        return within(scope, () => (callback as (...a: unknown[]) => unknown).apply(this, args));
      },
      ...rest,
    );
    return timer;
  };
  for (const key of Reflect.ownKeys(real)) {
    if (key !== "length" && key !== "name" && key !== "prototype" && key !== promisify.custom)
      Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(real, key)!);
  }
  return wrapped;
}

/** A promise-returning timer whose promise, created in a cell, never settles once the cell is cancelled. */
function fencedPromise<A extends unknown[], R>(real: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return (...a: A) => {
    const scope = current;
    const p = real(...a);
    return scope ? (gate(p, scope) as Promise<R>) : p;
  };
}

let installed = false;

/** Installs the fences: the timer functions on globalThis and in node:timers, and the await gate. */
export function installFences(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string | symbol, unknown>;
  const tp = timersPromises as unknown as Record<string, unknown>;
  const sleep = fencedPromise(timersPromises.setTimeout);
  const immediate = fencedPromise(timersPromises.setImmediate);
  const replaced: Record<string, TimerFn> = {
    setTimeout: fenced(timers.setTimeout as unknown as TimerFn, (t) => timers.clearTimeout(t as NodeJS.Timeout)),
    setInterval: fenced(timers.setInterval as unknown as TimerFn, (t) => timers.clearInterval(t as NodeJS.Timeout)),
    setImmediate: fenced(timers.setImmediate as unknown as TimerFn, (t) =>
      timers.clearImmediate(t as NodeJS.Immediate),
    ),
  };
  Object.defineProperty(replaced.setTimeout, promisify.custom, { value: sleep, configurable: true });
  Object.defineProperty(replaced.setImmediate, promisify.custom, { value: immediate, configurable: true });
  const t = timers as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(replaced)) {
    g[name] = fn;
    t[name] = fn;
  }
  tp.setTimeout = sleep;
  tp.setImmediate = immediate;
  // ES-module importers of node:timers see the same functions
  syncBuiltinESMExports();
  g[AWAIT_LIVE] = live;
  g[AWAIT_NEVER] = NEVER;
  // a promise belongs to the scope it was created in; its reactions (then callbacks, await continuations) run in it
  promiseHooks.createHook({
    // at init nothing else has seen the promise yet, so it is still extensible
    init(promise) {
      if (current) (promise as Owned)[OWNER] = current;
    },
    before(promise) {
      outer.push(current);
      current = (promise as Owned)[OWNER];
    },
    after() {
      current = outer.pop();
    },
  });
}
