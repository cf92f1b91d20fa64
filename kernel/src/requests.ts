/**
 * The kernel's request table: one typed handler per message type, reached only through `classify` (which checks
 * the content against the type's shape) and `answer` (which turns a throw into an error reply). A handler
 * returns its reply's content; the reply's type (`x_request` → `x_reply`) is derived elsewhere, in one place.
 *
 * Adding a request is one entry in `REQUESTS`/`Replies` of @folio/protocol/jupyter and one handler here; comms
 * are `NoticeHandlers` (no reply), and stdin's `input_reply` a `StdinHandlers` entry.
 */
import {
  notices,
  requests,
  stdinMessages,
  type ErrorReply,
  type Message,
  type Notices,
  type NoticeType,
  type Reply,
  type Requests,
  type RequestType,
  type StdinMessages,
  type StdinType,
} from "@folio/protocol/jupyter";

export type Channel = "shell" | "control";

/** What a handler knows of its message besides the content. */
export interface RequestContext {
  readonly msg: Message;
  readonly channel: Channel;
  /** performance.now() when the kernel received the message. */
  readonly receivedAt: number;
  /** Runs `fn` once the reply has been sent (shutdown exits only then). */
  afterReply(fn: () => void | Promise<void>): void;
}

export type RequestHandler<K extends RequestType> = (content: Requests[K], ctx: RequestContext) => Promise<Reply<K>>;
export type RequestHandlers = { [K in RequestType]: RequestHandler<K> };
export type NoticeHandlers = { [K in NoticeType]: (content: Notices[K], ctx: RequestContext) => void | Promise<void> };
export type StdinHandlers = { [K in StdinType]: (content: StdinMessages[K], msg: Message) => void };

/** A request whose content was checked: its `type` and `content` agree. */
export type Request = { [K in RequestType]: { type: K; content: Requests[K] } }[RequestType];
export type Notice = { [K in NoticeType]: { type: K; content: Notices[K] } }[NoticeType];

/** What a received message asks of the kernel. */
export type Incoming =
  | { kind: "request"; request: Request }
  | { kind: "notice"; notice: Notice }
  /** Its content does not fit its type's shape (`reason` names the field); requests get an error reply. */
  | { kind: "invalid"; reason: string; replyable: boolean }
  | { kind: "unknown"; replyable: boolean };

function checked<K extends RequestType>(type: K, content: unknown): Incoming {
  const r = requests.parse(type, content);
  // the mapped Request type cannot be built generically without a cast: one entry per K
  return r.ok
    ? { kind: "request", request: { type, content: r.value } as Request }
    : { kind: "invalid", reason: r.reason, replyable: true };
}

function checkedNotice<K extends NoticeType>(type: K, content: unknown): Incoming {
  const r = notices.parse(type, content);
  return r.ok
    ? { kind: "notice", notice: { type, content: r.value } as Notice }
    : { kind: "invalid", reason: r.reason, replyable: false };
}

export function classify(msg: Message): Incoming {
  const type = msg.header.msg_type;
  if (requests.has(type)) return checked(type, msg.content);
  if (notices.has(type)) return checkedNotice(type, msg.content);
  return { kind: "unknown", replyable: type.endsWith("_request") };
}

/** An error reply naming what went wrong (messaging spec: status "error" with ename/evalue/traceback). */
export function errorReply(ename: string, evalue: string, traceback: string[] = [`${ename}: ${evalue}`]): ErrorReply {
  return { status: "error", ename, evalue, traceback };
}

/** Runs the request's handler; a throw becomes an error reply (a handler's bug must not leave a client waiting). */
export async function answer<K extends RequestType>(
  handlers: RequestHandlers,
  type: K,
  content: Requests[K],
  ctx: RequestContext,
): Promise<Reply<K>> {
  try {
    return await handlers[type](content, ctx);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return errorReply(err.name || "Error", err.message, String(err.stack ?? err).split("\n"));
  }
}

export function notify<K extends NoticeType>(
  handlers: NoticeHandlers,
  type: K,
  content: Notices[K],
  ctx: RequestContext,
): void | Promise<void> {
  return handlers[type](content, ctx);
}

/** A stdin message, checked and handed to its handler; anything else on stdin is logged and dropped. */
export function onStdin(handlers: StdinHandlers, msg: Message, log: (text: string) => void): void {
  const type = msg.header.msg_type;
  if (!stdinMessages.has(type)) {
    log(`stdin: ignored ${type}`);
    return;
  }
  const r = stdinMessages.parse(type, msg.content);
  if (!r.ok) {
    log(`stdin: invalid ${type}: ${r.reason}`);
    return;
  }
  handlers[type](r.value, msg);
}
