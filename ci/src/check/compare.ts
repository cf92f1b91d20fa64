/**
 * The checker: each executed code cell against its stored outputs (nbval's idea, with numeric tolerance).
 * Outputs are normalised first: progress displays dropped, streams merged, images and HTML-beside-text
 * dropped as configured; then text compares after sanitizers with numbers within tolerance, JSON bundles
 * structurally, plotly figures by their traces, errors by name and message.
 */
import type { Config, Tolerance } from "../config";
import { cellTolerance, notebookTolerance } from "../config";
import { cellLabel, isExecutable, stripAnsi } from "../execute";
import { cellSource, cellTags, type Output } from "../notebook";
import type { Notebook } from "../percent";
import { unifiedDiff } from "./diff";
import { jsonMismatch, linesClose, textMismatch } from "./numbers";
import { compileSanitizers, sanitize, type CompiledSanitizer } from "./sanitize";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface CheckOptions {
  config: Config;
  /** Overrides config.compareImages. */
  compareImages?: boolean;
  color?: boolean;
}

export interface CellFailure {
  cellIndex: number;
  cellId: string;
  /** One line: "cell 4 (id …): output 2 text/plain: 0.91 became 0.95 (beyond …)". */
  summary: string;
  source: string;
  diff: string;
  traceback?: string;
}

const IMAGE = /^image\/(png|jpeg|gif|bmp|webp|svg\+xml)$/;

function isJsonMime(m: string): boolean { return m === "application/json" || (m.startsWith("application/") && m.endsWith("+json")); }

/** Outputs as the checker sees them: progress bars gone, consecutive streams merged, ignored MIME types dropped. */
export function normaliseOutputs(outputs: Output[], opts: { compareImages: boolean; ignoreHtmlWithPlain: boolean }): Output[] {
  const res: Output[] = [];
  for (const o of outputs) {
    if ((o.metadata as any)?.folio?.progress === true) continue;
    if (o.output_type === "stream") {
      const last = res[res.length - 1];
      if (last?.output_type === "stream" && last.name === o.name) { last.text += String(o.text ?? ""); continue; }
      res.push({ output_type: "stream", name: o.name, text: Array.isArray(o.text) ? o.text.join("") : String(o.text ?? "") });
    } else if (o.output_type === "display_data" || o.output_type === "execute_result") {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o.data ?? {})) {
        if (!opts.compareImages && IMAGE.test(k)) continue;
        if (k === "text/html" && opts.ignoreHtmlWithPlain && "text/plain" in (o.data ?? {})) continue;
        data[k] = !isJsonMime(k) && Array.isArray(v) ? v.join("") : v;
      }
      res.push({ output_type: o.output_type, data });
    } else if (o.output_type === "error") {
      res.push({ output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback });
    } else {
      res.push(o);
    }
  }
  return res;
}

/** JSON with sorted keys, one value per line: stored notebooks have sorted keys, kernels do not. */
function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown => Array.isArray(x) ? x.map(sort)
    : x && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sort(v), null, 1);
}

/** A readable text form of outputs, for diffs. */
export function renderOutputs(outputs: Output[], san: (s: string) => string): string {
  const parts: string[] = [];
  for (const o of outputs) {
    if (o.output_type === "stream") parts.push(`[${o.name}]`, san(o.text).replace(/\n$/, ""));
    else if (o.output_type === "error") parts.push(`[error]`, san(`${stripAnsi(o.ename)}: ${stripAnsi(o.evalue)}`));
    else if (o.data) {
      for (const [k, v] of Object.entries(o.data as Record<string, unknown>)) {
        parts.push(`[${o.output_type} ${k}]`);
        if (k === PLOTLY_MIME) parts.push(stableJson((v as { data?: unknown }).data ?? v));
        else if (typeof v === "string") parts.push(san(v).replace(/\n$/, ""));
        else parts.push(stableJson(v));
      }
    } else parts.push(`[${o.output_type}]`);
  }
  return parts.join("\n");
}

/** Where two normalised outputs differ (one line), or undefined. */
function outputMismatch(e: Output, a: Output, tol: Tolerance, san: (s: string) => string): string | undefined {
  if (e.output_type !== a.output_type) return `${e.output_type} became ${a.output_type}`;
  if (e.output_type === "stream") {
    if (e.name !== a.name) return `stream ${e.name} became ${a.name}`;
    const m = textMismatch(san(e.text), san(a.text), tol);
    return m && `${e.name}: ${m}`;
  }
  if (e.output_type === "error") {
    if (stripAnsi(e.ename) !== stripAnsi(a.ename)) return `error ${e.ename} became ${a.ename}`;
    const m = textMismatch(san(stripAnsi(e.evalue)), san(stripAnsi(a.evalue)), tol);
    return m && `error message: ${m}`;
  }
  if (e.data && a.data) {
    const ek = Object.keys(e.data).sort(), ak = Object.keys(a.data).sort();
    const missing = ek.filter((k) => !(k in a.data)), extra = ak.filter((k) => !(k in e.data));
    if (missing.length) return `${missing[0]} missing`;
    if (extra.length) return `new ${extra[0]}`;
    for (const k of ek) {
      const ev = e.data[k], av = a.data[k];
      let m: string | undefined;
      if (k === PLOTLY_MIME) m = jsonMismatch((ev as any)?.data ?? [], (av as any)?.data ?? [], tol, "traces", san);
      else if (typeof ev === "string" && typeof av === "string") m = textMismatch(san(ev), san(av), tol);
      else m = jsonMismatch(ev, av, tol, "$", san);
      if (m) return `${k}: ${m}`;
    }
  }
  return undefined;
}

/** Compares every executed cell of `executed` with the same cell of `stored`; [] when all match. */
export function compareNotebook(stored: Notebook, executed: Notebook, opts: CheckOptions): CellFailure[] {
  const cfg = opts.config;
  const user: CompiledSanitizer[] = compileSanitizers(cfg.sanitizers);
  const san = (s: string) => sanitize(s, user);
  const nopts = { compareImages: opts.compareImages ?? cfg.compareImages, ignoreHtmlWithPlain: cfg.ignoreHtmlWithPlain };
  const nbTol = notebookTolerance(cfg, stored.metadata);
  const failures: CellFailure[] = [];
  const byId = new Map(stored.cells.map((c) => [c.id, c]));
  executed.cells.forEach((cell, i) => {
    if (!isExecutable(cell)) return;
    const tags = cellTags(cell);
    if (tags.includes("ignore-output")) return;
    const old = byId.get(cell.id) ?? stored.cells[i];
    if (!old || old.cell_type !== "code") return;
    const tol = cellTolerance(nbTol, tags);
    const e = normaliseOutputs((old.outputs ?? []) as Output[], nopts);
    const a = normaliseOutputs((cell.outputs ?? []) as Output[], nopts);
    let why: string | undefined;
    if (e.length !== a.length) why = `${e.length} output${e.length === 1 ? "" : "s"} stored, ${a.length} produced`;
    else for (let k = 0; k < e.length && !why; k++) {
      const m = outputMismatch(e[k], a[k], tol, san);
      if (m) why = `output ${k + 1} ${m}`;
    }
    if (!why) return;
    const err = (cell.outputs as Output[]).find((o) => o.output_type === "error");
    failures.push({
      cellIndex: i,
      cellId: cell.id,
      summary: `${cellLabel(i, cell)}: ${why}`,
      source: cellSource(cell),
      diff: unifiedDiff(renderOutputs(e, san), renderOutputs(a, san), { color: opts.color, equal: (x, y) => linesClose(x, y, tol) }),
      traceback: err ? stripAnsi((err.traceback as string[]).join("\n")) : undefined,
    });
  });
  return failures;
}

/** The failure of a cell that stopped the run (error, timeout, dead kernel): its source and traceback. */
export function executionFailure(nb: Notebook, index: number, summary: string): CellFailure {
  const cell = nb.cells[index];
  const err = ((cell.outputs ?? []) as Output[]).find((o) => o.output_type === "error");
  return { cellIndex: index, cellId: cell.id, summary, source: cellSource(cell), diff: "", traceback: err ? stripAnsi((err.traceback as string[]).join("\n")) : undefined };
}

/** The multi-line failure report of one cell: source, diff, traceback. */
export function formatFailure(nbPath: string, f: CellFailure): string {
  const indent = (s: string) => s.split("\n").map((l) => `    ${l}`).join("\n");
  const parts = [`FAIL ${nbPath} ${f.summary}`, "  source:", indent(f.source)];
  if (f.diff) parts.push("  diff (stored → executed, sanitized):", indent(f.diff));
  if (f.traceback) parts.push("  traceback:", indent(f.traceback));
  return parts.join("\n");
}
