/**
 * The kernel: its sockets and threads wired together. Messages are checked as they arrive (protocol/inbox.ts),
 * queued and handled one at a time (dispatch.ts, through the request table of requests.ts and handlers.ts), and
 * answered by `sendReply`, the one place a reply (`x_request` → `x_reply`) is addressed. Executing cells is
 * execute.ts; control and heartbeat run on their own thread (protocol/control-worker.ts), stdin on another.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import {
  endpoint,
  makeMessage,
  replyType,
  Signer,
  type ConnectionInfo,
  type Iopub,
  type Message,
} from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "./protocol/send";
import { ControlThread } from "./protocol/control";
import { Inbox } from "./protocol/inbox";
import { IopubChannel } from "./protocol/iopub";
import { Executor } from "./executor/executor";
import { executeReplyMetadata } from "./executor/deps";
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
import type { Channel, RequestContext } from "./requests";
import { Dispatcher } from "./dispatch";
import { noticeHandlers, requestHandlers, type CommMeta } from "./handlers";
import { CommManager } from "./comm/comm";
import { outputScope, setKernelBridge } from "./comm/bridge";
import { installInput, setStdioFlush, Stdin } from "./stdin/input";
import { registerWidgetTargets } from "./widgets/targets";
import { modules } from "./executor/modules";

/** When the language server and the control and stdin threads start if no request came (see startBackground). */
const BACKGROUND_AFTER_MS = 100;

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
  private sink: RequestSink | undefined;
  private readonly language: LanguageLifecycle;
  private readonly executor: Executor;
  private readonly execution: Execution;
  private readonly dispatcher: Dispatcher;
  private readonly log: (text: string) => void;
  private readonly sendShell = serialSender(this.shell, (e) => this.log(`shell: ${e}`));

  constructor(
    private readonly info: ConnectionInfo,
    readonly dir: string = process.cwd(),
  ) {
    this.signer = new Signer(info.key);
    this.inbox = new Inbox(this.signer);
    this.iopub = new IopubChannel(this.signer, this.session, (text) => this.log(text));
    const renderer = new Renderer(dir);
    // Outputs go to the request's sink, unless a widget's Output captures them (outputScope, per async context);
    // an interrupted cell's leftover async work writes nowhere (cell-scope.ts).
    installFences();
    const sink = () => (inCancelledCell() ? DISCARD : (outputScope.getStore() ?? this.sink));
    this.log = captureStdio(sink).log;
    this.language = new LanguageLifecycle(dir, this.log);
    installGlobals(sink, renderer);
    this.executor = new Executor(dir, () => this.language.get(), this.flags);
    this.comms = new CommManager(
      (type, content, metadata, buffers) => this.publishWith(this.current, type, content, metadata, buffers),
      this.log,
    );
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
        if (this.sink && !inCancelledCell()) this.sink.stream("stderr", `${kind}: ${text}\n`);
        else this.log(`${kind}: ${text}`);
      },
      beforeExit: () => {
        this.control.closeSync();
        this.stdin?.closeSync();
      },
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
      executor: this.executor,
      renderer,
      history,
      language: this.language,
      publish: this.publish,
      setSink: (s) => {
        this.sink = s;
      },
      input: {
        begin: (ctx) => {
          if (this.stdin) this.stdin.context = ctx;
        },
        end: () => this.stdin?.endCell(),
      },
      modules,
    });
    this.dispatcher = new Dispatcher({
      handlers: requestHandlers({
        info,
        language: this.language,
        execution: this.execution,
        history,
        comms: this.comms,
        interrupt: () => this.executor.interrupt(),
        shutdown: () => this.shutdown(),
      }),
      notices: noticeHandlers(
        (handle, ctx) => this.commMessage(handle, ctx),
        () => this.comms,
      ),
      publish: this.publish,
      reply: (msg, channel, content) => this.sendReply(msg, channel, content),
      log: this.log,
      // executes come before editor requests: a completion still running yields (executor/language.ts)
      queued: (msg) => {
        if (msg.header.msg_type === "execute_request") this.language.get().yieldToExecute();
      },
      started: (msg) => {
        this.current = msg;
      },
    });
  }

  async start(): Promise<void> {
    this.shell.linger = 1000;
    this.stdin = new Stdin(this.info, this.session, this.log, (text) =>
      (outputScope.getStore() ?? this.sink)?.stream("stderr", text),
    );
    installInput(this.stdin);
    await Promise.all([this.shell.bind(endpoint(this.info, "shell")), this.iopub.bind(endpoint(this.info, "iopub"))]);
    void this.receive();
    this.publish(undefined, "status", { execution_state: "starting" });
    setTimeout(() => this.startBackground(), BACKGROUND_AFTER_MS).unref();
    await this.dispatcher.run();
  }

  private backgroundStarted = false;
  /**
   * The language server's process (300 ms of CPU to deserialise its snapshot) and the control and stdin threads
   * (about 40 ms of CPU each) start after the first reply (a client's kernel_info), so that on a busy machine
   * they do not compete with the kernel's own start for a core; a first cell still waits for the checker about
   * as long (measured), since it is sent only after that reply. Without any request they start
   * `BACKGROUND_AFTER_MS` after the sockets are bound; a cell or editor request starts the language server itself.
   */
  private startBackground(): void {
    if (this.backgroundStarted || this.shuttingDown) return;
    this.backgroundStarted = true;
    this.language.get();
    void this.control.start(this.info, this.session, kernelInfo()).catch(() => undefined);
    this.stdin?.start();
  }

  /** Every frame set received on shell, checked (inbox.ts); what cannot be a message is logged and dropped. */
  private async receive(): Promise<void> {
    for await (const frames of this.shell) {
      try {
        const r = this.inbox.receive(frames);
        if (r.kind === "drop") this.log(`shell: dropped message: ${r.reason}`);
        else if (r.kind === "invalid") this.enqueue(r.msg, "shell", false, r.reason);
        else {
          this.control.seen(r.signature);
          this.enqueue(r.msg, "shell");
        }
      } catch (e) {
        this.log(`shell: ${(e as Error)?.stack ?? e}`);
      }
    }
  }

  private enqueue(msg: Message, channel: Channel, front = false, invalid?: string): void {
    this.dispatcher.enqueue(msg, channel, front, invalid);
  }

  readonly publish: Publish = (parent, type, content) => this.iopub.publish(parent, type, content);

  /** An iopub message with metadata and binary buffers (comms). */
  private publishWith<T extends "comm_open" | "comm_msg" | "comm_close">(
    parent: Message | undefined,
    type: T,
    content: Iopub[T],
    metadata: Record<string, unknown> = {},
    buffers: Uint8Array[] = [],
  ): void {
    this.iopub.publish(parent, type, content, {
      metadata,
      buffers: buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
    });
  }

  /**
   * A front end's comm message: handled like a request (between the busy and idle that dispatch.ts sends), with its
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
    const reply = makeMessage(replyType(msg.header.msg_type), content, this.session, {
      parent: msg.header,
      ids: msg.ids,
      metadata,
    });
    if (channel === "shell") sendMessage(this.sendShell, reply, this.signer, this.log);
    else sendMessage((frames) => this.control.send(frames), reply, this.signer, this.log);
    // after the reply's send, which the serial sender makes a microtask later
    if (!this.backgroundStarted) setImmediate(() => this.startBackground());
  }

  private async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    // a cell still being checked must not start running (a synchronous loop would keep this function from going on)
    this.executor.stop();
    await new Promise((r) => setTimeout(r, 30));
    this.shell.close();
    this.iopub.close();
    this.stdin?.closeSync();
    await this.language.close();
    process.exit(0);
  }
}

/** A thrown value as an error output, its traceback mapped to the cells it came from. */
function errorOf(e: unknown, executor: Executor): { ename: string; evalue: string; traceback: string[] } {
  const err = e as Error | undefined;
  return { ename: err?.name ?? "Error", evalue: String(err?.message ?? e), traceback: executor.describe(e) };
}
