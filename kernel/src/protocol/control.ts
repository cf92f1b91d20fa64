/** The main thread's side of the control thread (control-worker.ts): starting it, talking to it, closing it. */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { ConnectionInfo, Message } from "@folio/protocol/jupyter";
import { CLOSED } from "../shared-flags";
import type { ControlWorkerData, FromControl, ToControl } from "./control-worker";

export interface ControlEvents {
  /** A control request for the main thread's queue (all but kernel_info, interrupt and shutdown). */
  request(msg: Message, signature: string): void;
  interrupt(seq: number): void;
  shutdown(): void;
  status(parent: Message, state: "busy" | "idle"): void;
  /** A signature accepted on control. */
  seen(signature: string): void;
  log(text: string): void;
}

export class ControlThread {
  private worker: Worker | undefined;
  /** Signatures accepted on shell before the thread started, told to it when it does. */
  private readonly early: string[] = [];
  /** Signatures accepted on shell this turn of the event loop, told to the thread at its end (`seen`). */
  private readonly batch: string[] = [];

  constructor(
    private readonly flags: Int32Array,
    private readonly events: ControlEvents,
  ) {}

  start(info: ConnectionInfo, session: string, kernelInfo: object): Promise<void> {
    const data: ControlWorkerData = { info, session, kernelInfo, shared: this.flags.buffer as SharedArrayBuffer };
    const worker = new Worker(path.join(__dirname, "control-worker.js"), { workerData: data });
    this.worker = worker;
    worker.unref();
    for (const signature of this.early.splice(0)) this.seen(signature);
    const e = this.events;
    return new Promise((resolve, reject) => {
      worker.on("error", (err) => {
        e.log(`control worker: ${err.stack ?? err}`);
        reject(err);
      });
      worker.on("message", (m: FromControl) => {
        switch (m.type) {
          case "ready":
            resolve();
            break;
          case "log":
            e.log(m.text);
            break;
          case "status":
            e.status(revive(m.parent), m.state);
            break;
          case "interrupt":
            e.interrupt(m.seq);
            break;
          case "shutdown":
            e.shutdown();
            break;
          case "seen":
            e.seen(m.signature);
            break;
          case "request":
            e.request(revive(m.msg), m.signature);
            break;
        }
      });
    });
  }

  private post(m: ToControl): void {
    this.worker?.postMessage(m);
  }

  send(frames: Buffer[]): void {
    this.post({ type: "send", frames });
  }

  /**
   * Tells the control thread a signature accepted on shell, once this turn of the event loop is over: a post to a
   * thread costs ~0.1 ms, which a cell's round trip would otherwise wait for before its check is sent (issue 16).
   * The thread learns of the signature a fraction of a millisecond later than before; it always learnt of it
   * asynchronously, after the shell message itself.
   */
  seen(signature: string): void {
    if (!this.worker) {
      this.early.push(signature);
      return;
    }
    this.batch.push(signature);
    if (this.batch.length === 1)
      setImmediate(() => {
        for (const s of this.batch.splice(0)) this.post({ type: "seen", signature: s });
      });
  }

  /**
   * Closes the control thread's sockets and waits (at most 10 s) until it has: exiting while the thread still
   * starts (it starts after the first reply, so a first cell's process.exit can meet it loading zeromq) aborts
   * the process in ZeroMQ's teardown. A started thread answers in milliseconds.
   */
  closeSync(): void {
    if (!this.worker || Atomics.load(this.flags, CLOSED) === 1) return;
    this.post({ type: "close" });
    Atomics.wait(this.flags, CLOSED, 0, 10000);
  }
}

/** Messages crossing from the control worker arrive as structured clones: Buffers become Uint8Arrays. */
function revive(msg: Message): Message {
  return { ...msg, ids: msg.ids.map((b) => Buffer.from(b)), buffers: (msg.buffers ?? []).map((b) => Buffer.from(b)) };
}
