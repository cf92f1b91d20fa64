/**
 * Widget state for saved notebooks, as nbclient records it: every model the kernel opened on the
 * `jupyter.widget` comm target, with the updates it sent since, and without the ones it closed, stored in
 * `metadata.widgets["application/vnd.jupyter.widget-state+json"]` (schema: jupyter-widgets
 * `packages/schema/v2/state.schema.json`). Front ends (and the HTML report) render the saved views from it with no
 * kernel. Binary values are stored base64-encoded at their `buffer_paths`.
 */
import type { Message } from "./client";
import type { Notebook } from "./nbformat";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
const TARGET = "jupyter.widget";

type Path = (string | number)[];
interface ModelState {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  buffers?: { path: Path; data: string; encoding: "base64" }[];
}
export interface WidgetState {
  version_major: 2;
  version_minor: 0;
  state: Record<string, ModelState>;
}

export class WidgetStateCollector {
  private readonly models = new Map<string, ModelState>();

  /** One iopub message of the run (anything but comm messages is ignored). */
  handle(msg: Message): void {
    const type = msg.header.msg_type,
      c = msg.content as {
        comm_id?: string;
        target_name?: string;
        data?: { state?: Record<string, unknown>; buffer_paths?: Path[]; method?: string };
      };
    const id = c.comm_id;
    if (!id) return;
    if (type === "comm_open" && c.target_name === TARGET) {
      const state = { ...(c.data?.state ?? {}) };
      const s = (k: string) => String(state[k] ?? "");
      this.models.set(id, {
        model_name: s("_model_name"),
        model_module: s("_model_module"),
        model_module_version: s("_model_module_version"),
        state,
      });
      this.buffers(id, c.data?.buffer_paths ?? [], msg.buffers ?? []);
    } else if (
      type === "comm_msg"
      && this.models.has(id)
      && (c.data?.method === "update" || c.data?.method === "echo_update")
    ) {
      Object.assign(this.models.get(id)!.state, c.data.state ?? {});
      this.buffers(id, c.data.buffer_paths ?? [], msg.buffers ?? []);
    } else if (type === "comm_close") {
      this.models.delete(id);
    }
  }

  private buffers(id: string, paths: Path[], buffers: Uint8Array[]): void {
    if (!paths.length) return;
    const m = this.models.get(id)!;
    const kept = (m.buffers ?? []).filter((b) => !paths.some((p) => JSON.stringify(p) === JSON.stringify(b.path)));
    paths.forEach((path, i) => {
      if (buffers[i]) kept.push({ path, data: Buffer.from(buffers[i]).toString("base64"), encoding: "base64" });
    });
    m.buffers = kept;
  }

  /** The state to save, or undefined when the run opened no widget. */
  state(): WidgetState | undefined {
    if (!this.models.size) return undefined;
    return { version_major: 2, version_minor: 0, state: Object.fromEntries(this.models) };
  }

  /** Stores the state in the notebook's metadata (and drops a stale one when the run made no widget). */
  saveInto(nb: Notebook): void {
    const state = this.state();
    const widgets = { ...((nb.metadata.widgets as Record<string, unknown> | undefined) ?? {}) };
    if (state) widgets[WIDGET_STATE_MIME] = state;
    else delete widgets[WIDGET_STATE_MIME];
    if (Object.keys(widgets).length) nb.metadata.widgets = widgets;
    else delete nb.metadata.widgets;
  }
}
