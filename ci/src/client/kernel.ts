/**
 * A Jupyter client over ZeroMQ: launches a kernel (from a kernelspec or an argv), talks to it on the shell,
 * control, iopub, stdin and heartbeat channels, and notices when the kernel process dies or hangs.
 * It knows only the protocol, never a kernel's internals, so it drives any Jupyter kernel.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as zmq from "zeromq";
import { type ConnectionInfo, endpoint, newConnection, writeConnectionFile } from "./connection";
import { type Kernelspec, substituteArgv } from "./kernelspec";
import { Signer, decode, encode, makeMessage, type Header, type Message } from "./wire";
import { guardKernel, releaseKernel } from "./watchdog";

export interface LaunchOptions {
  /** Start the kernel a kernelspec describes… */
  spec?: Kernelspec;
  /** …or this argv directly (`{connection_file}` is substituted). */
  argv?: string[];
  cwd?: string;
  /** Extra environment for the kernel process, on top of process.env and the kernelspec's env. */
  env?: Record<string, string>;
  /** How to interrupt a cell (default: the kernelspec's interrupt_mode, else "signal"). */
  interruptMode?: "signal" | "message";
  /** How long to wait for the first kernel_info_reply (default 60 s). */
  startTimeoutMs?: number;
  /** Echo the kernel's own stderr (its logs, not cell output) to ours. */
  echoStderr?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The kernel process exited while a request was pending. */
export class KernelDied extends Error {
  constructor(
    readonly exit: ExitInfo,
    readonly stderrTail: string,
  ) {
    super(`kernel died (${describeExit(exit)})`);
  }
}

/** The kernel did not answer in time. */
export class KernelTimeout extends Error {}

export function describeExit(e: ExitInfo): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}

export interface ExecuteOptions {
  /** Called with every iopub message whose parent is this request, once per message id. */
  onIopub?: (msg: Message) => void;
  /** Called when the kernel sends an iopub message with an id already seen (it is not passed to onIopub). */
  onDuplicate?: (msg: Message) => void;
  /** Called when the execute_reply arrives (before idle may have). */
  onReply?: (msg: Message) => void;
  /** After this many ms the cell is interrupted; after `graceMs` more, the kernel is killed. */
  timeoutMs?: number;
  graceMs?: number;
  storeHistory?: boolean;
  stopOnError?: boolean;
  silent?: boolean;
}

export interface ExecuteResult {
  reply: Message;
  /** The cell ran past its timeout and was interrupted (the reply then is the kernel's answer to that). */
  timedOut: boolean;
}

/** The cell ran past its timeout and the kernel did not recover from the interrupt within the grace period. */
export class CellTimeout extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly killed: boolean,
  ) {
    super(
      `timed out after ${(timeoutMs / 1000).toFixed(1)} s${killed ? " (kernel killed: it ignored the interrupt)" : ""}`,
    );
  }
}

type Pending = {
  onIopub?: (m: Message) => void;
  onDuplicate?: (m: Message) => void;
  onReply?: (m: Message) => void;
  reply?: Message;
  idle: boolean;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
};

const live = new Set<KernelClient>();
let exitHookInstalled = false;
let onInterrupt: (() => void) | undefined;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // kernels run in their own process group (so a terminal's Ctrl-C does not reach them): never orphan them
  process.on("exit", () => {
    for (const k of live) k.killNow();
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const hook = () => {
      if (sig === "SIGINT" && onInterrupt) {
        // the first Ctrl-C lets the caller stop its kernels and report; a second one quits at once
        const h = onInterrupt;
        onInterrupt = undefined;
        process.once(sig, hook);
        h();
        return;
      }
      for (const k of live) k.killNow();
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    };
    process.once(sig, hook);
  }
}

/**
 * Makes the first SIGINT call `handler` instead of killing every kernel and exiting (a second SIGINT still
 * does that), so a runner can stop its kernels itself and print what it has; undefined restores the default.
 */
export function handleInterrupt(handler: (() => void) | undefined): void {
  installExitHook();
  onInterrupt = handler;
}

/** A running kernel and the sockets connected to it. */
export class KernelClient {
  readonly session = randomUUID();
  // biome-ignore lint/suspicious/noExplicitAny: the kernel_info reply, read field by field as the kernel sent it
  info: Record<string, any> = {};
  exited?: ExitInfo;
  readonly exitPromise: Promise<ExitInfo>;
  private shell: zmq.Dealer;
  private control: zmq.Dealer;
  private stdin: zmq.Dealer;
  private iopub: zmq.Subscriber;
  private pending = new Map<string, Pending>();
  private seenIopub = new Set<string>();
  private sendChains = new Map<zmq.Socket, Promise<void>>();
  private stderrTail = "";
  private closed = false;
  private iopubSeen = false;
  private readonly signer: Signer;

  private constructor(
    readonly conn: ConnectionInfo,
    readonly connDir: string,
    readonly proc: ChildProcess,
    readonly interruptMode: "signal" | "message",
    echoStderr: boolean,
  ) {
    this.signer = new Signer(conn.key);
    const routingId = this.session;
    this.shell = new zmq.Dealer({ linger: 0, routingId });
    this.control = new zmq.Dealer({ linger: 0 });
    this.stdin = new zmq.Dealer({ linger: 0, routingId });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.iopub.subscribe();
    this.shell.connect(endpoint(conn, "shell"));
    this.control.connect(endpoint(conn, "control"));
    this.stdin.connect(endpoint(conn, "stdin"));
    this.iopub.connect(endpoint(conn, "iopub"));
    this.exitPromise = new Promise((resolve) => {
      proc.once("exit", (code, signal) => {
        this.exited = { code, signal };
        if (proc.pid !== undefined) releaseKernel(proc.pid);
        live.delete(this);
        const err = new KernelDied(this.exited, this.stderrTail);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        resolve(this.exited);
      });
    });
    proc.stderr?.on("data", (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
      if (echoStderr) process.stderr.write(d);
    });
    proc.stdout?.on("data", (d: Buffer) => {
      if (echoStderr) process.stderr.write(d);
    });
    void this.loop(this.shell, (m) => this.onReply(m));
    void this.loop(this.control, (m) => this.onReply(m));
    void this.loop(this.iopub, (m) => this.onIopub(m));
    void this.loop(this.stdin, (m) => this.onStdin(m));
    live.add(this);
    installExitHook();
  }

  /** Starts a kernel and waits until it answers kernel_info on shell and publishes on iopub. */
  static async launch(opts: LaunchOptions): Promise<KernelClient> {
    const argvTemplate = opts.argv ?? opts.spec?.argv;
    if (!argvTemplate || argvTemplate.length === 0) throw new Error("no kernel argv or kernelspec given");
    const conn = await newConnection(opts.spec?.name);
    const { file, dir } = writeConnectionFile(conn);
    const argv = substituteArgv(argvTemplate, file, opts.spec?.dir);
    const proc = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      // JPY_PARENT_PID: the kernel exits when this process is gone (Jupyter's convention, honoured by ipykernel)
      env: { ...process.env, ...(opts.spec?.env ?? {}), ...(opts.env ?? {}), JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    if (proc.pid !== undefined) guardKernel(proc.pid, dir);
    const client = new KernelClient(
      conn,
      dir,
      proc,
      opts.interruptMode ?? opts.spec?.interrupt_mode ?? "signal",
      !!opts.echoStderr,
    );
    const spawnError = new Promise<never>((_, reject) =>
      proc.once("error", (e) => reject(new Error(`cannot start kernel ${argv[0]}: ${e.message}`))),
    );
    try {
      await Promise.race([client.waitReady(opts.startTimeoutMs ?? 60_000), spawnError]);
    } catch (e) {
      await client.kill();
      if (e instanceof KernelDied) {
        const tail = e.stderrTail.trim().split("\n").pop() ?? "";
        throw new Error(`kernel exited at start (${describeExit(e.exit)})${tail ? `: ${tail.slice(0, 300)}` : ""}`);
      }
      throw e;
    }
    return client;
  }

  /** Sends kernel_info until both the reply and an iopub message for it arrived (ZeroMQ's slow-joiner problem). */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let first = true;
    while (Date.now() < deadline) {
      this.iopubSeen = false;
      const { reply } = this.request("shell", "kernel_info_request", {});
      const wait = first ? deadline - Date.now() : Math.min(1000, deadline - Date.now());
      let r: Message | undefined;
      try {
        r = await withTimeout(reply, wait);
      } catch (e) {
        if (!(e instanceof KernelTimeout)) throw e;
      }
      if (r) {
        this.info = r.content;
        first = false;
        // the status messages of this request tell that iopub is connected; give them a moment
        const t0 = Date.now();
        while (!this.iopubSeen && Date.now() - t0 < 300) await sleep(10);
        if (this.iopubSeen) return;
      }
      if (this.exited) throw new KernelDied(this.exited, this.stderrTail);
    }
    if (first) throw new KernelTimeout(`kernel did not answer kernel_info within ${(timeoutMs / 1000).toFixed(0)} s`);
    throw new KernelTimeout(`kernel's iopub channel never connected within ${(timeoutMs / 1000).toFixed(0)} s`);
  }

  /** Sends a request on shell or control; `reply` resolves with the matching `*_reply`. */
  request(
    channel: "shell" | "control",
    msgType: string,
    content: Record<string, unknown>,
    handlers: Partial<Pending> = {},
  ): { msgId: string; reply: Promise<Message> } {
    const msg = makeMessage(msgType, content, this.session);
    const msgId = msg.header.msg_id;
    const reply = new Promise<Message>((resolve, reject) => {
      if (this.exited) return reject(new KernelDied(this.exited, this.stderrTail));
      this.pending.set(msgId, { idle: false, ...handlers, resolve, reject });
    });
    reply.catch(() => undefined);
    this.send(channel === "shell" ? this.shell : this.control, msg).catch((e) => this.pending.get(msgId)?.reject(e));
    return { msgId, reply };
  }

  /**
   * Executes code; resolves when the execute_reply arrived AND iopub said idle for it, so every output
   * has been delivered. A timeout interrupts the cell, then kills the kernel if it does not stop.
   */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    let replyMsg: Message | undefined;
    let idle = false;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const check = () => {
      if (replyMsg && idle) done();
    };
    const { msgId, reply } = this.request(
      "shell",
      "execute_request",
      {
        code,
        silent: !!opts.silent,
        store_history: opts.storeHistory ?? true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: opts.stopOnError ?? true,
      },
      {
        onIopub: (m) => {
          opts.onIopub?.(m);
          if (m.header.msg_type === "status" && m.content.execution_state === "idle") {
            idle = true;
            check();
          }
        },
        onDuplicate: opts.onDuplicate,
        onReply: (m) => {
          replyMsg = m;
          opts.onReply?.(m);
          check();
        },
      },
    );
    void msgId;
    const died = this.exitPromise.then((e) => {
      throw new KernelDied(e, this.stderrTail);
    });
    died.catch(() => undefined);
    const all = Promise.race([Promise.all([reply, finished]).then(() => replyMsg!), died]);
    if (!opts.timeoutMs || !Number.isFinite(opts.timeoutMs)) return { reply: await all, timedOut: false };
    try {
      return { reply: await withTimeout(all, opts.timeoutMs), timedOut: false };
    } catch (e) {
      if (!(e instanceof KernelTimeout)) throw e;
    }
    await this.interrupt();
    try {
      const r = await withTimeout(all, opts.graceMs ?? 5000);
      return { reply: r, timedOut: true };
    } catch (e) {
      if (!(e instanceof KernelTimeout)) throw e;
      await this.kill();
      throw new CellTimeout(opts.timeoutMs, true);
    }
  }

  /** Interrupts the running cell: SIGINT to the kernel's process group, or interrupt_request on control. */
  async interrupt(): Promise<void> {
    if (this.exited) return;
    if (this.interruptMode === "message") {
      const { reply } = this.request("control", "interrupt_request", {});
      await withTimeout(reply, 2000).catch(() => undefined);
    } else {
      this.signal("SIGINT");
    }
  }

  /** Polite shutdown (shutdown_request on control), then a kill if the process lingers. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (!this.exited) {
      const { reply } = this.request("control", "shutdown_request", { restart: false });
      await withTimeout(Promise.race([reply, this.exitPromise]), graceMs).catch(() => undefined);
      await withTimeout(this.exitPromise, Math.min(graceMs, 1000)).catch(() => undefined);
    }
    await this.kill();
  }

  /** Kills the kernel's process group and closes the sockets. */
  async kill(): Promise<void> {
    this.killNow();
    await withTimeout(this.exitPromise, 2000).catch(() => undefined);
    this.close();
  }

  /** Synchronous SIGKILL (for exit hooks). */
  killNow(): void {
    if (!this.exited) this.signal("SIGKILL");
  }

  /** Heartbeat: true when the kernel echoes a ping within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    const hb = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    try {
      hb.connect(endpoint(this.conn, "hb"));
      const token = Buffer.from(randomUUID());
      await hb.send(token);
      const [echo] = await hb.receive();
      return echo.equals(token);
    } catch {
      return false;
    } finally {
      hb.close();
    }
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }
  get stderr(): string {
    return this.stderrTail;
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        this.proc.kill(sig);
      } catch {
        /* already gone */
      }
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) {
      try {
        s.close();
      } catch {
        /* closed */
      }
    }
    fs.rmSync(this.connDir, { recursive: true, force: true });
    live.delete(this);
  }

  private send(sock: zmq.Dealer, msg: Message): Promise<void> {
    // zeromq allows one send in flight per socket: chain them
    const prev = this.sendChains.get(sock) ?? Promise.resolve();
    const next = prev.then(() => {
      const e = encode(msg, this.signer);
      if (!e.ok) throw new Error(e.reason);
      return sock.send(e.frames);
    });
    this.sendChains.set(
      sock,
      next.catch(() => undefined),
    );
    return next;
  }

  private async loop(sock: zmq.Socket & AsyncIterable<Buffer[]>, handle: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        const d = decode(frames, this.signer);
        if (!d.ok) {
          process.stderr.write(`folio: dropped a malformed kernel message: ${d.reason}\n`);
          continue;
        }
        handle(d.msg);
      }
    } catch {
      // socket closed
    }
  }

  private onReply(m: Message): void {
    const id = (m.parent_header as Partial<Header>).msg_id;
    const p = id ? this.pending.get(id) : undefined;
    if (!p) return;
    p.reply = m;
    p.onReply?.(m);
    // outputs may still be on their way over iopub: keep routing them until idle
    if (p.idle || !p.onIopub) this.pending.delete(id!);
    p.resolve(m);
  }

  private onIopub(m: Message): void {
    this.iopubSeen = true;
    const id = (m.parent_header as Partial<Header>).msg_id;
    if (!id) return;
    const p = this.pending.get(id);
    if (this.seenIopub.has(m.header.msg_id)) {
      p?.onDuplicate?.(m);
      return;
    }
    this.seenIopub.add(m.header.msg_id);
    if (!p) return;
    p.onIopub?.(m);
    if (m.header.msg_type === "status" && m.content.execution_state === "idle") {
      p.idle = true;
      if (p.reply) this.pending.delete(id);
    }
  }

  private onStdin(m: Message): void {
    if (m.header.msg_type === "input_request") {
      // a headless run has no user to ask: answer empty rather than hang
      void this.send(this.stdin, makeMessage("input_reply", { value: "" }, this.session, { parent: m.header }));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects with KernelTimeout after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new KernelTimeout(`no answer within ${ms} ms`)), Math.max(0, ms));
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
