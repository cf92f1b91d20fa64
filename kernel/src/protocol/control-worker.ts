/**
 * The control and heartbeat channels, on their own thread so that they answer while a cell keeps the main
 * thread busy. kernel_info, interrupt and shutdown are answered here at once, whatever the cell is doing; other
 * control requests go to the main thread's queue, ahead of shell's.
 *
 * An interrupt stops the running cell: first the shared `INTERRUPT` flag, which the loops of the cell's top-level
 * code check (they throw, so its `finally` blocks run and its locals are kept: executor/transform.ts); if the cell
 * still runs after `SOFT_GRACE_MS` (a loop in a function or a package), a SIGINT to ourselves while the main thread
 * is inside synchronous cell code (vm `breakOnSigint` turns it into an exception), and V8's terminateExecution
 * through the inspector when the cell spins inside a promise continuation (nothing else can stop that).
 * A shutdown is answered, then the main thread exits; if a cell keeps it from doing so, the cell is interrupted,
 * and after 3 s the process is killed (what jupyter_client would do next anyway).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Session } from "node:inspector";
import * as zmq from "zeromq";
import {
  endpoint,
  makeMessage,
  replyType,
  requests,
  Signer,
  type ConnectionInfo,
  type Message,
} from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "./send";
import { Inbox } from "./inbox";
import { errorReply } from "../requests";
import { CLEAR_ASYNC_IDS } from "../process-hooks";
import { ACK, CLOSED, INTERRUPT, PENDING, SEQ, STATE, SYNC } from "../shared-flags";

export interface ControlWorkerData {
  info: ConnectionInfo;
  session: string;
  kernelInfo: object;
  /** The flags of ../shared-flags. */
  shared: SharedArrayBuffer;
}

export type FromControl =
  | { type: "request"; msg: Message; signature: string }
  | { type: "interrupt"; seq: number; parent: Message }
  | { type: "shutdown" }
  | { type: "status"; parent: Message; state: "busy" | "idle" }
  /** A signature accepted here: the main thread refuses it on shell too. */
  | { type: "seen"; signature: string }
  | { type: "log"; text: string }
  | { type: "ready" };
export type ToControl =
  | { type: "send"; frames: Uint8Array[] }
  /** A signature accepted on shell: refused here too. */
  | { type: "seen"; signature: string }
  | { type: "close" };

/** How long a shutdown waits for the main thread to exit before the process is killed. */
const SHUTDOWN_GRACE_MS = 3000;
/** How long an interrupt lets the flag stop the cell before it is terminated (a checked loop stops within microseconds). */
const SOFT_GRACE_MS = 150;
/** How often a shutting-down control thread looks for a cell that entered synchronous code. */
const SHUTDOWN_POLL_MS = 50;

async function main(): Promise<void> {
  const data = workerData as ControlWorkerData;
  const port = parentPort!;
  const flags = new Int32Array(data.shared);
  const signer = new Signer(data.info.key);
  const inbox = new Inbox(signer);
  const control = new zmq.Router();
  const hb = new zmq.Reply();
  control.linger = 0;
  hb.linger = 0;
  await Promise.all([control.bind(endpoint(data.info, "control")), hb.bind(endpoint(data.info, "hb"))]);
  const post = (m: FromControl) => port.postMessage(m);
  const log = (text: string) => post({ type: "log", text });

  const send = serialSender(control, (e) => log(`control send: ${e}`));
  const reply = (msg: Message, content: object) =>
    sendMessage(
      send,
      makeMessage(replyType(msg.header.msg_type), content, data.session, { parent: msg.header, ids: msg.ids }),
      signer,
      log,
    );
  /** busy, the reply, idle (the main thread publishes the statuses on iopub). */
  const answer = (msg: Message, content: object) => {
    post({ type: "status", parent: msg, state: "busy" });
    const sent = reply(msg, content);
    post({ type: "status", parent: msg, state: "idle" });
    return sent;
  };

  port.on("message", (m: ToControl) => {
    if (m.type === "send") send(m.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)));
    else if (m.type === "seen") inbox.seen.admit(m.signature);
    else if (m.type === "close") {
      control.close();
      hb.close();
      port.close();
      // the main thread may be blocked in Atomics.wait until the sockets are closed (a cell's process.exit)
      Atomics.store(flags, CLOSED, 1);
      Atomics.notify(flags, CLOSED);
    }
  });

  let inspector: Session | undefined;
  const terminate = () => {
    if (!inspector) {
      inspector = new Session();
      inspector.connectToMainThread();
    }
    // With async_hooks enabled (any AsyncLocalStorage: a package's, a widget Output's), Node 20 aborts when a
    // terminated continuation leaves its async id pushed (a CHECK in InternalCallbackScope::Close). The inspector
    // runs this inside the spinning code, before the termination: clear that stack first (process-hooks.ts).
    inspector.post(
      "Runtime.evaluate",
      { expression: `globalThis[Symbol.for(${JSON.stringify(CLEAR_ASYNC_IDS)})]?.()` },
      () => {
        inspector!.post("Runtime.terminateExecution", () => {});
      },
    );
  };
  const interrupt = (parent: Message) => {
    const seq = Atomics.load(flags, SEQ);
    const ack = Atomics.load(flags, ACK);
    const state = Atomics.load(flags, STATE);
    if (state !== SYNC && state !== PENDING) {
      post({ type: "interrupt", seq, parent });
      return;
    }
    Atomics.store(flags, INTERRUPT, 1);
    post({ type: "interrupt", seq, parent });
    // A pending cell: the main thread normally handles the message at once. If it does not, the cell is spinning
    // (in synchronous code or a promise continuation) where no check of the flag stopped it. A SIGINT is sent
    // again while the cell stays in synchronous code: one that lands in the instant before the run registers with
    // Node's SIGINT watchdog is only recorded (executor/sigint.ts). A continuation is terminated, never after a
    // SIGINT (the main thread may be running the kernel's own code by then).
    const check = (signalled: boolean) => {
      if (Atomics.load(flags, ACK) !== ack || Atomics.load(flags, SEQ) !== seq) return;
      const state = Atomics.load(flags, STATE);
      if (state === SYNC) {
        process.kill(process.pid, "SIGINT");
        setTimeout(() => check(true), SOFT_GRACE_MS);
      } else if (state === PENDING && !signalled) terminate();
    };
    setTimeout(() => check(false), SOFT_GRACE_MS);
  };
  const shutdown = () => {
    post({ type: "shutdown" });
    // A cell in synchronous code keeps the main thread from reading that message: stop the cell. Keep watching
    // until the process exits: a cell still being type-checked now can enter its synchronous code before the main
    // thread reads the message (the checker's reply and this message race on its event loop).
    const stopSync = () => {
      if (Atomics.load(flags, STATE) === SYNC) process.kill(process.pid, "SIGINT");
    };
    stopSync();
    setInterval(stopSync, SHUTDOWN_POLL_MS).unref();
    setTimeout(() => {
      log(`shutdown: the main thread did not exit within ${SHUTDOWN_GRACE_MS} ms; killing the process`);
      process.kill(process.pid, "SIGKILL");
    }, SHUTDOWN_GRACE_MS).unref();
  };

  const handle = (frames: Buffer[]) => {
    const r = inbox.receive(frames);
    if (r.kind === "drop") {
      log(`control: dropped message: ${r.reason}`);
      return;
    }
    if (r.kind === "invalid") {
      log(`control: invalid ${r.msg.header.msg_type}: ${r.reason}`);
      answer(r.msg, errorReply("InvalidRequest", `invalid ${r.msg.header.msg_type}: ${r.reason}`));
      return;
    }
    const { msg, signature } = r;
    const type = msg.header.msg_type;
    if (type !== "kernel_info_request" && type !== "interrupt_request" && type !== "shutdown_request") {
      post({ type: "request", msg, signature });
      return;
    }
    post({ type: "seen", signature });
    const invalid = (reason: string) => {
      log(`control: invalid ${type}: ${reason}`);
      answer(msg, errorReply("InvalidRequest", `invalid ${type}: ${reason}`));
    };
    if (type === "kernel_info_request") {
      const c = requests.parse(type, msg.content);
      if (!c.ok) invalid(c.reason);
      else answer(msg, data.kernelInfo);
    } else if (type === "interrupt_request") {
      const c = requests.parse(type, msg.content);
      if (!c.ok) {
        invalid(c.reason);
        return;
      }
      post({ type: "status", parent: msg, state: "busy" });
      interrupt(msg);
      reply(msg, { status: "ok" });
      post({ type: "status", parent: msg, state: "idle" });
    } else {
      const c = requests.parse(type, msg.content);
      if (!c.ok) {
        invalid(c.reason);
        return;
      }
      answer(msg, { status: "ok", restart: !!c.value.restart });
      shutdown();
    }
  };

  (async () => {
    for await (const [m] of hb) await hb.send(m);
  })().catch(() => {});
  post({ type: "ready" });
  for await (const frames of control) {
    try {
      handle(frames);
    } catch (e) {
      // a bug here must not cost the kernel its control channel
      log(`control: ${(e as Error)?.stack ?? e}`);
    }
  }
}

main().catch((e) => {
  parentPort?.postMessage({ type: "log", text: `control worker failed: ${e?.stack ?? e}` });
});
