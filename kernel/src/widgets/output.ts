/**
 * The Output widget (`@jupyter-widgets/output` 1.0.0): an output area inside a widget. `capture(fn)` sends what
 * `fn` prints, displays and throws (across its awaits) into the widget instead of the cell, by binding the
 * widget as the kernel's output sink for `fn`'s async context. The kernel writes the `outputs` attribute itself
 * (nbformat outputs), so every front end, a saved notebook and a static report show the same thing; nothing
 * depends on a front end capturing iopub messages by `msg_id`.
 */
import { kernelBridge } from "../comm/bridge";
import type { DisplayOptions, OutputSink } from "../output/sink";
import type { MimeBundle } from "@folio/protocol/jupyter";
import { Layout, type DOMState, type Init, type LayoutState } from "./controls";
import { isWidget, Widget } from "./widget";

export type NbOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface OutputState extends DOMState {
  /** The outputs shown, as nbformat output objects. */
  outputs: NbOutput[];
  /** Parent msg_id whose iopub outputs a front end would capture (unused by Folio, kept empty). */
  msg_id: string;
}

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface Output extends OutputState {}
export class Output extends Widget<OutputState> implements OutputSink {
  private buf: NbOutput[] = [];
  private byDisplayId = new Map<string, number>();
  private clearOnNext = false;
  private scheduled = false;

  constructor(init: Init<OutputState> = {}) {
    const { layout, ...rest } = init;
    super(
      {
        model: ["@jupyter-widgets/output", "1.0.0", "OutputModel"],
        view: ["@jupyter-widgets/output", "1.0.0", "OutputView"],
      },
      {
        _dom_classes: [],
        tabbable: null,
        tooltip: null,
        msg_id: "",
        outputs: [],
        ...rest,
        layout: isWidget(layout) ? layout : new Layout((layout ?? {}) as Partial<LayoutState>),
      } as OutputState,
    );
    this.buf = [...this.get("outputs")];
  }

  /**
   * Runs `fn` with its console output, displays and errors going to this widget. An error is shown here and not
   * rethrown (as ipywidgets' `with out:` does); the result is `fn`'s, or undefined after an error.
   */
  capture<T>(fn: () => T): T extends Promise<infer R> ? Promise<R | undefined> : T | undefined {
    const bridge = kernelBridge();
    const run = () => {
      try {
        const r = fn();
        if (r && typeof (r as { then?: unknown }).then === "function") {
          return (r as unknown as Promise<unknown>).then(
            (v) => {
              this.flush();
              return v;
            },
            (e) => {
              this.error(e);
              this.flush();
              return undefined;
            },
          );
        }
        this.flush();
        return r;
      } catch (e) {
        this.error(e);
        this.flush();
        return undefined;
      }
    };
    return (bridge ? bridge.withSink(this, run) : run()) as never;
  }

  /** Clears the outputs (`wait`: when the next output arrives, so the area does not flicker). */
  clear(wait = false): void {
    if (wait) {
      this.clearOnNext = true;
      return;
    }
    this.reset();
    this.schedule();
  }

  stream(name: "stdout" | "stderr", text: string): void {
    this.take();
    const last = this.buf[this.buf.length - 1];
    if (last?.output_type === "stream" && last.name === name)
      this.buf[this.buf.length - 1] = { ...last, text: last.text + text };
    else this.buf.push({ output_type: "stream", name, text });
    this.schedule();
  }

  display(data: MimeBundle, opts: DisplayOptions = {}): void {
    // The plotly HTML fallback carries plotly.js itself; widget front ends render the plotly MIME type.
    const bundle =
      PLOTLY_MIME in data ? Object.fromEntries(Object.entries(data).filter(([k]) => k !== "text/html")) : data;
    const out: NbOutput = { output_type: "display_data", data: bundle, metadata: opts.metadata ?? {} };
    const at = opts.id !== undefined ? this.byDisplayId.get(opts.id) : undefined;
    if (opts.update) {
      if (at !== undefined) {
        this.buf[at] = out;
        this.schedule();
      }
      return;
    }
    this.take();
    if (opts.id !== undefined) this.byDisplayId.set(opts.id, this.buf.length);
    this.buf.push(out);
    this.schedule();
  }

  /** Shows an error (a thrown value, or an `{ename, evalue, traceback}`) as the kernel would show it. */
  error(e: unknown): void {
    const shaped =
      typeof e === "object" && e !== null && Array.isArray((e as { traceback?: unknown }).traceback)
        ? (e as { ename: string; evalue: string; traceback: string[] })
        : (kernelBridge()?.error(e) ?? {
            ename: (e as Error)?.name ?? "Error",
            evalue: String((e as Error)?.message ?? e),
            traceback: [String((e as Error)?.stack ?? e)],
          });
    this.take();
    this.buf.push({ output_type: "error", ename: shaped.ename, evalue: shaped.evalue, traceback: shaped.traceback });
    this.schedule();
  }

  /** Appends text to stdout, or a value displayed as the kernel displays it. */
  appendStdout(text: string): void {
    this.stream("stdout", text);
  }
  appendDisplay(value: unknown): void {
    const b = kernelBridge()?.render(value) ?? { "text/plain": String(value) };
    this.display(b);
  }

  /** Sends the outputs now (otherwise at the end of the current microtask run). */
  flush(): void {
    this.scheduled = false;
    this.set({ outputs: [...this.buf] });
  }

  private reset(): void {
    this.buf = [];
    this.byDisplayId.clear();
    this.clearOnNext = false;
  }
  /** The first output after `clear(true)` replaces what was there. */
  private take(): void {
    if (this.clearOnNext) this.reset();
  }
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      if (this.scheduled) this.flush();
    });
  }
}
