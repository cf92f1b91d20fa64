/**
 * The checker: each executed code cell against its stored outputs (nbval's idea, with numeric tolerance).
 * Outputs are normalised first: progress displays dropped, streams merged, images and HTML-beside-text
 * dropped as configured; then text compares after sanitizers with numbers within tolerance, JSON bundles
 * structurally, plotly figures by their traces, errors by name and message.
 */
import type { Config, Tolerance } from "../config";
import { cellTolerance, notebookTolerance } from "../config";
import { cellDirectives, isExecutable, notebookLanguage } from "../directives";
import type { Failure } from "../failure";
import { IMAGE_MIME, PLOTLY_MIME, cellTags, isBundleOutput, isJsonMime, joinText, mergeStreams, stripAnsi, type Notebook, type Output } from "../nbformat";
import { unifiedDiff } from "./diff";
import { jsonMismatch, linesClose, textMismatch } from "./numbers";
import { compileSanitizers, sanitize, type CompiledSanitizer } from "./sanitize";

export interface CheckOptions {
  config: Config;
  /** Overrides config.compareImages. */
  compareImages?: boolean;
  color?: boolean;
}

/** Outputs as the checker sees them: progress bars gone, consecutive streams merged, ignored MIME types dropped. */
export function normaliseOutputs(outputs: Output[], opts: { compareImages: boolean; ignoreHtmlWithPlain: boolean }): Output[] {
  const res: Output[] = [];
  for (const o of outputs) {
    if (isBundleOutput(o)) {
      if ((o.metadata?.folio as { progress?: unknown } | undefined)?.progress === true) continue;
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o.data ?? {})) {
        if (!opts.compareImages && IMAGE_MIME.test(k)) continue;
        if (k === "text/html" && opts.ignoreHtmlWithPlain && "text/plain" in (o.data ?? {})) continue;
        data[k] = !isJsonMime(k) && Array.isArray(v) ? joinText(v) : v;
      }
      res.push(o.output_type === "execute_result" ? { output_type: o.output_type, data, metadata: {}, execution_count: null } : { output_type: o.output_type, data, metadata: {} });
    } else if (o.output_type === "stream") {
      res.push({ output_type: "stream", name: o.name, text: joinText(o.text) });
    } else {
      res.push({ output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback });
    }
  }
  return mergeStreams(res);
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
    else {
      for (const [k, v] of Object.entries(o.data)) {
        parts.push(`[${o.output_type} ${k}]`);
        if (k === PLOTLY_MIME) parts.push(stableJson((v as { data?: unknown }).data ?? v));
        else if (typeof v === "string") parts.push(san(v).replace(/\n$/, ""));
        else parts.push(stableJson(v));
      }
    }
  }
  return parts.join("\n");
}

/** Where two normalised outputs differ (one line), or undefined. */
function outputMismatch(e: Output, a: Output, tol: Tolerance, san: (s: string) => string): string | undefined {
  if (e.output_type !== a.output_type) return `${e.output_type} became ${a.output_type}`;
  if (e.output_type === "stream" && a.output_type === "stream") {
    if (e.name !== a.name) return `stream ${e.name} became ${a.name}`;
    const m = textMismatch(san(e.text), san(a.text), tol);
    return m && `${e.name}: ${m}`;
  }
  if (e.output_type === "error" && a.output_type === "error") {
    if (stripAnsi(e.ename) !== stripAnsi(a.ename)) return `error ${e.ename} became ${a.ename}`;
    const m = textMismatch(san(stripAnsi(e.evalue)), san(stripAnsi(a.evalue)), tol);
    return m && `error message: ${m}`;
  }
  if (isBundleOutput(e) && isBundleOutput(a)) {
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
export function compareNotebook(stored: Notebook, executed: Notebook, opts: CheckOptions): Failure[] {
  const cfg = opts.config;
  const user: CompiledSanitizer[] = compileSanitizers(cfg.sanitizers);
  const san = (s: string) => sanitize(s, user);
  const nopts = { compareImages: opts.compareImages ?? cfg.compareImages, ignoreHtmlWithPlain: cfg.ignoreHtmlWithPlain };
  const nbTol = notebookTolerance(cfg, stored.metadata);
  const failures: Failure[] = [];
  const language = notebookLanguage(stored.metadata);
  const byId = new Map(stored.cells.map((c) => [c.id, c]));
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || !isExecutable(cell, language)) return;
    if (cellDirectives(cell, language).ignoreOutput) return;
    const old = byId.get(cell.id) ?? stored.cells[i];
    if (!old || old.cell_type !== "code") return;
    const tol = cellTolerance(nbTol, cellTags(cell));
    const e = normaliseOutputs(old.outputs, nopts);
    const a = normaliseOutputs(cell.outputs, nopts);
    let why: string | undefined;
    if (e.length !== a.length) why = `${e.length} output${e.length === 1 ? "" : "s"} stored, ${a.length} produced`;
    else for (let k = 0; k < e.length && !why; k++) {
      const m = outputMismatch(e[k], a[k], tol, san);
      if (m) why = `output ${k + 1} ${m}`;
    }
    if (!why) return;
    const err = cell.outputs.find((o) => o.output_type === "error");
    failures.push({
      cell: { index: i, id: cell.id }, kind: "mismatch", message: why,
      detail: {
        source: cell.source,
        diff: unifiedDiff(renderOutputs(e, san), renderOutputs(a, san), { color: opts.color, equal: (x, y) => linesClose(x, y, tol) }),
        traceback: err?.output_type === "error" ? stripAnsi(err.traceback.join("\n")) : undefined,
      },
    });
  });
  return failures;
}
