/**
 * The Jupyter messaging wire format (protocol 5.3): identities, the `<IDS|MSG>` delimiter, an HMAC-SHA256
 * signature over the four JSON frames, then the frames and any binary buffers.
 * @see https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message<C = Record<string, any>> {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** HMAC-SHA256 of the header, parent header, metadata and content frames, hex encoded ("" when unsigned). */
export function sign(key: string, frames: Buffer[]): string {
  if (!key) return "";
  const h = createHmac("sha256", key);
  for (const f of frames) h.update(f);
  return h.digest("hex");
}

/** Builds a message of `msgType`, in `session`, optionally in reply to `parent`. */
export function makeMessage<C>(msgType: string, content: C, session: string, parent?: Header): Message<C> {
  return {
    header: { msg_id: randomUUID(), session, username: "folio", date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION },
    parent_header: parent ?? {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** Serialises and signs a message into ZeroMQ frames (no routing identities: the client sockets are DEALERs). */
export function encode(msg: Message, key: string): Buffer[] {
  const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((x) => Buffer.from(JSON.stringify(x)));
  return [Buffer.from(DELIMITER), Buffer.from(sign(key, body)), ...body, ...msg.buffers];
}

/** Thrown for frames that are not a well-formed, correctly signed message. */
export class WireError extends Error {}

/** Parses frames into a message, verifying the signature in constant time. */
export function decode(frames: Buffer[], key: string): Message {
  const i = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (i < 0 || frames.length < i + 6) throw new WireError("message without the <IDS|MSG> delimiter or with missing frames");
  const sig = frames[i + 1].toString();
  const body = frames.slice(i + 2, i + 6);
  if (key) {
    const want = Buffer.from(sign(key, body));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw new WireError("message with an invalid HMAC signature");
  }
  const [header, parent_header, metadata, content] = body.map((b) => JSON.parse(b.toString()));
  return { header, parent_header: parent_header ?? {}, metadata: metadata ?? {}, content: content ?? {}, buffers: frames.slice(i + 6) };
}
