/**
 * The kernel: its sockets, one queue of requests from shell and control, and around every request busy, the
 * handler from the request table (requests.ts, handlers.ts), the reply (`x_request` → `x_reply`, derived in
 * `sendReply` only) and idle. Executing cells is execute.ts; control and heartbeat run on their own thread.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { endpoint, makeMessage, replyType, Signer, type ConnectionInfo, type Iopub, type Message } from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "./protocol/send";
import { ControlThread } from "./protocol/control";
import { Inbox } from "./protocol/inbox";
import { IopubChannel } from "./protocol/iopub";
import { Executor } from "./executor/executor";
import { executeReplyMetadata } from "./executor/deps";
import type { Language } from "./executor/language";
import { newSharedFlags } from "./shared-flags";
import { inCancelledCell, installFences } from "./cell-scope";
import { captureStdio } from "./output/stdio";
import { DISCARD, RequestSink, type Publish } from "./output/sink";
import { Renderer } from "./display/render";
import { installGlobals } from "./display/globals";
import { History } from "./history";
import { Execution } from "./execute";
import { kernelInfo } from "./kernel-info";
import { LanguageLifecycle } from "./language-lifecycle";
import { installProcessHooks } from "./process-hooks";
import { answer, classify, errorReply, notify, type Channel, type Incoming, type NoticeHandlers, type RequestContext, type RequestHandlers } from "./requests";
import { noticeHandlers, requestHandlers, type CommMeta } from "./handlers";
import { CommManager } from "./comm/comm";
import { outputScope, setKernelBridge } from "./comm/bridge";
import { installInput, setStdioFlush, Stdin } from "./stdin/input";
import { registerWidgetTargets } from "./widgets/targets";
import { modules } from "./executor/modules";

/** A message waiting its turn; `invalid` says why its envelope is broken (it is answered with an error). */
interface Queued { msg: Message; channel: Channel; receivedAt: number; invalid?: string }

export class Kernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly shell = new zmq.Router();
  private readonly iopub: IopubChannel;
  /** The stdin channel, on its own thread (a prompt blocks this one). */
  private stdin: Stdin | undefined;
  /** The message being handled: what the comm messages the kernel sends (widget updates) are parented to. */
  private current: Message | undefined;
  readonly comms: CommManager;
  private readonly flags = newSharedFlags();
  private readonly control: ControlThread;
  private readonly inbox: Inbox;
  private shuttingDown = false;
  private readonly queue: Queued[] = [];
  private wake: (() => void) | undefined;
  private sink: RequestSink | undefined;
  private readonly language: LanguageLifecycle;
  private readonly executor: Executor;
  private readonly execution: Execution;
  private readonly handlers: RequestHandlers;
  private readonly notices: NoticeHandlers;
  private readonly log: (text: string) => void;
  private readonly sendShell = serialSender(this.shell, (e) => this.log(`shell: ${e}`));

  /** `language`: a language server the caller started early (the CLI does, before ZeroMQ loads). */
  constructor(private readonly info: ConnectionInfo, readonly dir: string = process.cwd(), language?: Language) {
    this.signer = new Signer(info.key);
    this.inbox = new Inbox(this.signer);
    this.iopub = new IopubChannel(this.signer, this.session, (text) => this.log(text));
    const renderer = new Renderer(dir);
    // Outputs go to the request's sink, unless a widget's Output captures them (outputScope, per async context);
    // an interrupted cell's leftover async work writes nowhere (cell-scope.ts).
    installFences();
    const sink = () => (inCancelledCell() ? DISCARD : outputScope.getStore() ?? this.sink);
    this.log = captureStdio(sink).log;
    this.language = new LanguageLifecycle(dir, this.log, language);
    installGlobals(sink, renderer);
    this.executor = new Executor(dir, () => this.language.get(), this.flags);
    this.comms = new CommManager((type, content, metadata, buffers) => this.publishWith(this.current, type, content, metadata, buffers), this.log);
    registerWidgetTargets(this.comms);
    setKernelBridge({
      comms: this.comms,
      sink,
      withSink: (s, fn) => outputScope.run(s, fn),
      render: (v) => renderer.render(v),
      error: (e) => errorOf(e, this.executor),
      log: this.log,
    });
    setStdioFlush(() => this.sink?.flush());
    installProcessHooks({
      report: (kind, e) => {
        const text = this.executor.describe(e).join("\n");
        if (this.sink && !inCancelledCell()) this.sink.stream("stderr", `${kind}: ${text}\n`); else this.log(`${kind}: ${text}`);
      },
      beforeExit: () => { this.control.closeSync(); this.stdin?.closeSync(); },
    });
    this.control = new ControlThread(this.flags, {
      request: (msg, signature) => {
        // a shell message replayed on control is refused here, where shell's signatures are known
        if (this.inbox.seen.admit(signature)) this.enqueue(msg, "control", true);
        else this.log(`control: dropped message: ${msg.header.msg_type}: repeated signature (a replayed message)`);
      },
      interrupt: (seq) => this.executor.interrupt(seq),
      shutdown: () => void this.shutdown(),
      status: (parent, state) => this.publish(parent, "status", { execution_state: state }),
      seen: (signature) => this.inbox.seen.admit(signature),
      log: this.log,
    });
    const history = new History();
    this.execution = new Execution({
      executor: this.executor, renderer, history, language: this.language, publish: this.publish, setSink: (s) => { this.sink = s; },
      input: { begin: (ctx) => { if (this.stdin) this.stdin.context = ctx; }, end: () => this.stdin?.endCell() },
      modules,
    });
    this.handlers = requestHandlers({
      info, language: this.language, execution: this.execution, history, comms: this.comms,
      interrupt: () => this.executor.interrupt(),
      shutdown: () => this.shutdown(),
    });
    this.notices = noticeHandlers((handle, ctx) => this.commMessage(handle, ctx), () => this.comms);
  }

  async start(): Promise<void> {
    this.shell.linger = 1000;
    this.stdin = new Stdin(this.info, this.session, this.log, (text) => (outputScope.getStore() ?? this.sink)?.stream("stderr", text));
    installInput(this.stdin);
    await Promise.all([
      this.shell.bind(endpoint(this.info, "shell")),
      this.iopub.bind(endpoint(this.info, "iopub")),
    ]);
    void this.control.start(this.info, this.session, kernelInfo()).catch(() => undefined);
    void this.receive();
    // The compiler loads outside the main thread from the start (if the CLI has not started it already).
    this.language.get();
    this.publish(undefined, "status", { execution_state: "starting" });
    await this.process();
  }

  /** Every frame set received on shell, checked (inbox.ts); what cannot be a message is logged and dropped. */
  private async receive(): Promise<void> {
    for await (const frames of this.shell) {
      try {
        const r = this.inbox.receive(frames);
        if (r.kind === "drop") this.log(`shell: dropped message: ${r.reason}`);
        else if (r.kind === "invalid") this.enqueue(r.msg, "shell", false, r.reason);
        else { this.control.seen(r.signature); this.enqueue(r.msg, "shell"); }
      } catch (e) {
        this.log(`shell: ${(e as Error)?.stack ?? e}`);
      }
    }
  }

  private enqueue(msg: Message, channel: Channel, front = false, invalid?: string): void {
    const q = { msg, channel, receivedAt: performance.now(), invalid };
    // executes come before editor requests: a completion still running yields (executor/language.ts)
    if (msg.header.msg_type === "execute_request") this.language.get().yieldToExecute();
    if (front) this.queue.unshift(q); else this.queue.push(q);
    this.wake?.();
  }

  private async process(): Promise<void> {
    for (;;) {
      const next = this.queue.shift();
      if (!next) { await new Promise<void>((r) => (this.wake = r)); this.wake = undefined; continue; }
      // nothing a message does may stop this loop: every later request would go unanswered
      await this.respond(next).catch((e) => this.log(`${next.channel}: ${next.msg.header.msg_type}: ${(e as Error)?.stack ?? e}`));
    }
  }

  readonly publish: Publish = (parent, type, content) => this.iopub.publish(parent, type, content);

  /** An iopub message with metadata and binary buffers (comms). */
  private publishWith<T extends "comm_open" | "comm_msg" | "comm_close">(parent: Message | undefined, type: T, content: Iopub[T], metadata: Record<string, unknown> = {}, buffers: Uint8Array[] = []): void {
    this.iopub.publish(parent, type, content, { metadata, buffers: buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)) });
  }

  /**
   * A front end's comm message: handled like a request (between busy and idle, which respond() sends), with its
   * own sink, so a widget callback's console.log is parented to the message that triggered it.
   */
  private async commMessage(handle: (m: CommMeta) => Promise<void>, { msg }: RequestContext): Promise<void> {
    const sink = new RequestSink(this.publish, msg);
    this.sink = sink;
    try {
      await handle({ metadata: msg.metadata, buffers: msg.buffers, header: msg.header });
    } catch (e) {
      sink.stream("stderr", `${errorOf(e, this.executor).traceback.join("\n")}\n`);
    }
    sink.flush();
  }

  /** The one place a reply is addressed: `x_request` → `x_reply`, to the request's routing ids, on its channel. */
  private sendReply(msg: Message, channel: Channel, content: object): void {
    // execute_reply carries what the cell loaded and read (executor/deps.ts), for clients that cache results
    const metadata = msg.header.msg_type === "execute_request" ? executeReplyMetadata() : {};
    const reply = makeMessage(replyType(msg.header.msg_type), content, this.session, { parent: msg.header, ids: msg.ids, metadata });
    if (channel === "shell") sendMessage(this.sendShell, reply, this.signer, this.log);
    else sendMessage((frames) => this.control.send(frames), reply, this.signer, this.log);
  }

  /** Every message: busy, its handler, the reply if it is a request, idle. */
  private async respond({ msg, channel, receivedAt, invalid }: Queued): Promise<void> {
    const after: (() => void | Promise<void>)[] = [];
    const ctx: RequestContext = { msg, channel, receivedAt, afterReply: (fn) => { after.push(fn); } };
    const incoming: Incoming = invalid ? { kind: "invalid", reason: invalid, replyable: true } : classify(msg);
    this.current = msg;
    this.publish(msg, "status", { execution_state: "busy" });
    try {
      switch (incoming.kind) {
        case "request": {
          const { request } = incoming;
          const reply = await answer(this.handlers, request.type, request.content, ctx);
          // stop_on_error: executes that were already queued when the cell failed are aborted; later ones run.
          const abort = request.type === "execute_request" && reply.status === "error" && request.content.stop_on_error !== false
            ? await this.takeQueuedExecutes() : [];
          this.sendReply(msg, channel, reply);
          for (const q of abort) {
            this.publish(q.msg, "status", { execution_state: "busy" });
            // no execution count: front ends leave the skipped cell's prompt empty (`In [ ]`), as with ipykernel
            this.sendReply(q.msg, q.channel, { status: "aborted" });
            this.publish(q.msg, "status", { execution_state: "idle" });
          }
          break;
        }
        case "notice":
          await notify(this.notices, incoming.notice.type, incoming.notice.content, ctx);
          break;
        case "invalid":
          this.log(`${channel}: invalid ${msg.header.msg_type}: ${incoming.reason}`);
          if (incoming.replyable) this.sendReply(msg, channel, errorReply("InvalidRequest", `invalid ${msg.header.msg_type}: ${incoming.reason}`));
          break;
        case "unknown":
          this.log(`${channel}: unhandled message type ${msg.header.msg_type}`);
          if (incoming.replyable) this.sendReply(msg, channel, errorReply("UnknownRequest", `Folio does not handle ${msg.header.msg_type}`));
          break;
      }
      for (const fn of after) await fn();
    } finally {
      this.publish(msg, "status", { execution_state: "idle" });
    }
  }

  /** The execute requests already received (after one turn of the event loop to pull them from ZeroMQ). */
  private async takeQueuedExecutes(): Promise<Queued[]> {
    await new Promise((r) => setImmediate(r));
    const taken = this.queue.filter((q) => q.msg.header.msg_type === "execute_request");
    for (const q of taken) this.queue.splice(this.queue.indexOf(q), 1);
    return taken;
  }

  private async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    await new Promise((r) => setTimeout(r, 30));
    this.shell.close(); this.iopub.close(); this.stdin?.closeSync();
    await this.language.close();
    process.exit(0);
  }
}

/** A thrown value as an error output, its traceback mapped to the cells it came from. */
function errorOf(e: unknown, executor: Executor): { ename: string; evalue: string; traceback: string[] } {
  const err = e as Error | undefined;
  return { ename: err?.name ?? "Error", evalue: String(err?.message ?? e), traceback: executor.describe(e) };
}
