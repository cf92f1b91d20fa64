/**
 * Jupyter wire format: `<ids…> <IDS|MSG> <hmac> <header> <parent_header> <metadata> <content> <buffers…>`,
 * signed with HMAC-SHA256 over the four JSON frames (messaging spec 5.3, "The Wire Protocol").
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIM = Buffer.from("<IDS|MSG>");

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [k: string]: unknown;
}

export interface Message<C = Record<string, unknown>> {
  ids: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export class Signer {
  private readonly key: Buffer;
  constructor(key: string) { this.key = Buffer.from(key, "utf8"); }
  get enabled(): boolean { return this.key.length > 0; }
  sign(frames: (Buffer | string)[]): string {
    if (!this.enabled) return "";
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }
  /** Constant-time comparison of the received signature with the expected one. */
  verify(signature: Buffer, frames: Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

export type Decoded = { ok: true; msg: Message } | { ok: false; reason: string };

export function decode(frames: Buffer[], signer: Signer): Decoded {
  const i = frames.findIndex((f) => f.equals(DELIM));
  if (i < 0 || frames.length < i + 6) return { ok: false, reason: "malformed message (no delimiter or too few frames)" };
  const [sig, h, p, m, c] = frames.slice(i + 1, i + 6);
  if (!signer.verify(sig, [h, p, m, c])) return { ok: false, reason: "invalid HMAC signature" };
  try {
    return {
      ok: true,
      msg: {
        ids: frames.slice(0, i),
        header: JSON.parse(h.toString("utf8")),
        parent_header: JSON.parse(p.toString("utf8")),
        metadata: JSON.parse(m.toString("utf8")),
        content: JSON.parse(c.toString("utf8")),
        buffers: frames.slice(i + 6),
      },
    };
  } catch (e) {
    return { ok: false, reason: `unparseable JSON frame: ${(e as Error).message}` };
  }
}

export function encode(msg: Message<unknown>, signer: Signer): Buffer[] {
  const json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((x) => Buffer.from(JSON.stringify(x) ?? "{}", "utf8"));
  return [...msg.ids, DELIM, Buffer.from(signer.sign(json), "utf8"), ...json, ...msg.buffers];
}

/** A fresh header for a message sent by the kernel. */
export function header(msgType: string, session: string): Header {
  return { msg_id: randomUUID(), session, username: "folio", date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** A message answering or reporting on `parent` (same routing ids for replies). */
export function child<C>(parent: Message | undefined, msgType: string, content: C, session: string, ids: Buffer[] = parent?.ids ?? [], metadata: Record<string, unknown> = {}): Message<C> {
  return { ids, header: header(msgType, session), parent_header: parent?.header ?? {}, metadata, content, buffers: [] };
}

/**
 * Sends on a ZeroMQ socket one message at a time, in order: zeromq 6 refuses a send while another is in flight
 * ("Socket is busy writing"), which two displays in one synchronous stretch of a cell would otherwise trigger.
 */
export function serialSender(socket: { send(frames: Buffer[]): Promise<void> }, onError: (e: unknown) => void): (frames: Buffer[]) => void {
  let tail: Promise<void> = Promise.resolve();
  return (frames) => { tail = tail.then(() => socket.send(frames)).catch(onError); };
}
