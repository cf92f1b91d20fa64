/**
 * Turning iopub messages into nbformat outputs exactly as Jupyter stores them (nbclient's rules):
 * consecutive streams of one name merged (at the end of the cell), `update_display_data` applied in place to every earlier output
 * with that display_id (in any cell), `clear_output(wait=True)` deferred to the next output.
 */
import type { Message } from "./client";
import { mergeStreams, resolveControlChars, type Output } from "./nbformat";

/** An nbformat output from an output message, or undefined for messages that are not outputs. */
export function outputFromMessage(msg: Message): Output | undefined {
  const c = msg.content;
  switch (msg.header.msg_type) {
    case "stream":
      return { output_type: "stream", name: c.name, text: String(c.text ?? "") };
    case "display_data":
      return { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "execute_result":
      return {
        output_type: "execute_result",
        data: c.data ?? {},
        metadata: c.metadata ?? {},
        execution_count: c.execution_count ?? null,
      };
    case "error":
      return {
        output_type: "error",
        ename: String(c.ename ?? ""),
        evalue: String(c.evalue ?? ""),
        traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
      };
    default:
      return undefined;
  }
}

/** Jupyter's timestamp form (`2024-01-02T03:04:05.678901Z`) of a message header date. */
export function stamp(msg: Message): string {
  const d = String(msg.header.date ?? "");
  return d.replace(/\+00:00$/, "Z");
}

export interface CellSink {
  outputs: Output[];
  execution_count: number | null;
  execution: Record<string, string>;
}

/** Collects the outputs of one notebook's cells; one collector per notebook (display ids span cells). */
export class OutputCollector {
  private displays = new Map<string, { cell: number; out: Output }[]>();
  private cell = -1;
  private sink?: CellSink;
  private clearBeforeNext = false;

  /** Starts collecting for cell `index` into `sink`. */
  begin(index: number, sink: CellSink): void {
    this.cell = index;
    this.sink = sink;
    this.clearBeforeNext = false;
  }

  /** Ends the current cell: consecutive streams merged, their carriage returns resolved. */
  end(): void {
    if (!this.sink) return;
    this.sink.outputs = mergeStreams(this.sink.outputs).map((o) =>
      o.output_type === "stream" ? { ...o, text: resolveControlChars(o.text) } : o,
    );
    this.sink = undefined;
  }

  handle(msg: Message): void {
    const sink = this.sink;
    if (!sink) return;
    const type = msg.header.msg_type;
    const c = msg.content;
    const displayId: string | undefined = c.transient?.display_id;
    if (displayId && (type === "display_data" || type === "execute_result" || type === "update_display_data")) {
      for (const { out } of this.displays.get(displayId) ?? []) {
        if (out.output_type === "stream" || out.output_type === "error") continue;
        out.data = c.data ?? {};
        out.metadata = c.metadata ?? {};
      }
    }
    if (typeof c.execution_count === "number") sink.execution_count = c.execution_count;
    if (type === "status") {
      if (c.execution_state === "busy") sink.execution["iopub.status.busy"] = stamp(msg);
      else if (c.execution_state === "idle") sink.execution["iopub.status.idle"] = stamp(msg);
      return;
    }
    if (type === "execute_input") {
      sink.execution["iopub.execute_input"] = stamp(msg);
      return;
    }
    if (type === "clear_output") {
      if (c.wait) this.clearBeforeNext = true;
      else this.clear(sink);
      return;
    }
    if (type === "update_display_data") return;
    const out = outputFromMessage(msg);
    if (!out) return;
    if (this.clearBeforeNext) {
      this.clear(sink);
      this.clearBeforeNext = false;
    }
    if (displayId) {
      const list = this.displays.get(displayId) ?? [];
      list.push({ cell: this.cell, out });
      this.displays.set(displayId, list);
    }
    sink.outputs.push(out);
  }

  private clear(sink: CellSink): void {
    sink.outputs.length = 0;
    for (const [id, list] of this.displays)
      this.displays.set(
        id,
        list.filter((d) => d.cell !== this.cell),
      );
  }
}
