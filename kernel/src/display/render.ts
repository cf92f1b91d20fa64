/**
 * Values → MIME bundles. Objects opt in through `Symbol.for("Jupyter.display")` (Deno's convention); plotly
 * figures, tfjs tensors and danfojs DataFrames are recognised by shape, everything else is `util.inspect`ed.
 */
import { inspect } from "node:util";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { MimeBundle } from "@folio/protocol/jupyter";

export type { MimeBundle };
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
/** Marks values a cell's last expression should not display (display handles: the display already happened). */
export const SILENT = Symbol.for("folio.silent");

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function textPlain(value: unknown): string {
  return typeof value === "string"
    ? inspect(value)
    : inspect(value, { colors: false, depth: 4, maxArrayLength: 100, breakLength: 100 });
}

type Plotly = { data: Record<string, unknown>[]; layout?: Record<string, unknown>; config?: Record<string, unknown> };

export function isPlotlyFigure(v: unknown): v is Plotly {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const d = (v as { data?: unknown }).data;
  const layout = (v as { layout?: unknown }).layout;
  if (!Array.isArray(d) || d.length === 0) return false;
  if (layout !== undefined && (typeof layout !== "object" || layout === null)) return false;
  return d.every(
    (t) =>
      typeof t === "object"
      && t !== null
      && !Array.isArray(t)
      && ("type" in t || "x" in t || "y" in t || "z" in t || "values" in t),
  );
}

/**
 * Renders plotly figures as `application/vnd.plotly.v1+json` (`{data, layout, config?}`, plotly's own MIME type)
 * with a one-line `text/plain` summary, and nothing else: the front ends draw that MIME type themselves (VS Code
 * natively; classic Notebook and JupyterLab through the extensions `folio kernel install` puts beside the
 * kernelspec, each with a local plotly.js), so a stored figure costs its data and a few hundred bytes, and draws in
 * a notebook opened without running. `FOLIO_PLOTLY_HTML=inline` adds a self-contained `text/html` as well (plotly.js
 * inlined in the session's first figure, ~4.6 MB), for exports read where no extension runs (nbconvert's HTML).
 */
export class PlotlyRenderer {
  private inlined = false;
  constructor(private readonly dir: string) {}

  private library(): string | undefined {
    for (const base of [path.join(this.dir, "x.js"), __filename]) {
      try {
        return readFileSync(createRequire(base).resolve("plotly.js-dist-min"), "utf8");
      } catch {
        /* next */
      }
    }
    return undefined;
  }

  bundle(fig: Plotly): MimeBundle {
    const data = fig.data,
      layout = fig.layout ?? {};
    const title = (layout as { title?: unknown }).title;
    const titleText = typeof title === "string" ? title : (title as { text?: string } | undefined)?.text;
    const kinds = [...new Set(data.map((t) => String(t.type ?? "scatter")))].join(", ");
    const out: MimeBundle = {
      "application/vnd.plotly.v1+json": fig.config ? { data, layout, config: fig.config } : { data, layout },
      "text/plain": `Plotly figure${titleText ? ` "${titleText}"` : ""}: ${data.length} trace${data.length === 1 ? "" : "s"} (${kinds})`,
    };
    if (process.env.FOLIO_PLOTLY_HTML === "inline") out["text/html"] = this.inlineHtml(fig);
    return out;
  }

  /** A `text/html` that draws the figure by itself: plotly.js inlined once per session, then `window.Plotly`. */
  private inlineHtml(fig: Plotly): string {
    const id = `folio-plot-${randomUUID()}`;
    const json = (x: unknown) => JSON.stringify(x).replace(/</g, "\\u003c");
    const draw = `Plotly.newPlot(${JSON.stringify(id)}, ${json(fig.data)}, ${json(fig.layout ?? {})}, ${json({ responsive: true, ...(fig.config ?? {}) })});`;
    let lib = "";
    if (!this.inlined) {
      const src = this.library();
      if (src) {
        lib = `<script type="text/javascript">if (!window.Plotly) {\n${src.replace(/<\/script/gi, "<\\/script")}\n}</script>\n`;
        this.inlined = true;
      }
    }
    return `${lib}<div id="${id}" style="width:100%;min-height:420px"></div>\n<script type="text/javascript">(function () {\n  function draw() { ${draw} }\n  if (window.Plotly) draw();\n  else if (window.require) window.require(["plotly"], function (P) { window.Plotly = P; draw(); });\n})();</script>`;
  }
}

interface TensorLike {
  shape: number[];
  dtype: string;
  rank: number;
  size: number;
  dataSync(): unknown;
  arraySync(): unknown;
  toString(): string;
  isDisposed?: boolean;
}
function isTensor(v: unknown): v is TensorLike {
  return (
    typeof v === "object"
    && v !== null
    && Array.isArray((v as TensorLike).shape)
    && typeof (v as TensorLike).dtype === "string"
    && typeof (v as TensorLike).dataSync === "function"
    && typeof (v as TensorLike).arraySync === "function"
  );
}

function htmlTable(rows: unknown[][], header?: string[], caption?: string): string {
  const cell = (x: unknown) => `<td>${escapeHtml(typeof x === "number" ? fmtNum(x) : String(x))}</td>`;
  const head = header ? `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` : "";
  return `<table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ""}${head}<tbody>${rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`;
}
function fmtNum(x: number): string {
  return Number.isInteger(x)
    ? String(x)
    : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6
      ? x.toPrecision(6).replace(/\.?0+$/, "")
      : x.toExponential(4);
}

function tensorBundle(t: TensorLike): MimeBundle {
  if (t.isDisposed) return { "text/plain": `Tensor (disposed) shape=[${t.shape}] dtype=${t.dtype}` };
  const out: MimeBundle = { "text/plain": t.toString() };
  if (t.rank <= 2 && t.size <= 400 && t.rank > 0) {
    const a = t.arraySync() as unknown[];
    const rows = t.rank === 1 ? [a] : (a as unknown[][]);
    out["text/html"] = htmlTable(rows, undefined, `Tensor ${t.dtype} [${t.shape.join(", ")}]`);
  }
  return out;
}

interface DataFrameLike {
  columns: string[];
  values: unknown[][];
  index: unknown[];
  shape: number[];
  toString(): string;
}
function isDataFrame(v: unknown): v is DataFrameLike {
  return (
    typeof v === "object"
    && v !== null
    && (v as object).constructor?.name === "DataFrame"
    && Array.isArray((v as DataFrameLike).columns)
    && Array.isArray((v as DataFrameLike).values)
  );
}
function dataFrameBundle(df: DataFrameLike): MimeBundle {
  const rows = df.values.slice(0, 200).map((r, i) => [df.index[i], ...r]);
  const caption = df.values.length > 200 ? `first 200 of ${df.values.length} rows` : undefined;
  return { "text/plain": df.toString(), "text/html": htmlTable(rows, ["", ...df.columns], caption) };
}

export function isRecordArray(v: unknown): v is Record<string, unknown>[] {
  return (
    Array.isArray(v)
    && v.length > 0
    && v.every(
      (r) =>
        typeof r === "object"
        && r !== null
        && !Array.isArray(r)
        && (Object.getPrototypeOf(r) === Object.prototype || Object.getPrototypeOf(r) === null),
    )
  );
}

/** An HTML + markdown table of plain objects (columns = union of keys, in first-seen order). */
export function tableBundle(rows: Record<string, unknown>[]): MimeBundle {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const show = (x: unknown) =>
    x === undefined
      ? ""
      : typeof x === "number"
        ? fmtNum(x)
        : typeof x === "string"
          ? x
          : inspect(x, { breakLength: Infinity });
  const md = [
    `| ${cols.join(" | ")} |`,
    `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cols.map((c) => show(r[c]).replace(/\|/g, "\\|")).join(" | ")} |`),
  ].join("\n");
  return {
    "text/plain": md,
    "text/markdown": md,
    "text/html": htmlTable(
      rows.map((r) => cols.map((c) => show(r[c]))),
      cols,
    ),
  };
}

export class Renderer {
  readonly plotly: PlotlyRenderer;
  constructor(dir: string) {
    this.plotly = new PlotlyRenderer(dir);
  }

  /** The bundle for a value, or undefined for `undefined` (nothing to show). */
  render(value: unknown): MimeBundle | undefined {
    if (value === undefined) return undefined;
    if ((typeof value === "object" || typeof value === "function") && value !== null) {
      if ((value as { [SILENT]?: boolean })[SILENT]) return undefined;
      const custom = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
      if (typeof custom === "function") {
        const b = custom.call(value) as MimeBundle | undefined;
        if (b && typeof b === "object" && Object.keys(b).length) return b;
      }
      try {
        if (isPlotlyFigure(value)) return this.plotly.bundle(value);
        if (isTensor(value)) return tensorBundle(value);
        if (isDataFrame(value)) return dataFrameBundle(value);
      } catch {
        /* fall back to text */
      }
    }
    return { "text/plain": textPlain(value) };
  }
}
