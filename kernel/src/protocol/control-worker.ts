/**
 * The control and heartbeat channels, on their own thread so that they answer while a cell keeps the main
 * thread busy. An interrupt stops the running cell: a SIGINT to ourselves while the main thread is inside
 * synchronous cell code (vm `breakOnSigint` turns it into an exception), and V8's terminateExecution through
 * the inspector when the cell spins inside a promise continuation (nothing else can stop that).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Session } from "node:inspector";
import * as zmq from "zeromq";
import { decode, endpoint, makeMessage, replyType, Signer, type ConnectionInfo, type Message } from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "./send";
import { ACK, CLOSED, PENDING, SEQ, STATE, SYNC } from "../shared-flags";

export interface ControlWorkerData {
  info: ConnectionInfo;
  session: string;
  kernelInfo: Record<string, unknown>;
  /** The flags of ../shared-flags. */
  shared: SharedArrayBuffer;
}

export type FromControl =
  | { type: "request"; msg: Message }
  | { type: "interrupt"; seq: number; parent: Message }
  | { type: "status"; parent: Message; state: "busy" | "idle" }
  | { type: "log"; text: string }
  | { type: "ready" };
export type ToControl = { type: "send"; frames: Uint8Array[] } | { type: "close" };

async function main(): Promise<void> {
  const data = workerData as ControlWorkerData;
  const port = parentPort!;
  const flags = new Int32Array(data.shared);
  const signer = new Signer(data.info.key);
  const control = new zmq.Router();
  const hb = new zmq.Reply();
  control.linger = 0; hb.linger = 0;
  await Promise.all([control.bind(endpoint(data.info, "control")), hb.bind(endpoint(data.info, "hb"))]);
  const post = (m: FromControl) => port.postMessage(m);

  const send = serialSender(control, (e) => post({ type: "log", text: `control send: ${e}` }));
  const log = (text: string) => post({ type: "log", text });
  const reply = (msg: Message, content: Record<string, unknown>) =>
    sendMessage(send, makeMessage(replyType(msg.header.msg_type), content, data.session, { parent: msg.header, ids: msg.ids }), signer, log);

  port.on("message", (m: ToControl) => {
    if (m.type === "send") send(m.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)));
    else if (m.type === "close") {
      control.close(); hb.close(); port.close();
      // the main thread may be blocked in Atomics.wait until the sockets are closed (a cell's process.exit)
      Atomics.store(flags, CLOSED, 1);
      Atomics.notify(flags, CLOSED);
    }
  });

  let inspector: Session | undefined;
  const interrupt = (parent: Message) => {
    const seq = Atomics.load(flags, SEQ);
    const ack = Atomics.load(flags, ACK);
    post({ type: "interrupt", seq, parent });
    if (Atomics.load(flags, STATE) === SYNC) { process.kill(process.pid, "SIGINT"); return; }
    if (Atomics.load(flags, STATE) !== PENDING) return;
    // Pending cell: the main thread normally handles the message at once. If it does not, it is spinning.
    setTimeout(() => {
      if (Atomics.load(flags, ACK) !== ack || Atomics.load(flags, SEQ) !== seq) return;
      const state = Atomics.load(flags, STATE);
      if (state === SYNC) process.kill(process.pid, "SIGINT");
      else if (state === PENDING) {
        if (!inspector) { inspector = new Session(); inspector.connectToMainThread(); }
        inspector.post("Runtime.terminateExecution", () => {});
      }
    }, 150);
  };

  (async () => { for await (const [m] of hb) await hb.send(m); })().catch(() => {});
  post({ type: "ready" });
  for await (const frames of control) {
    const d = decode(frames, signer);
    if (!d.ok) { post({ type: "log", text: `control: dropped message: ${d.reason}` }); continue; }
    const msg = d.msg;
    switch (msg.header.msg_type) {
      case "kernel_info_request":
        post({ type: "status", parent: msg, state: "busy" });
        reply(msg, data.kernelInfo);
        post({ type: "status", parent: msg, state: "idle" });
        break;
      case "interrupt_request":
        post({ type: "status", parent: msg, state: "busy" });
        interrupt(msg);
        reply(msg, { status: "ok" });
        post({ type: "status", parent: msg, state: "idle" });
        break;
      default:
        post({ type: "request", msg });
    }
  }
}

main().catch((e) => { parentPort?.postMessage({ type: "log", text: `control worker failed: ${e?.stack ?? e}` }); });
