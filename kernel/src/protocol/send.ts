/** Sending on the kernel's ZeroMQ sockets. */
import { encode, type Message, type Signer } from "@folio/protocol/jupyter";

export type Send = (frames: Buffer[]) => void;

/**
 * Sends on a ZeroMQ socket one message at a time, in order: zeromq 6 refuses a send while another is in flight
 * ("Socket is busy writing"), which two displays in one synchronous stretch of a cell would otherwise trigger.
 */
export function serialSender(socket: { send(frames: Buffer[]): Promise<void> }, onError: (e: unknown) => void): Send {
  let tail: Promise<void> = Promise.resolve();
  return (frames) => {
    tail = tail.then(() => socket.send(frames)).catch(onError);
  };
}

/** Encodes and sends `msg`; a message JSON cannot hold is logged and dropped (it must not stop the sender). */
export function sendMessage(send: Send, msg: Message<unknown>, signer: Signer, log: (text: string) => void): boolean {
  const e = encode(msg, signer);
  if (!e.ok) {
    log(`not sent: ${e.reason}`);
    return false;
  }
  send(e.frames);
  return true;
}
