/**
 * Reading from the front end (messaging spec, "Messages on the stdin ROUTER/DEALER channel"): `prompt()`,
 * `confirm()` and `prompt.password()` as cell globals with the Web signatures (Deno's convention), synchronous
 * inside a cell, and `process.stdin` as a stream fed by the same `input_request`s (so `readline` works).
 *
 * With `allow_stdin: false` (nbclient, papermill, the Folio runner) nothing is asked: `prompt` returns `null`,
 * `confirm` `false`, `process.stdin` ends at once, and each says so on stderr instead of hanging the cell.
 * An interrupt while a prompt waits stops the cell (the wait is an `Atomics.wait`, which V8's termination and
 * the SIGINT watchdog both break) and keeps every variable; a late reply to the abandoned request is dropped.
 */
import * as path from "node:path";
import { Readable } from "node:stream";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { ConnectionInfo, Header, Message } from "@folio/protocol/jupyter";
import type { FromStdin, StdinWorkerData, ToStdin } from "./stdin-worker";

export const INPUT_DTS = `
/** Asks the front end for a line of text (Web signature): the reply, \`defaultValue\` for an empty reply, or null
 * when the front end takes no input (allow_stdin false). Blocks the cell until answered. */
declare function prompt(message?: string, defaultValue?: string): string | null;
declare namespace prompt {
  /** Like prompt, with the input hidden (a password field). */
  function password(message?: string): string | null;
}
/** Asks a yes/no question (\`message [y/N]\`): true for y or yes; false otherwise or without input. */
declare function confirm(message?: string): boolean;
`;

/** Where the request being executed came from: routing ids and header (for the parent), and allow_stdin. */
export interface InputContext {
  ids: Buffer[];
  header: Header;
  allowStdin: boolean;
}

export class Stdin {
  private worker: Worker | undefined;
  private readonly port: MessagePort;
  private readonly data: StdinWorkerData;
  private readonly counter = new Int32Array(new SharedArrayBuffer(8));
  private seq = 0;
  private readonly waiting = new Map<number, (v: string | undefined) => void>();
  /** The execute request running now (set by the kernel), or undefined between cells. */
  context: InputContext | undefined;

  constructor(
    info: ConnectionInfo,
    session: string,
    private readonly log: (text: string) => void,
    private readonly stderr: (text: string) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.data = { info, session, shared: this.counter.buffer as SharedArrayBuffer, port: port2 };
    this.port.on("message", (m: FromStdin) => this.receive(m));
    this.port.unref();
  }

  /**
   * Starts the thread that binds the stdin socket (once; the kernel does so after its first reply, so that the
   * thread's start does not delay that reply, and a read before then starts it itself).
   */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker(path.join(__dirname, "stdin-worker.js"), {
      workerData: this.data,
      transferList: [this.data.port],
    });
    this.worker.unref();
    this.worker.on("error", (e) => this.log(`stdin worker: ${e.stack ?? e}`));
  }

  private receive(m: FromStdin): void {
    if (m.type === "log") this.log(m.text);
    else if (m.type === "reply") {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.(m.value);
    }
  }

  /** Can the current request ask? If not, says so on stderr (naming `what`) and returns false. */
  private allowed(what: string): InputContext | undefined {
    const ctx = this.context;
    if (ctx?.allowStdin) return ctx;
    const why = ctx ? "the front end does not accept input (allow_stdin is false)" : "no cell is running";
    this.stderr(`${what}: ${why}, so nothing was asked\n`);
    return undefined;
  }

  private post(ctx: InputContext, prompt: string, password: boolean): number {
    this.start();
    const id = ++this.seq;
    const msg: ToStdin = { type: "request", id, ids: ctx.ids, parent: ctx.header, prompt, password };
    this.port.postMessage(msg);
    return id;
  }

  /** Blocks until the front end answers; undefined when the request may not ask. */
  readSync(prompt: string, password: boolean, what: string): string | undefined {
    const ctx = this.allowed(what);
    if (!ctx) return undefined;
    flushStdio();
    const seen = Atomics.load(this.counter, 0);
    const id = this.post(ctx, prompt, password);
    for (;;) {
      // Woken by the worker's notify; the timeout only bounds how long a missed wake-up could stall.
      if (Atomics.load(this.counter, 0) === seen) Atomics.wait(this.counter, 0, seen, 1000);
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const r = m.message as FromStdin;
        if (r.type === "reply" && r.id === id) return r.value;
        this.receive(r);
      }
    }
  }

  /** The same without blocking the thread (for `process.stdin`). */
  read(prompt: string, password: boolean, what: string): Promise<string | undefined> {
    const ctx = this.allowed(what);
    if (!ctx) return Promise.resolve(undefined);
    flushStdio();
    return new Promise((resolve) => {
      this.waiting.set(this.post(ctx, prompt, password), resolve);
    });
  }

  /** The cell ended: reads still waiting end quietly (their stream ends; the next cell gets a new one). */
  endCell(): void {
    this.context = undefined;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w(undefined);
  }

  /**
   * Closes the stdin socket and waits (at most 10 s, as protocol/control.ts: the worker may still be starting)
   * until it is closed: a process that exits while a worker still holds a ZeroMQ socket aborts (SIGABRT instead
   * of its exit code).
   */
  closeSync(): void {
    if (!this.worker || Atomics.load(this.counter, 1) === 1) return;
    this.port.postMessage({ type: "close" } satisfies ToStdin);
    Atomics.wait(this.counter, 1, 0, 10000);
  }
}

/** Output written before a question must reach the front end before the input box appears. */
let flushStdio: () => void = () => {};
export function setStdioFlush(f: () => void): void {
  flushStdio = f;
}

/** Installs `prompt`, `prompt.password`, `confirm` and a `process.stdin` that asks the front end. */
export function installInput(stdin: Stdin): void {
  const g = globalThis as Record<string, unknown>;
  const prompt = (message = "Prompt", defaultValue?: string): string | null => {
    const shown = defaultValue !== undefined ? `${message} [${defaultValue}] ` : `${message} `;
    const v = stdin.readSync(shown, false, "prompt()");
    if (v === undefined) return null;
    return v === "" && defaultValue !== undefined ? defaultValue : v;
  };
  g.prompt = Object.assign(prompt, {
    password: (message = "Password") => stdin.readSync(`${message} `, true, "prompt.password()") ?? null,
  });
  g.confirm = (message = "Confirm") =>
    /^\s*y(es)?\s*$/i.test(stdin.readSync(`${message} [y/N] `, false, "confirm()") ?? "");
  // One stream per cell: a stream that ended (input refused) must not stay ended for later cells.
  let current: { context: InputContext | undefined; stream: Readable } | undefined;
  Object.defineProperty(process, "stdin", {
    configurable: true,
    enumerable: true,
    get: () => {
      if (!current || current.context !== stdin.context)
        current = { context: stdin.context, stream: frontEndStdin(stdin) };
      return current.stream;
    },
  });
}

/**
 * `process.stdin` for a kernel: a read asks the front end for a line (what was printed just before, such as
 * readline's question, stays above the input box). The request waits one turn of the event loop and is not sent
 * if by then nobody reads (readline closed after its answer), so a front end is asked only when code waits.
 * Without input allowed the stream ends at once, with a message.
 */
function frontEndStdin(stdin: Stdin): Readable {
  const stream: Readable = new Readable({
    encoding: "utf8",
    highWaterMark: 0,
    read() {
      setImmediate(() => {
        // An empty push ends this read without data, so a later resume() reads (and asks) again.
        if (
          stream.destroyed
          || stream.isPaused()
          || stream.listenerCount("data") + stream.listenerCount("readable") === 0
        ) {
          stream.push("");
          return;
        }
        void stdin.read("", false, "process.stdin").then((line) => {
          stream.push(line === undefined ? null : `${line}\n`);
        });
      });
    },
  });
  return Object.assign(stream, { isTTY: false as const, fd: 0 });
}

export type { Message };
