/**
 * The Jupyter wire format (messaging spec 5.4, "The Wire Protocol"), for kernels and clients alike:
 *
 *     <routing ids…> <IDS|MSG> <hmac> <header> <parent_header> <metadata> <content> <buffers…>
 *
 * The signature is the hex HMAC-SHA256, keyed with the connection file's `key`, over the four JSON frames as sent;
 * an empty key means unsigned messages. Decoding never throws: a message that is not well formed comes back as a
 * failure with a reason (and, when its header is readable, the header, so a kernel can still answer it).
 * @see https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.4";
export const DELIMITER = "<IDS|MSG>";
const DELIM = Buffer.from(DELIMITER);

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 time of creation. */
  date: string;
  msg_type: string;
  version: string;
  /** Later protocol versions add fields (e.g. 5.5's `subshell_id`); they are carried along. */
  [k: string]: unknown;
}

export interface Message<C = Record<string, unknown>> {
  /** ZeroMQ routing identities (ROUTER sockets) or the topic (iopub); empty from a DEALER. */
  ids: Buffer[];
  header: Header;
  /** The header of the message this one answers or reports on; `{}` for none. */
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** HMAC-SHA256 signing and constant-time verification with the connection key. */
export class Signer {
  private readonly key: Buffer;
  constructor(key: string) {
    this.key = Buffer.from(key, "utf8");
  }
  get enabled(): boolean {
    return this.key.length > 0;
  }
  /** Hex digest over the frames in order, "" when unsigned. */
  sign(frames: readonly (Buffer | string)[]): string {
    if (!this.enabled) return "";
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

/**
 * Signatures already accepted, so that a replayed message is refused (jupyter_client's Session keeps a digest
 * history the same way). Bounded: past `limit` entries the oldest are forgotten, so memory stays under ~10 MB.
 */
export class ReplayGuard {
  private readonly seen = new Set<string>();
  constructor(readonly limit = 1 << 16) {}
  /** Records `signature`; false when it was seen before. */
  admit(signature: string): boolean {
    if (this.seen.has(signature)) return false;
    this.seen.add(signature);
    if (this.seen.size > this.limit) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
  get size(): number {
    return this.seen.size;
  }
}

export type WireFailureKind = "frames" | "signature" | "replay" | "json" | "header" | "envelope";

/**
 * Why frames are not a message. `header` is set when the header itself was valid (kind "envelope": the parent
 * header, metadata or content is not an object), so that the receiver can still send an error reply.
 */
export interface WireFailure {
  ok: false;
  kind: WireFailureKind;
  reason: string;
  header?: Header;
  ids?: Buffer[];
}

export type Decoded = { ok: true; msg: Message; signature: string } | WireFailure;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const HEADER_STRINGS = ["msg_id", "msg_type", "session", "username", "date", "version"] as const;
/** Deeper headers are refused: a reply echoes its request's header, and JSON.stringify recurses. */
const MAX_HEADER_DEPTH = 16;

const kindOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);
const isParentHeader = (v: Record<string, unknown>): v is Partial<Header> =>
  HEADER_STRINGS.every((k) => v[k] === undefined || typeof v[k] === "string");

function depthOf(v: unknown, limit: number): number {
  if (typeof v !== "object" || v === null) return 0;
  if (limit <= 0) return 1;
  let d = 0;
  for (const x of Object.values(v)) d = Math.max(d, depthOf(x, limit - 1));
  return d + 1;
}

/** The header's standard fields must be strings (msg_id and msg_type present, to answer it); absent ones read as "". */
export function checkHeader(v: unknown): { ok: true; header: Header } | { ok: false; reason: string } {
  if (!isObject(v)) return { ok: false, reason: `header is ${kindOf(v)}, not an object` };
  for (const k of HEADER_STRINGS) {
    const x = v[k];
    if (x !== undefined && typeof x !== "string") return { ok: false, reason: `header.${k} is not a string` };
  }
  if (!v.msg_id) return { ok: false, reason: "header.msg_id is missing" };
  if (!v.msg_type) return { ok: false, reason: "header.msg_type is missing" };
  if (depthOf(v, MAX_HEADER_DEPTH) > MAX_HEADER_DEPTH)
    return { ok: false, reason: `header is nested deeper than ${MAX_HEADER_DEPTH} levels` };
  const header: Header = { msg_id: "", session: "", username: "", date: "", msg_type: "", version: "" };
  for (const [k, x] of Object.entries(v))
    Object.defineProperty(header, k, { value: x, enumerable: true, writable: true, configurable: true });
  return { ok: true, header };
}

function parseJson(frame: Buffer, name: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(frame.toString("utf8")) };
  } catch (e) {
    return { ok: false, reason: `${name} frame is not JSON (${(e as Error).message})` };
  }
}

/** Frames → message. Checks framing, the signature, replays (with `replay`), the JSON and the envelope's shapes. */
export function decode(frames: readonly Buffer[], signer: Signer, replay?: ReplayGuard): Decoded {
  const i = frames.findIndex((f) => f.equals(DELIM));
  if (i < 0) return { ok: false, kind: "frames", reason: "no <IDS|MSG> delimiter" };
  if (frames.length < i + 6)
    return {
      ok: false,
      kind: "frames",
      reason: `${frames.length - i - 1} frames after the delimiter, expected at least 5`,
    };
  const [sig, h, p, m, c] = frames.slice(i + 1, i + 6);
  if (!signer.verify(sig, [h, p, m, c])) return { ok: false, kind: "signature", reason: "invalid HMAC signature" };
  const signature = sig.toString("latin1");
  if (replay && signer.enabled && !replay.admit(signature))
    return { ok: false, kind: "replay", reason: "repeated signature (a replayed message)" };
  const ids = frames.slice(0, i);
  const hj = parseJson(h, "header");
  if (!hj.ok) return { ok: false, kind: "json", reason: hj.reason };
  const header = checkHeader(hj.value);
  if (!header.ok) return { ok: false, kind: "header", reason: header.reason };
  const envelope = (reason: string): WireFailure => ({
    ok: false,
    kind: "envelope",
    reason,
    header: header.header,
    ids,
  });
  const parts = [parseJson(p, "parent_header"), parseJson(m, "metadata"), parseJson(c, "content")] as const;
  for (const r of parts) if (!r.ok) return envelope(r.reason);
  const [parent, metadata, content] = parts.map((r) => (r.ok ? r.value : undefined));
  if (!isObject(parent)) return envelope(`parent_header is ${kindOf(parent)}, not an object`);
  if (!isObject(metadata)) return envelope(`metadata is ${kindOf(metadata)}, not an object`);
  if (!isObject(content)) return envelope(`content is ${kindOf(content)}, not an object`);
  if (!isParentHeader(parent)) return envelope("parent_header has a standard field that is not a string");
  return {
    ok: true,
    signature,
    msg: { ids, header: header.header, parent_header: parent, metadata, content, buffers: frames.slice(i + 6) },
  };
}

export type Encoded = { ok: true; frames: Buffer[] } | { ok: false; reason: string };

/** Message → signed frames. Fails (as a value) only for content JSON cannot hold: a BigInt, a cycle, extreme depth. */
export function encode(msg: Message<unknown>, signer: Signer): Encoded {
  let json: Buffer[];
  try {
    json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((x) =>
      Buffer.from(JSON.stringify(x) ?? "{}", "utf8"),
    );
  } catch (e) {
    return { ok: false, reason: `${msg.header.msg_type} cannot be sent as JSON: ${(e as Error).message}` };
  }
  return { ok: true, frames: [...msg.ids, DELIM, Buffer.from(signer.sign(json), "utf8"), ...json, ...msg.buffers] };
}

/** A fresh header. */
export function newHeader(msgType: string, session: string, username = "folio"): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

export interface MessageOptions {
  /** The header of the message this one answers or reports on. */
  parent?: Partial<Header>;
  /** Routing ids (a kernel replies with its request's ids) or the iopub topic. */
  ids?: Buffer[];
  metadata?: Record<string, unknown>;
  buffers?: Buffer[];
  username?: string;
}

/** A new message of `msgType` in `session`. */
export function makeMessage<C>(msgType: string, content: C, session: string, opts: MessageOptions = {}): Message<C> {
  return {
    ids: opts.ids ?? [],
    header: newHeader(msgType, session, opts.username),
    parent_header: opts.parent ?? {},
    metadata: opts.metadata ?? {},
    content,
    buffers: opts.buffers ?? [],
  };
}
