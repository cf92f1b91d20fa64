/**
 * A minimal Jupyter client for the tests: spawns the built kernel on a fresh connection file with free
 * loopback ports and talks to it over real ZeroMQ sockets (DEALER for shell/control, SUB for iopub, REQ for
 * heartbeat), signing with HMAC-SHA256 independently of the kernel's own code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { freePort } from "../../test/support/net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";

export const CLI = path.resolve(__dirname, "../dist/cli.js");

export interface Msg {
  header: { msg_id: string; msg_type: string; session: string; [k: string]: unknown };
  parent_header: { msg_id?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  /** Binary frames after the content (comm buffers). */
  buffers?: Buffer[];
}

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** The command to run for a connection file (default: the built Folio kernel). */
  argv?: (connectionFile: string) => string[];
  /** Wait until kernel_info round-trips and iopub delivers (default true). */
  waitReady?: boolean;
}

export class TestKernel {
  readonly key = randomUUID();
  readonly session = randomUUID();
  proc!: ChildProcess;
  stderr = "";
  // shell and stdin share one identity, as jupyter_client's do: the kernel routes input_request by it
  // linger 0: messages queued for a kernel that died must not keep mocha from exiting (zeromq waits for them)
  shell = new zmq.Dealer({ routingId: this.session, linger: 0 });
  stdin = new zmq.Dealer({ routingId: this.session, linger: 0 });
  control = new zmq.Dealer({ linger: 0 });
  iopub = new zmq.Subscriber({ linger: 0 });
  hb = new zmq.Request({ linger: 0 });
  conn!: Record<string, any>;
  /** Every stdin message (input_request) received so far, in order. */
  readonly stdinLog: Msg[] = [];
  private readonly stdinWaiters: (() => void)[] = [];
  /** Every iopub message received so far, in order. */
  readonly iopubLog: Msg[] = [];
  private readonly iopubWaiters: (() => void)[] = [];
  private readonly replies = new Map<string, (m: Msg) => void>();
  private readonly early = new Map<string, Msg>();

  /** Spawn time (performance.now()) of the kernel process. */
  spawnedAt = 0;

  static async start(opts: StartOptions = {}): Promise<TestKernel> {
    const k = new TestKernel();
    await k.launch(opts);
    return k;
  }

  private async launch(opts: StartOptions): Promise<void> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "folio-kt-"));
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push(await freePort());
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports;
    this.conn = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port,
      iopub_port,
      stdin_port,
      control_port,
      hb_port,
      key: this.key,
      signature_scheme: "hmac-sha256",
      kernel_name: "folio",
    };
    const file = path.join(dir, "conn.json");
    writeFileSync(file, JSON.stringify(this.conn));
    for (const sock of [this.shell, this.stdin, this.control, this.iopub, this.hb]) sock.reconnectInterval = 10;
    const argv = opts.argv ? opts.argv(file) : [process.execPath, CLI, "-f", file];
    this.spawnedAt = performance.now();
    this.proc = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.proc.stderr!.on("data", (d) => (this.stderr += d));
    this.proc.stdout!.on("data", (d) => (this.stderr += d));
    const url = (p: number) => `tcp://127.0.0.1:${p}`;
    this.shell.connect(url(shell_port));
    this.control.connect(url(control_port));
    this.stdin.connect(url(stdin_port));
    this.iopub.connect(url(iopub_port));
    this.iopub.subscribe();
    this.hb.connect(url(hb_port));
    void this.pump(this.shell);
    void this.pump(this.control);
    void (async () => {
      for await (const frames of this.stdin) {
        const m = this.parse(frames);
        if (m) {
          this.stdinLog.push(m);
          for (const w of this.stdinWaiters.splice(0)) w();
        }
      }
    })().catch(() => {});
    void (async () => {
      for await (const frames of this.iopub) {
        const m = this.parse(frames);
        if (!m) continue;
        this.iopubLog.push(m);
        for (const w of this.iopubWaiters.splice(0)) w();
      }
    })().catch(() => {});
    if (opts.waitReady === false) return;
    // The SUB socket connects asynchronously: wait until kernel_info round-trips and iopub delivers.
    for (let i = 0; i < 100; i++) {
      const r = await this.request("shell", "kernel_info_request", {}, 1000).catch(() => undefined);
      if (r) {
        const ok = await this.waitIopub(
          (m) => m.parent_header.msg_id === r.parent_header.msg_id && m.header.msg_type === "status",
          300,
        ).catch(() => undefined);
        if (ok) return;
      }
    }
    throw new Error(`kernel did not start: ${this.stderr}`);
  }

  sign(frames: string[]): string {
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }

  private parse(frames: Buffer[]): Msg | undefined {
    const i = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
    if (i < 0) return undefined;
    const [sig, h, p, m, c] = frames.slice(i + 1, i + 6).map((f) => f.toString());
    if (sig !== this.sign([h, p, m, c])) throw new Error("kernel sent a message with a bad signature");
    return {
      header: JSON.parse(h),
      parent_header: JSON.parse(p),
      metadata: JSON.parse(m),
      content: JSON.parse(c),
      buffers: frames.slice(i + 6),
    };
  }

  /** Replies received on shell and control. */
  answered = 0;

  private async pump(sock: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of sock) {
        const m = this.parse(frames);
        if (!m) continue;
        this.answered++;
        const id = m.parent_header.msg_id!;
        const w = this.replies.get(id);
        if (w) {
          this.replies.delete(id);
          w(m);
        } else this.early.set(id, m);
      }
    } catch {
      /* closed */
    }
  }

  /** Sends a request; returns its msg_id. `badSignature` corrupts the HMAC. */
  send(
    channel: "shell" | "control",
    type: string,
    content: Record<string, unknown>,
    opts: { badSignature?: boolean } = {},
  ): string {
    const header = {
      msg_id: randomUUID(),
      session: this.session,
      username: "test",
      date: new Date().toISOString(),
      msg_type: type,
      version: "5.3",
    };
    const json = [header, {}, {}, content].map((x) => JSON.stringify(x));
    let sig = this.sign(json);
    if (opts.badSignature) sig = sig.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    void this.sendRaw(channel, ["<IDS|MSG>", sig, ...json]);
    return header.msg_id;
  }

  /** The next input_request (after the `seen`-th), waiting for it. */
  async inputRequest(seen = 0, timeoutMs = 20000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    while (this.stdinLog.length <= seen) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for an input_request");
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.stdinWaiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.stdinLog[seen];
  }

  /** Answers an input_request on the stdin channel. */
  inputReply(request: Msg, value: string): void {
    const header = {
      msg_id: randomUUID(),
      session: this.session,
      username: "test",
      date: new Date().toISOString(),
      msg_type: "input_reply",
      version: "5.3",
    };
    const json = [header, request.header, {}, { value }].map((x) => JSON.stringify(x));
    void this.stdin.send(["<IDS|MSG>", this.sign(json), ...json]);
  }

  /** Sends a comm message (comm_open, comm_msg, comm_close) on shell, with binary buffers; returns its msg_id. */
  sendComm(
    type: "comm_open" | "comm_msg" | "comm_close",
    content: Record<string, unknown>,
    buffers: Buffer[] = [],
  ): string {
    const header = {
      msg_id: randomUUID(),
      session: this.session,
      username: "test",
      date: new Date().toISOString(),
      msg_type: type,
      version: "5.3",
    };
    const json = [header, {}, {}, content].map((x) => JSON.stringify(x));
    void this.sendRaw("shell", ["<IDS|MSG>", this.sign(json), ...json, ...buffers]);
    return header.msg_id;
  }

  /** Four JSON frames as given (strings, so that they can be anything), signed or not, ready to send raw. */
  frames(header: string, parent = "{}", metadata = "{}", content = "{}", opts: { signed?: boolean } = {}): string[] {
    const json = [header, parent, metadata, content];
    return ["<IDS|MSG>", opts.signed === false ? "" : this.sign(json), ...json];
  }

  /** A well-formed header (JSON text) for a message of `type`. */
  header(type: string, msgId: string = randomUUID()): string {
    return JSON.stringify({
      msg_id: msgId,
      session: this.session,
      username: "test",
      date: new Date().toISOString(),
      msg_type: type,
      version: "5.3",
    });
  }

  private readonly chains = { shell: Promise.resolve(), control: Promise.resolve() };
  /** Sends frames exactly as given, one send at a time per socket (zeromq refuses a send while one is in flight). */
  sendRaw(channel: "shell" | "control", frames: (string | Buffer)[]): Promise<void> {
    const next = this.chains[channel].then(() => this[channel].send(frames));
    this.chains[channel] = next.catch(() => undefined);
    return next;
  }

  reply(msgId: string, timeoutMs = 20000): Promise<Msg> {
    const early = this.early.get(msgId);
    if (early) {
      this.early.delete(msgId);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.replies.delete(msgId);
        reject(new Error(`no reply to ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(msgId, (m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
  }

  async request(
    channel: "shell" | "control",
    type: string,
    content: Record<string, unknown>,
    timeoutMs = 20000,
  ): Promise<Msg> {
    return this.reply(this.send(channel, type, content), timeoutMs);
  }

  async waitIopub(pred: (m: Msg) => boolean, timeoutMs = 20000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.iopubLog.length; seen++) if (pred(this.iopubLog[seen])) return this.iopubLog[seen];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for an iopub message");
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.iopubWaiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** iopub messages of one request, up to and including its idle status. */
  async outputs(msgId: string, timeoutMs = 20000): Promise<Msg[]> {
    await this.waitIopub(
      (m) => m.parent_header.msg_id === msgId && m.header.msg_type === "status" && m.content.execution_state === "idle",
      timeoutMs,
    );
    return this.iopubLog.filter((m) => m.parent_header.msg_id === msgId);
  }

  /** Executes code; returns the reply and the iopub messages (busy … idle). */
  async execute(
    code: string,
    extra: Record<string, unknown> = {},
    timeoutMs = 30000,
  ): Promise<{ reply: Msg; iopub: Msg[] }> {
    const id = this.send("shell", "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
      ...extra,
    });
    const reply = await this.reply(id, timeoutMs);
    return { reply, iopub: await this.outputs(id, timeoutMs) };
  }

  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    await this.hb.send("ping");
    const r = await Promise.race([
      this.hb.receive().then(([m]) => m.toString()),
      new Promise<undefined>((res) => setTimeout(() => res(undefined), timeoutMs)),
    ]);
    return r === "ping";
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const id = this.send("control", "shutdown_request", { restart: false });
      await this.reply(id, 5000).catch(() => undefined);
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          this.proc.kill("SIGKILL");
          r();
        }, 3000);
        this.proc.once("exit", () => {
          clearTimeout(t);
          r();
        });
      });
    }
    for (const s of [this.shell, this.stdin, this.control, this.iopub, this.hb]) s.close();
  }
}

/** The text of all stream messages of one name. */
export const streamText = (iopub: Msg[], name = "stdout") =>
  iopub
    .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
    .map((m) => m.content.text)
    .join("");
export const ofType = (iopub: Msg[], type: string) => iopub.filter((m) => m.header.msg_type === type);
