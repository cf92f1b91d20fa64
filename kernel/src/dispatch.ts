/**
 * The kernel's one queue of messages from shell and control (control's ahead of shell's), handled one at a time:
 * busy, the handler from the request table (requests.ts), the reply if it is a request, idle. After a failed
 * execute, the executes already queued are aborted (`stop_on_error`), each with a reply of its own.
 */
import type { Message } from "@folio/protocol/jupyter";
import type { Publish } from "./output/sink";
import {
  answer,
  classify,
  errorReply,
  notify,
  type Channel,
  type Incoming,
  type NoticeHandlers,
  type RequestContext,
  type RequestHandlers,
} from "./requests";

/** A message waiting its turn; `invalid` says why its envelope is broken (it is answered with an error). */
interface Queued {
  msg: Message;
  channel: Channel;
  receivedAt: number;
  invalid?: string;
}

export interface DispatchDeps {
  handlers: RequestHandlers;
  notices: NoticeHandlers;
  publish: Publish;
  /** Sends a reply to `msg` on its channel (the reply's type is derived there). */
  reply(msg: Message, channel: Channel, content: object): void;
  log(text: string): void;
  /** Told of each message as it is queued (an execute makes a running completion yield). */
  queued?(msg: Message): void;
  /** Told of each message as its turn comes (what the kernel sends meanwhile is parented to it). */
  started?(msg: Message): void;
}

export class Dispatcher {
  private readonly queue: Queued[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly d: DispatchDeps) {}

  enqueue(msg: Message, channel: Channel, front = false, invalid?: string): void {
    const q = { msg, channel, receivedAt: performance.now(), invalid };
    this.d.queued?.(msg);
    if (front) this.queue.unshift(q);
    else this.queue.push(q);
    this.wake?.();
  }

  /** Handles messages as they come, for ever. */
  async run(): Promise<never> {
    for (;;) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      // nothing a message does may stop this loop: every later request would go unanswered
      await this.respond(next).catch((e) =>
        this.d.log(`${next.channel}: ${next.msg.header.msg_type}: ${(e as Error)?.stack ?? e}`),
      );
    }
  }

  /** Every message: busy, its handler, the reply if it is a request, idle. */
  private async respond({ msg, channel, receivedAt, invalid }: Queued): Promise<void> {
    const { publish, reply, log } = this.d;
    const after: (() => void | Promise<void>)[] = [];
    const ctx: RequestContext = {
      msg,
      channel,
      receivedAt,
      afterReply: (fn) => {
        after.push(fn);
      },
    };
    const incoming: Incoming = invalid ? { kind: "invalid", reason: invalid, replyable: true } : classify(msg);
    this.d.started?.(msg);
    publish(msg, "status", { execution_state: "busy" });
    try {
      switch (incoming.kind) {
        case "request": {
          const { request } = incoming;
          const content = await answer(this.d.handlers, request.type, request.content, ctx);
          // stop_on_error: executes that were already queued when the cell failed are aborted; later ones run.
          const abort =
            request.type === "execute_request" && content.status === "error" && request.content.stop_on_error !== false
              ? await this.takeQueuedExecutes()
              : [];
          reply(msg, channel, content);
          for (const q of abort) {
            publish(q.msg, "status", { execution_state: "busy" });
            // no execution count: front ends leave the skipped cell's prompt empty (`In [ ]`), as with ipykernel
            reply(q.msg, q.channel, { status: "aborted" });
            publish(q.msg, "status", { execution_state: "idle" });
          }
          break;
        }
        case "notice":
          await notify(this.d.notices, incoming.notice.type, incoming.notice.content, ctx);
          break;
        case "invalid":
          log(`${channel}: invalid ${msg.header.msg_type}: ${incoming.reason}`);
          if (incoming.replyable)
            reply(msg, channel, errorReply("InvalidRequest", `invalid ${msg.header.msg_type}: ${incoming.reason}`));
          break;
        case "unknown":
          log(`${channel}: unhandled message type ${msg.header.msg_type}`);
          if (incoming.replyable)
            reply(msg, channel, errorReply("UnknownRequest", `Folio does not handle ${msg.header.msg_type}`));
          break;
      }
      for (const fn of after) await fn();
    } finally {
      publish(msg, "status", { execution_state: "idle" });
    }
  }

  /** The execute requests already received (after one turn of the event loop to pull them from ZeroMQ). */
  private async takeQueuedExecutes(): Promise<Queued[]> {
    await new Promise((r) => setImmediate(r));
    const taken = this.queue.filter((q) => q.msg.header.msg_type === "execute_request");
    for (const q of taken) this.queue.splice(this.queue.indexOf(q), 1);
    return taken;
  }
}
