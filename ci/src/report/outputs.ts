/**
 * One notebook output to HTML, in Jupyter's order of preference for a MIME bundle. Everything but `text/html`
 * (and the notebook's own markdown) is escaped; SVG is shown through an <img> data URL so its scripts never run.
 */
import { CLAIM_MIME, claimCells, claimVerdict, parseClaimRecord, type ClaimRecord } from "@folio/protocol/claims";
import { widgetView, type SavedWidgets } from "./widgets";
import {
  PLOTLY_MIME,
  WIDGET_VIEW_MIME,
  joinText as joinSource,
  mergeStreams,
  resolveControlChars,
  type Output as NbOutput,
} from "../nbformat";
import { ansiToHtml } from "./ansi";
import { escapeHtml, scriptJson } from "./html";
import { renderMarkdown, renderMath, type MathContext } from "./markdown";

export { CLAIM_MIME, PLOTLY_MIME };

/** What rendering a page needs to remember: math macros, and whether the page must load plotly.js. */
export interface PageContext {
  math: MathContext;
  plots: number;
  /** The notebook's saved widget state (widget views render from it), and how many views were written. */
  widgets?: SavedWidgets;
  widgetViews?: number;
}

type Bundle = Record<string, unknown>;
interface Output {
  output_type?: string;
  name?: string;
  text?: unknown;
  data?: Bundle;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: unknown;
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** The claim output: a badge row (verdict, kind, the claim, the paper's figure, ours, the control and the seeds). */
export function claimBadge(r: ClaimRecord): string {
  const v = claimVerdict(r),
    ok = v === "holds",
    c = claimCells(r);
  const fig = (label: string, text: string) =>
    text ? `<span class="claim-fig"><span class="label">${label}</span> ${escapeHtml(text)}</span>` : "";
  return (
    `<div class="claim ${ok ? "claim-holds" : "claim-fails"}" id="claim-${escapeHtml(r.id)}">`
    + `<span class="badge ${ok ? "badge-pass" : "badge-fail"}">${ok ? "✔ holds" : `✘ ${escapeHtml(v)}`}</span>`
    + `<span class="badge badge-kind">${r.kind}</span>`
    + `<span class="claim-text"><code>${escapeHtml(r.id)}</code> ${escapeHtml(r.claim)}</span>`
    + fig("paper", r.paperFigure)
    + fig("ours", r.ours)
    + fig(r.kind === "identity" ? "why" : "control", c.control)
    + fig("seeds", c.seeds)
    + `</div>`
  );
}

function plotlyFigure(fig: unknown, ctx: PageContext): string {
  ctx.plots++;
  return `<div class="plotly-figure"><div class="plotly-target"></div><script type="${PLOTLY_MIME}">${scriptJson(fig)}</script></div>`;
}

function imageSize(meta: Record<string, unknown> | undefined, mime: string): string {
  const m = (meta?.[mime] ?? meta) as Record<string, unknown> | undefined;
  const attr = (k: string) => (typeof m?.[k] === "number" ? ` ${k}="${m[k]}"` : "");
  return attr("width") + attr("height");
}

/** Renders a MIME bundle (display_data / execute_result) by the richest type the page can show. */
export function renderBundle(data: Bundle, metadata: Record<string, unknown> | undefined, ctx: PageContext): string {
  if (data[CLAIM_MIME] !== undefined) {
    const p = parseClaimRecord(data[CLAIM_MIME]);
    if (p.ok) return claimBadge(p.record);
    // not a valid record (e.g. written before claims had kinds): show the notebook's own text of it
  }
  if (data[PLOTLY_MIME] && typeof data[PLOTLY_MIME] === "object") return plotlyFigure(data[PLOTLY_MIME], ctx);
  if (data[WIDGET_VIEW_MIME]) {
    const html = widgetView(data[WIDGET_VIEW_MIME], joinSource(data["text/plain"] ?? ""), ctx.widgets);
    if (html) {
      ctx.widgetViews = (ctx.widgetViews ?? 0) + 1;
      return html;
    }
  }
  if ("text/html" in data) return `<div class="output-html">${joinSource(data["text/html"])}</div>`;
  if ("image/svg+xml" in data) {
    const svg = joinSource(data["image/svg+xml"]);
    return `<div class="output-image"><img alt="figure" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"${imageSize(metadata, "image/svg+xml")}></div>`;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif", "image/webp"]) {
    if (mime in data) {
      const b64 = joinSource(data[mime]).replace(/[^A-Za-z0-9+/=]/g, "");
      return `<div class="output-image"><img alt="figure" src="data:${mime};base64,${b64}"${imageSize(metadata, mime)}></div>`;
    }
  }
  if ("text/markdown" in data)
    return `<div class="output-markdown">${renderMarkdown(joinSource(data["text/markdown"]), ctx.math, false)}</div>`;
  if ("text/latex" in data) {
    const tex = joinSource(data["text/latex"])
      .trim()
      .replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
    return `<div class="output-latex">${renderMath(tex, true, ctx.math)}</div>`;
  }
  if ("application/json" in data)
    return `<pre class="output-text">${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  if ("text/plain" in data) return `<pre class="output-text">${ansiToHtml(joinSource(data["text/plain"]))}</pre>`;
  const types = Object.keys(data);
  return types.length
    ? `<div class="output-unknown">(output of type ${escapeHtml(types.join(", "))} not shown)</div>`
    : "";
}

/** Outputs as stored, or as a hand-made or older notebook may hold them (lines not joined, fields missing). */
function asOutputs(raw: unknown[] | undefined): NbOutput[] {
  return (raw ?? []).flatMap((x): NbOutput[] => {
    const o = (x ?? {}) as Output;
    if (o.output_type === "stream")
      return [{ output_type: "stream", name: str(o.name) || "stdout", text: joinSource(o.text) }];
    if (o.output_type === "display_data" || o.output_type === "execute_result")
      return [{ output_type: "display_data", data: o.data ?? {}, metadata: o.metadata ?? {} }];
    if (o.output_type === "error")
      return [
        {
          output_type: "error",
          ename: str(o.ename),
          evalue: str(o.evalue),
          traceback: Array.isArray(o.traceback) ? o.traceback.map(str) : [],
        },
      ];
    return [];
  });
}

/** Renders a code cell's outputs in order; consecutive stream chunks of the same name are merged, as Jupyter does. */
export function renderOutputs(outputs: unknown[] | undefined, ctx: PageContext): string {
  const parts = mergeStreams(asOutputs(outputs)).map((o) => {
    if (o.output_type === "stream") {
      // carriage returns as stored (nbformat/text.ts); a \r left before a newline draws as nothing
      const text = resolveControlChars(o.text).replace(/\r/g, "");
      return `<pre class="output-stream output-${o.name === "stderr" ? "stderr" : "stdout"}">${ansiToHtml(text)}</pre>`;
    }
    if (o.output_type === "error") {
      const tb = o.traceback.join("\n");
      return (
        `<div class="output-error"><div class="error-head"><span class="ename">${escapeHtml(o.ename)}</span>: ${escapeHtml(o.evalue)}</div>`
        + (tb.trim() ? `<pre class="traceback">${ansiToHtml(tb)}</pre>` : "")
        + "</div>"
      );
    }
    return renderBundle(o.data, o.metadata, ctx);
  });
  return parts
    .filter((p) => p !== "")
    .map((p) => `<div class="output">${p}</div>`)
    .join("\n");
}
