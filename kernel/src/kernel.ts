/**
 * The kernel: sockets in, one handler per request type, replies derived from requests in one place
 * (`respond`), busy/idle around every request, one output sink per execute request.
 */
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import { decode, endpoint, makeMessage, replyType, Signer, type ConnectionInfo, type Message, type Requests } from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "./protocol/send";
import type { ControlWorkerData, FromControl, ToControl } from "./protocol/control-worker";
import { Executor } from "./executor/executor";
import { CLOSED, newSharedFlags } from "./shared-flags";
import type { Language } from "./executor/language";
import { captureStdio } from "./output/stdio";
import { RequestSink, type Publish } from "./output/sink";
import { Renderer } from "./display/render";
import { History } from "./history";
import { installGlobals } from "./display/globals";
import { kernelInfo } from "./kernel-info";
import { LanguageHost } from "./language-host";
import { installProcessHooks } from "./process-hooks";

type Content = Record<string, unknown>;
const DEBUG_LOG = process.env.FOLIO_DEBUG_LOG;
type Channel = "shell" | "control";

export class Kernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly shell = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly stdin = new zmq.Router();
  private control!: Worker;
  private readonly flags = newSharedFlags();
  private readonly queue: { msg: Message; channel: Channel }[] = [];
  private wake: (() => void) | undefined;
  private count = 0;
  private readonly history = new History();
  private sink: RequestSink | undefined;
  private readonly language: LanguageHost;
  private readonly executor: Executor;
  private readonly renderer: Renderer;
  private readonly log: (text: string) => void;
  private readonly sendIopub = serialSender(this.iopub, (e) => this.log(`iopub: ${e}`));
  private readonly sendShell = serialSender(this.shell, (e) => this.log(`shell: ${e}`));

  /** `language`: a language server the caller started early (the CLI does, before ZeroMQ loads). */
  constructor(private readonly info: ConnectionInfo, readonly dir: string = process.cwd(), language?: Language) {
    this.signer = new Signer(info.key);
    this.renderer = new Renderer(dir);
    this.log = captureStdio(() => this.sink).log;
    this.language = new LanguageHost(dir, this.log, language);
    installGlobals(() => this.sink, this.renderer);
    this.executor = new Executor(dir, () => this.language.get(), this.flags);
    installProcessHooks({
      report: (kind, e) => {
        const text = this.executor.describe(e).join("\n");
        if (this.sink) this.sink.stream("stderr", `${kind}: ${text}\n`); else this.log(`${kind}: ${text}`);
      },
      beforeExit: () => this.closeControlSync(),
    });
  }

  async start(): Promise<void> {
    for (const s of [this.shell, this.iopub, this.stdin]) s.linger = 1000;
    this.iopub.sendHighWaterMark = 100000;
    await Promise.all([
      this.shell.bind(endpoint(this.info, "shell")),
      this.iopub.bind(endpoint(this.info, "iopub")),
      this.stdin.bind(endpoint(this.info, "stdin")),
    ]);
    void this.startControl().catch(() => undefined);
    void this.receive();
    // The compiler loads outside the main thread from the start (if the CLI has not started it already).
    this.language.get();
    this.publish(undefined, "status", { execution_state: "starting" });
    await this.process();
  }

  private startControl(): Promise<void> {
    const data: ControlWorkerData = { info: this.info, session: this.session, kernelInfo: kernelInfo(), shared: this.flags.buffer as SharedArrayBuffer };
    this.control = new Worker(path.join(__dirname, "protocol", "control-worker.js"), { workerData: data });
    this.control.unref();
    return new Promise((resolve, reject) => {
      this.control.on("error", (e) => { this.log(`control worker: ${e.stack ?? e}`); reject(e); });
      this.control.on("message", (m: FromControl) => {
        switch (m.type) {
          case "ready": resolve(); break;
          case "log": this.log(m.text); break;
          case "status": this.publish(revive(m.parent), "status", { execution_state: m.state }); break;
          case "interrupt": this.executor.interrupt(m.seq); break;
          case "request": this.enqueue(revive(m.msg), "control", true); break;
        }
      });
    });
  }

  private async receive(): Promise<void> {
    for await (const frames of this.shell) {
      const d = decode(frames, this.signer);
      if (!d.ok) { this.log(`shell: dropped message: ${d.reason}`); continue; }
      if (DEBUG_LOG) (d.msg as Message & { receivedAt?: number }).receivedAt = performance.now();
      this.enqueue(d.msg, "shell");
    }
  }

  private enqueue(msg: Message, channel: Channel, front = false): void {
    if (front) this.queue.unshift({ msg, channel }); else this.queue.push({ msg, channel });
    this.wake?.();
  }

  private async process(): Promise<void> {
    for (;;) {
      const next = this.queue.shift();
      if (!next) { await new Promise<void>((r) => (this.wake = r)); this.wake = undefined; continue; }
      await this.respond(next.msg, next.channel);
    }
  }

  readonly publish: Publish = (parent, type, content) => {
    sendMessage(this.sendIopub, makeMessage(type, content, this.session, { parent: parent?.header, ids: [Buffer.from(type)] }), this.signer, this.log);
  };

  private sendReply(msg: Message, channel: Channel, content: Content): void {
    const reply = makeMessage(replyType(msg.header.msg_type), content, this.session, { parent: msg.header, ids: msg.ids });
    if (channel === "shell") sendMessage(this.sendShell, reply, this.signer, this.log);
    else sendMessage((frames) => this.control.postMessage({ type: "send", frames } satisfies ToControl), reply, this.signer, this.log);
  }

  /** Every request: busy, its handler, the reply (`x_request` → `x_reply`), idle. */
  private async respond(msg: Message, channel: Channel): Promise<void> {
    const type = msg.header.msg_type;
    const handler = this.handlers[type];
    this.publish(msg, "status", { execution_state: "busy" });
    try {
      if (handler) {
        let content: Content;
        try {
          content = await handler(msg);
        } catch (e) {
          const err = e as Error;
          content = { status: "error", ename: err.name ?? "Error", evalue: String(err.message ?? e), traceback: String(err.stack ?? e).split("\n") };
        }
        // stop_on_error: executes that were already queued when the cell failed are aborted; later ones run.
        const abort = type === "execute_request" && content.status === "error" && (msg.content as unknown as Requests["execute_request"]).stop_on_error !== false
          ? await this.takeQueuedExecutes() : [];
        this.sendReply(msg, channel, content);
        if (type === "kernel_info_request") setImmediate(() => this.language.get());
        for (const q of abort) {
          this.publish(q.msg, "status", { execution_state: "busy" });
          this.sendReply(q.msg, q.channel, { status: "aborted", execution_count: this.count });
          this.publish(q.msg, "status", { execution_state: "idle" });
        }
        if (type === "shutdown_request") await this.shutdown();
      } else if (!type.startsWith("comm_")) {
        this.log(`unhandled message type ${type}`);
      }
    } finally {
      this.publish(msg, "status", { execution_state: "idle" });
    }
  }

  /** The execute requests already received (after one turn of the event loop to pull them from ZeroMQ). */
  private async takeQueuedExecutes(): Promise<{ msg: Message; channel: Channel }[]> {
    await new Promise((r) => setImmediate(r));
    const taken = this.queue.filter((q) => q.msg.header.msg_type === "execute_request");
    for (const q of taken) this.queue.splice(this.queue.indexOf(q), 1);
    return taken;
  }

  private async shutdown(): Promise<void> {
    await new Promise((r) => setTimeout(r, 30));
    this.shell.close(); this.iopub.close(); this.stdin.close();
    await this.language.close();
    process.exit(0);
  }

  /** Closes the control thread's sockets and waits (at most 2 s) until it has. */
  private closeControlSync(): void {
    if (!this.control || Atomics.load(this.flags, CLOSED) === 1) return;
    this.control.postMessage({ type: "close" } satisfies ToControl);
    Atomics.wait(this.flags, CLOSED, 0, 2000);
  }

  private readonly handlers: Record<string, (msg: Message) => Promise<Content>> = {
    // A client treats the kernel_info reply as "ready to run cells": it waits (at most 3 s) for the type checker's
    // warm-up, so a first cell sent right after it is checked at once instead of queueing behind the compiler.
    kernel_info_request: async () => {
      await Promise.race([this.language.ready, new Promise((r) => setTimeout(r, 3000).unref())]);
      return kernelInfo();
    },
    connect_request: async () => ({ status: "ok", shell_port: this.info.shell_port, iopub_port: this.info.iopub_port, stdin_port: this.info.stdin_port, hb_port: this.info.hb_port, control_port: this.info.control_port }),
    comm_info_request: async () => ({ status: "ok", comms: {} }),
    shutdown_request: async (msg) => ({ status: "ok", restart: !!(msg.content as unknown as Requests["shutdown_request"]).restart }),
    interrupt_request: async () => { this.executor.interrupt(); return { status: "ok" }; },
    execute_request: (msg) => this.execute(msg),
    complete_request: async (msg) => {
      const { code, cursor_pos } = msg.content as unknown as Requests["complete_request"];
      const r = await this.language.get().complete(code, cursor_pos ?? code.length);
      return { status: "ok", matches: r.matches, cursor_start: r.start, cursor_end: r.end, metadata: {} };
    },
    inspect_request: async (msg) => {
      const { code, cursor_pos } = msg.content as unknown as Requests["inspect_request"];
      const text = await this.language.get().inspect(code, cursor_pos ?? code.length);
      return { status: "ok", found: !!text, data: text ? { "text/plain": text, "text/markdown": "```typescript\n" + text + "\n```" } : {}, metadata: {} };
    },
    is_complete_request: async (msg) => {
      const r = await this.language.get().isComplete((msg.content as unknown as Requests["is_complete_request"]).code);
      return r.status === "incomplete" ? { status: r.status, indent: r.indent ?? "" } : { status: r.status };
    },
    history_request: async (msg) => ({ status: "ok", history: this.history.query(msg.content as unknown as Requests["history_request"]) }),
  };

  private async execute(msg: Message): Promise<Content> {
    const req = msg.content as unknown as Requests["execute_request"];
    const silent = !!req.silent;
    const store = !silent && req.store_history !== false;
    if (store) this.count++;
    const count = this.count;
    const sink = new RequestSink(this.publish, msg, silent);
    this.sink = sink;
    if (!silent) this.publish(msg, "execute_input", { code: req.code, execution_count: count });
    const entry = store ? this.history.add(count, req.code) : undefined;
    // IPython's `name?`: the inspection goes to the pager (a payload), nothing runs.
    const page = /^\s*([A-Za-z_$][\w$.]*)\s*\?\s*$/.exec(req.code);
    if (page) {
      const text = await this.language.get().inspect(page[1], page[1].length);
      return { status: "ok", execution_count: count, payload: [{ source: "page", data: { "text/plain": text ?? `${page[1]}: not found` }, start: 0 }], user_expressions: {} };
    }
    const t0 = performance.now();
    const outcome = await this.executor.execute(req.code, `Cell In[${count}]`);
    if (DEBUG_LOG) appendFileSync(DEBUG_LOG, `main: cell ${count} execute ${(performance.now() - t0).toFixed(1)} ms, compile ${this.executor.compileMs.toFixed(1)} ms (since receipt ${(performance.now() - (msg as Message & { receivedAt?: number }).receivedAt!).toFixed(1)})\n`);
    sink.flush();
    const user_expressions = await this.userExpressions(req.user_expressions ?? {});
    if (outcome.status === "error") {
      const { ename, evalue, traceback } = outcome;
      if (!silent) this.publish(msg, "error", { ename, evalue, traceback });
      return { status: "error", execution_count: count, ename, evalue, traceback, user_expressions };
    }
    if (outcome.hasValue && !silent) {
      const data = this.renderer.render(outcome.value);
      if (data) {
        this.publish(msg, "execute_result", { execution_count: count, data, metadata: {} });
        if (entry && typeof data["text/plain"] === "string") entry.output = data["text/plain"];
      }
    }
    return { status: "ok", execution_count: count, payload: [], user_expressions };
  }

  private async userExpressions(exprs: Record<string, string>): Promise<Content> {
    const out: Content = {};
    for (const [name, expr] of Object.entries(exprs)) {
      const r = await this.executor.execute(`(${expr})`, `user_expressions[${JSON.stringify(name)}]`, { check: false, commit: false });
      out[name] = r.status === "ok"
        ? { status: "ok", data: this.renderer.render(r.value) ?? { "text/plain": "undefined" }, metadata: {} }
        : { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
    }
    return out;
  }
}

/** Messages crossing from the control worker arrive as structured clones: Buffers become Uint8Arrays. */
function revive(msg: Message): Message {
  return { ...msg, ids: msg.ids.map((b) => Buffer.from(b)), buffers: (msg.buffers ?? []).map((b) => Buffer.from(b)) };
}
