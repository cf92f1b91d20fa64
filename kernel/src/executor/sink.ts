/** Where one request's outputs go. The kernel makes one per execute request; nothing else writes to iopub. */
import type { MimeBundle } from "../display/render";

export interface DisplayOptions { id?: string; update?: boolean; metadata?: Record<string, unknown> }

export interface OutputSink {
  stream(name: "stdout" | "stderr", text: string): void;
  /** display_data, or update_display_data when `update` is set with an `id`. */
  display(data: MimeBundle, opts?: DisplayOptions): void;
  clear(wait?: boolean): void;
}
