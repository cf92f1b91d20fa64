/**
 * The first thing the kernel does with frames from shell or control: decode and check them (framing, signature,
 * replay, JSON, header and envelope shapes; see @folio/protocol/jupyter's `decode`). The outcome is a message to
 * dispatch, a message to answer with an error at once (its envelope is broken but its header says who asked),
 * or frames to drop with the reason logged. Nothing here throws, so no client can stop a receiving thread.
 */
import { decode, ReplayGuard, type Message, type Signer } from "@folio/protocol/jupyter";

export type Received =
  | { kind: "message"; msg: Message; signature: string }
  /** A request whose parent header, metadata or content is not an object: answer it with an error. */
  | { kind: "invalid"; msg: Message; reason: string }
  | { kind: "drop"; reason: string };

export class Inbox {
  /** Signatures of messages already accepted on either channel (a replay is refused on both). */
  readonly seen = new ReplayGuard();
  constructor(private readonly signer: Signer) {}

  receive(frames: readonly Buffer[]): Received {
    const d = decode(frames, this.signer, this.seen);
    if (d.ok) return { kind: "message", msg: d.msg, signature: d.signature };
    if (d.header?.msg_type.endsWith("_request")) {
      return {
        kind: "invalid",
        reason: d.reason,
        msg: { ids: d.ids ?? [], header: d.header, parent_header: {}, metadata: {}, content: {}, buffers: [] },
      };
    }
    return { kind: "drop", reason: d.header ? `${d.header.msg_type}: ${d.reason}` : d.reason };
  }
}
