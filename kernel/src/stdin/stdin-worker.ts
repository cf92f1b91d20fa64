/**
 * The stdin channel on its own thread: a cell that calls `prompt()` blocks the main thread until the front end
 * answers, so the socket that receives the `input_reply` cannot live there. The main thread posts a request, this
 * thread sends `input_request` (routed to the shell identity of the request that is running, as ipykernel does),
 * and when the matching `input_reply` arrives it posts the value back and wakes the main thread through a shared
 * counter (`Atomics.notify`), which then reads the reply with `receiveMessageOnPort`.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import * as zmq from "zeromq";
import {
  decode,
  endpoint,
  makeMessage,
  Signer,
  stdinMessages,
  type ConnectionInfo,
  type Header,
} from "@folio/protocol/jupyter";
import { sendMessage, serialSender } from "../protocol/send";

export interface StdinWorkerData {
  info: ConnectionInfo;
  session: string;
  /** [replies posted, socket closed]: [0] is incremented (and notified) after each reply is posted; [1] set to 1 once closed. */
  shared: SharedArrayBuffer;
  port: MessagePort;
}

export type ToStdin =
  | { type: "request"; id: number; ids: Uint8Array[]; parent: Header; prompt: string; password: boolean }
  | { type: "close" };
export type FromStdin =
  | { type: "reply"; id: number; value: string }
  | { type: "log"; text: string }
  | { type: "ready" };

async function main(): Promise<void> {
  const data = workerData as StdinWorkerData;
  const { port } = data;
  const counter = new Int32Array(data.shared);
  const signer = new Signer(data.info.key);
  const socket = new zmq.Router();
  socket.linger = 0;
  await socket.bind(endpoint(data.info, "stdin"));
  const log = (text: string) => port.postMessage({ type: "log", text } satisfies FromStdin);
  const send = serialSender(socket, (e) => log(`stdin send: ${e}`));
  /** Only the latest request is pending: a reply to an earlier (interrupted) one is dropped. */
  let pending: { id: number; msgId: string } | undefined;

  port.on("message", (m: ToStdin) => {
    if (m.type === "close") {
      socket.close();
      port.close();
      // the main thread may be blocked in Atomics.wait until the socket is closed (a cell's process.exit)
      Atomics.store(counter, 1, 1);
      Atomics.notify(counter, 1);
      return;
    }
    const msg = makeMessage("input_request", { prompt: m.prompt, password: m.password }, data.session, {
      parent: m.parent,
      ids: m.ids.map((b) => Buffer.from(b)),
    });
    pending = { id: m.id, msgId: msg.header.msg_id };
    sendMessage(send, msg, signer, log);
  });
  port.postMessage({ type: "ready" } satisfies FromStdin);

  for await (const frames of socket) {
    const d = decode(frames, signer);
    if (!d.ok) {
      log(`stdin: dropped message: ${d.reason}`);
      continue;
    }
    const { header, parent_header, content } = d.msg;
    if (header.msg_type !== "input_reply") {
      log(`stdin: ignored ${header.msg_type}`);
      continue;
    }
    const r = stdinMessages.parse("input_reply", content);
    if (!r.ok) {
      log(`stdin: invalid input_reply: ${r.reason}`);
      continue;
    }
    const to = (parent_header as Partial<Header>).msg_id;
    if (!pending || (to !== undefined && to !== pending.msgId)) {
      log("stdin: an input_reply that answers no pending input_request");
      continue;
    }
    port.postMessage({ type: "reply", id: pending.id, value: r.value.value } satisfies FromStdin);
    pending = undefined;
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  }
}

main().catch((e) => {
  (workerData as StdinWorkerData).port.postMessage({ type: "log", text: `stdin worker failed: ${e?.stack ?? e}` });
});
