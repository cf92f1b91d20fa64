/**
 * The iopub channel: an XPUB socket, so the kernel sees each subscription and answers it with an
 * `iopub_welcome` message on that topic (JEP 65, messaging spec 5.4). A client then knows its subscription is
 * live and that it will miss nothing published after; older clients subscribe as before and ignore the welcome
 * (a message with no parent). Every subscription is seen, duplicates included ("allSubs"), so that a second
 * client subscribing to "" is welcomed too.
 */
import * as zmq from "zeromq";
import { makeMessage, type Iopub, type IopubType, type Message, type Signer } from "@folio/protocol/jupyter";
import { sendMessage, serialSender, type Send } from "./send";

export class IopubChannel {
  private readonly socket = new zmq.XPublisher({ linger: 1000, sendHighWaterMark: 100000, verbosity: "allSubs" });
  private readonly send: Send;

  constructor(
    private readonly signer: Signer,
    private readonly session: string,
    private readonly log: (text: string) => void,
  ) {
    this.send = serialSender(this.socket, (e) => log(`iopub: ${e}`));
  }

  async bind(address: string): Promise<void> {
    await this.socket.bind(address);
    void this.welcome();
  }

  /** Publishes one message as a child of `parent`, with its type as the topic (ipykernel's convention). */
  publish<T extends IopubType>(
    parent: Message | undefined,
    type: T,
    content: Iopub[T],
    extra: { metadata?: Record<string, unknown>; buffers?: Buffer[] } = {},
  ): void {
    sendMessage(
      this.send,
      makeMessage(type, content, this.session, { parent: parent?.header, ids: [Buffer.from(type)], ...extra }),
      this.signer,
      this.log,
    );
  }

  close(): void {
    this.socket.close();
  }

  /** Subscription frames: byte 1 then the topic subscribes, byte 0 unsubscribes. */
  private async welcome(): Promise<void> {
    try {
      for await (const [frame] of this.socket) {
        if (frame?.[0] !== 1) continue;
        const topic = frame.subarray(1);
        const msg = makeMessage(
          "iopub_welcome",
          { subscription: topic.toString("utf8") } satisfies Iopub["iopub_welcome"],
          this.session,
          { ids: [Buffer.from(topic)] },
        );
        sendMessage(this.send, msg, this.signer, this.log);
      }
    } catch {
      // socket closed
    }
  }
}
