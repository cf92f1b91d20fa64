/**
 * Where one request's outputs go. The kernel makes one sink per execute request; cells reach it through
 * `display(...)`, `console.log` and friends, and nothing else writes a cell's output to iopub.
 */
import type { Iopub, IopubType, Message, MimeBundle } from "@folio/protocol/jupyter";
import { outsideCells } from "../cell-scope";

export interface DisplayOptions {
  id?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

export interface OutputSink {
  stream(name: "stdout" | "stderr", text: string): void;
  /** display_data, or update_display_data when `update` is set with an `id`. */
  display(data: MimeBundle, opts?: DisplayOptions): void;
  clear(wait?: boolean): void;
}

/** Where an interrupted cell's late output goes: nowhere. */
export const DISCARD: OutputSink = { stream: () => undefined, display: () => undefined, clear: () => undefined };

/** Publishes one iopub message as a child of `parent`. */
export type Publish = <T extends IopubType>(parent: Message | undefined, type: T, content: Iopub[T]) => void;

/**
 * The sink of one execute request: streams batched in the order they were written (stdout and stderr
 * interleaved as the cell wrote them: batching each name apart once put a warning written before a cell's
 * stdout after it, at random), displays and clears published at once, in order.
 */
export class RequestSink implements OutputSink {
  /** Pending stream chunks, consecutive writes to one stream merged. */
  private readonly buf: { name: "stdout" | "stderr"; text: string }[] = [];
  private size = 0;
  private scheduled = false;
  private lastFlush = Date.now();
  /** `muted`: a silent execute broadcasts nothing (messaging spec, execute_request `silent`). */
  constructor(
    private readonly publish: Publish,
    readonly parent: Message,
    private readonly muted = false,
  ) {}
  /** Batched per event-loop turn; flushed at once when large or when a synchronous loop has held it 200 ms. */
  stream(name: "stdout" | "stderr", text: string): void {
    if (this.muted || !text) return;
    const last = this.buf[this.buf.length - 1];
    if (last?.name === name) last.text += text;
    else this.buf.push({ name, text });
    this.size += text.length;
    if (this.size > 1 << 16 || Date.now() - this.lastFlush > 200) this.flush();
    // the flush is the kernel's, not the cell's: it must run even if the cell is interrupted meanwhile
    else if (!this.scheduled) {
      this.scheduled = true;
      outsideCells(() => setImmediate(() => this.flush()));
    }
  }
  flush(): void {
    this.scheduled = false;
    this.lastFlush = Date.now();
    this.size = 0;
    for (const { name, text } of this.buf.splice(0)) this.publish(this.parent, "stream", { name, text });
  }
  display(data: MimeBundle, opts: DisplayOptions = {}): void {
    if (this.muted) return;
    this.flush();
    const content = { data, metadata: opts.metadata ?? {} };
    if (opts.update && opts.id)
      this.publish(this.parent, "update_display_data", { ...content, transient: { display_id: opts.id } });
    else this.publish(this.parent, "display_data", { ...content, transient: opts.id ? { display_id: opts.id } : {} });
  }
  clear(wait = false): void {
    if (this.muted) return;
    this.flush();
    this.publish(this.parent, "clear_output", { wait });
  }
}
