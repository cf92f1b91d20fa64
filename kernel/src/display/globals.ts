/**
 * What cells see of the kernel: `display(...)` with its `html/markdown/svg/png/json/plotly/table/bundle`
 * variants, `progress(total, label)`, `clearOutput(wait)`, and the bridge `globalThis[Symbol.for("folio.kernel")]`
 * that `@folio/lib/display` talks to. All of them write to the sink of the request being executed.
 * GLOBALS_DTS declares the same names for the type checker.
 */
import { randomUUID } from "node:crypto";
import type { DisplayOptions, OutputSink } from "../output/sink";
import { escapeHtml, isRecordArray, SILENT, tableBundle, type MimeBundle, type Renderer } from "./render";
import { INPUT_DTS } from "../stdin/input";

export const BRIDGE_KEY = Symbol.for("folio.kernel");

export const GLOBALS_DTS = `
interface FolioDisplayOptions {
  /** Display id: displays with the same id can be updated in place. */
  id?: string;
  /** Replace the display with this id (update_display_data) instead of adding one. */
  update?: boolean;
  metadata?: Record<string, unknown>;
}
interface FolioDisplayHandle<T> {
  readonly id: string;
  /** Redraws this display in place. */
  update(value: T): void;
}
/** Shows a value in the notebook, rendered like a cell's last value (plotly figures, tensors, tables...). */
declare function display(value: unknown, opts?: FolioDisplayOptions): FolioDisplayHandle<unknown>;
declare namespace display {
  /** Shows HTML. */
  function html(html: string, opts?: FolioDisplayOptions): FolioDisplayHandle<string>;
  /** Shows Markdown (with $LaTeX$). */
  function markdown(markdown: string, opts?: FolioDisplayOptions): FolioDisplayHandle<string>;
  /** Shows an SVG image. */
  function svg(svg: string, opts?: FolioDisplayOptions): FolioDisplayHandle<string>;
  /** Shows a PNG image (bytes or base64 text). */
  function png(png: Uint8Array | string, opts?: FolioDisplayOptions): FolioDisplayHandle<Uint8Array | string>;
  /** Shows JSON as an interactive tree. */
  function json(value: unknown, opts?: FolioDisplayOptions): FolioDisplayHandle<unknown>;
  /** Shows a plotly figure {data, layout}. */
  function plotly(figure: { data: object[]; layout?: object; config?: object }, opts?: FolioDisplayOptions): FolioDisplayHandle<{ data: object[]; layout?: object; config?: object }>;
  /** Shows an array of plain objects as a table. */
  function table(rows: readonly Record<string, unknown>[], opts?: FolioDisplayOptions): FolioDisplayHandle<readonly Record<string, unknown>[]>;
  /** Sends a raw MIME bundle. */
  function bundle(data: Record<string, unknown>, opts?: FolioDisplayOptions): FolioDisplayHandle<Record<string, unknown>>;
}
interface FolioProgress {
  /** Advances by n steps (default 1) and sets the trailing status text. */
  tick(n?: number, status?: string): void;
  /** Marks the bar complete. */
  done(status?: string): void;
}
/** A progress bar redrawn in place (one display, updated at most ~8 times a second). */
declare function progress(total: number, label?: string): FolioProgress;
/** Clears this cell's output (wait: clear when the next output arrives). */
declare function clearOutput(wait?: boolean): void;
${INPUT_DTS}`;

export interface Handle<T> {
  readonly id: string;
  update(value: T): void;
}

/** Installs the cell globals; `sink()` returns the sink of the request currently executing. */
export function installGlobals(sink: () => OutputSink | undefined, renderer: Renderer): void {
  const emit = (b: MimeBundle | undefined, opts?: DisplayOptions) => {
    if (b) sink()?.display(b, opts);
  };
  const make =
    <T>(toBundle: (v: T) => MimeBundle | undefined) =>
    (value: T, opts?: DisplayOptions): Handle<T> => {
      const id = opts?.id ?? randomUUID();
      emit(toBundle(value), { ...opts, id });
      return { id, update: (v: T) => emit(toBundle(v), { ...opts, id, update: true }), [SILENT]: true } as Handle<T>;
    };
  const text =
    (mime: string, plain: (v: string) => string) =>
    (v: string): MimeBundle => ({ [mime]: v, "text/plain": plain(v) });
  const display = Object.assign(
    make<unknown>((v) => renderer.render(v) ?? { "text/plain": "undefined" }),
    {
      html: make<string>(text("text/html", () => "<HTML>")),
      markdown: make<string>(text("text/markdown", (v) => v)),
      svg: make<string>(text("image/svg+xml", () => "<SVG image>")),
      png: make<Uint8Array | string>((v) => ({
        "image/png": typeof v === "string" ? v : Buffer.from(v).toString("base64"),
        "text/plain": "<PNG image>",
      })),
      json: make<unknown>((v) => ({ "application/json": v, "text/plain": JSON.stringify(v, null, 2) })),
      plotly: make<{ data: object[]; layout?: object }>((v) => renderer.plotly.bundle(v as never)),
      table: make<readonly Record<string, unknown>[]>((v) => (isRecordArray(v) ? tableBundle(v) : renderer.render(v))),
      bundle: make<Record<string, unknown>>((v) => v),
    },
  );
  const g = globalThis as Record<string | symbol, unknown>;
  g.display = display;
  g.clearOutput = (wait = false) => sink()?.clear(wait);
  g.progress = (total: number, label = "") => progress(total, label, emit);
  g[BRIDGE_KEY] = {
    display: (value: unknown, opts?: DisplayOptions) => emit(renderer.render(value), opts),
    bundle: (data: MimeBundle, opts?: DisplayOptions) => emit(data, opts),
    clear: (wait?: boolean) => sink()?.clear(wait ?? false),
  };
}

function progress(total: number, label: string, emit: (b: MimeBundle, o: DisplayOptions) => void) {
  const id = `folio-progress-${randomUUID()}`;
  const t0 = Date.now();
  let count = 0,
    last = 0,
    first = true;
  const render = (status: string) => {
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const width = 30,
      filled = Math.round(frac * width);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const text = `${label ? `${label} ` : ""}|${"█".repeat(filled)}${" ".repeat(width - filled)}| ${count}/${total} [${secs}s]${status ? ` ${status}` : ""}`;
    const html = `<div style="font-family:monospace">${escapeHtml(label)} <progress value="${count}" max="${total}" style="width:16em"></progress> ${count}/${total} [${secs}s] ${escapeHtml(status)}</div>`;
    emit({ "text/plain": text, "text/html": html }, { id, update: !first, metadata: { folio: { progress: true } } });
    first = false;
  };
  render("");
  return {
    [SILENT]: true,
    tick(n = 1, status = "") {
      count += n;
      const now = Date.now();
      if (now - last > 125 || count >= total) {
        last = now;
        render(status);
      }
    },
    done(status = "") {
      count = Math.max(count, total);
      render(status);
    },
  };
}
