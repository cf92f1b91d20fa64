/**
 * The checker: each executed code cell against its stored outputs (nbval's idea, with numeric tolerance).
 * Outputs are normalised first (progress displays dropped, streams merged, images and HTML-beside-text dropped
 * as configured); then text compares after sanitizers with numbers within tolerance, JSON structurally, plotly
 * figures on their data, layout and frames (random `uid`s ignored), images as decoded pixels, errors by name
 * and message. A cell stored without outputs or execution count is "not recorded": it ran, and is not compared.
 */
import { createHash } from "node:crypto";
import type { Config, Tolerance } from "../config";
import { cellTolerance, notebookTolerance } from "../config";
import { cellDirectives, isExecutable, notebookLanguage } from "../directives";
import type { Failure } from "../failure";
import {
  IMAGE_MIME,
  PLOTLY_MIME,
  WIDGET_VIEW_MIME,
  cellTags,
  isBundleOutput,
  isJsonMime,
  joinText,
  mergeStreams,
  stripAnsi,
  type Cell,
  type Notebook,
  type Output,
} from "../nbformat";
import { unifiedDiff } from "./diff";
import { dataUrlImage, imageMismatch, type ImageTolerance } from "./image";
import { jsonMismatch, linesClose, textMismatch, type StringCompare } from "./numbers";
import { builtinSanitizers, compileSanitizers, sanitize, type CompiledSanitizer } from "./sanitize";

export interface CheckOptions {
  config: Config;
  /** Overrides config.compareImages. */
  compareImages?: boolean;
  /** Sanitizers from an nbval sanitize file, after the config's. */
  extraSanitizers?: CompiledSanitizer[];
  /** nbval's --nbval-lax: compare only cells marked NBVAL_CHECK_OUTPUT / nbval-check-output. */
  lax?: boolean;
  /** Compare only the cells this selects (by index); the others ran for their state. */
  selected?: (index: number) => boolean;
  /** Compare only cells before this index (the cell that stopped the run failed already; later ones did not run). */
  before?: number;
  color?: boolean;
}

export interface CheckResult {
  failures: Failure[];
  /** Code cells that ran but had nothing stored to compare with. */
  notRecorded: number;
}

/** Outputs as the checker sees them: progress bars gone, consecutive streams merged, ignored MIME types dropped. */
export function normaliseOutputs(
  outputs: Output[],
  opts: { compareImages: boolean; ignoreHtmlWithPlain: boolean },
): Output[] {
  const res: Output[] = [];
  for (const o of outputs) {
    if (isBundleOutput(o)) {
      if ((o.metadata?.folio as { progress?: unknown } | undefined)?.progress === true) continue;
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o.data ?? {})) {
        if (!opts.compareImages && IMAGE_MIME.test(k)) continue;
        if (k === "text/html" && opts.ignoreHtmlWithPlain && "text/plain" in (o.data ?? {})) continue;
        // a widget's model id is a fresh comm id each run: compare what is shown, not which model
        if (k === WIDGET_VIEW_MIME && v && typeof v === "object") {
          const { model_id: _, ...view } = v as Record<string, unknown>;
          data[k] = view;
          continue;
        }
        data[k] = !isJsonMime(k) && Array.isArray(v) ? joinText(v) : v;
      }
      res.push(
        o.output_type === "execute_result"
          ? { output_type: o.output_type, data, metadata: {}, execution_count: null }
          : { output_type: o.output_type, data, metadata: {} },
      );
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
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === "object"
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v), null, 1);
}

/** A base64 image as one diff line: its type, size in bytes and a short hash (the payload itself is unreadable). */
function imageLine(mime: string, b64: string): string {
  const bytes = Buffer.from(b64.replace(/\s+/g, ""), "base64");
  return `<${mime}, ${bytes.length} bytes, sha1 ${createHash("sha1").update(bytes).digest("hex").slice(0, 10)}>`;
}

/** A plotly figure as the checker compares it: data, layout and frames, with image data URLs shown as hashes. */
function figureParts(fig: unknown): Record<string, unknown> {
  const f = (fig ?? {}) as Record<string, unknown>;
  const shown = (x: unknown): unknown =>
    typeof x === "string"
      ? dataUrlImage(x)
        ? imageLine(dataUrlImage(x)!.mime, dataUrlImage(x)!.base64)
        : x
      : Array.isArray(x)
        ? x.map(shown)
        : x && typeof x === "object"
          ? Object.fromEntries(
              Object.entries(x)
                .filter(([k]) => !FIGURE_IGNORED.has(k))
                .map(([k, v]) => [k, shown(v)]),
            )
          : x;
  return { data: shown(f.data ?? []), layout: shown(f.layout ?? {}), ...(f.frames ? { frames: shown(f.frames) } : {}) };
}

/** Keys that differ between two drawings of the same figure: plotly.js and plotly.py give traces random ids. */
const FIGURE_IGNORED: ReadonlySet<string> = new Set(["uid"]);

/** A readable text form of outputs, for diffs. */
export function renderOutputs(outputs: Output[], san: (s: string) => string): string {
  const parts: string[] = [];
  for (const o of outputs) {
    if (o.output_type === "stream") parts.push(`[${o.name}]`, san(o.text).replace(/\n$/, ""));
    else if (o.output_type === "error") parts.push(`[error]`, san(`${stripAnsi(o.ename)}: ${stripAnsi(o.evalue)}`));
    else {
      for (const [k, v] of Object.entries(o.data)) {
        parts.push(`[${o.output_type} ${k}]`);
        if (k === PLOTLY_MIME) parts.push(stableJson(figureParts(v)));
        else if (IMAGE_MIME.test(k) && k !== "image/svg+xml" && typeof v === "string") parts.push(imageLine(k, v));
        else if (typeof v === "string") parts.push(san(v).replace(/\n$/, ""));
        else parts.push(stableJson(v));
      }
    }
  }
  return parts.join("\n");
}

interface Comparers {
  tol: Tolerance;
  san: (s: string) => string;
  images: ImageTolerance;
}

/** Strings inside JSON (plotly figures): image data URLs as pictures, the rest as text. */
function jsonStrings(c: Comparers): StringCompare {
  return (e, a, tol) => {
    const ie = dataUrlImage(e),
      ia = dataUrlImage(a);
    if (ie && ia && ie.mime === ia.mime) return imageMismatch(ie.mime, ie.base64, ia.base64, c.images);
    return textMismatch(c.san(e), c.san(a), tol);
  };
}

/** Where two normalised outputs differ (one line), or undefined. */
function outputMismatch(e: Output, a: Output, c: Comparers): string | undefined {
  if (e.output_type !== a.output_type) return `${e.output_type} became ${a.output_type}`;
  if (e.output_type === "stream" && a.output_type === "stream") {
    if (e.name !== a.name) return `stream ${e.name} became ${a.name}`;
    const m = textMismatch(c.san(e.text), c.san(a.text), c.tol);
    return m && `${e.name}: ${m}`;
  }
  if (e.output_type === "error" && a.output_type === "error") {
    if (stripAnsi(e.ename) !== stripAnsi(a.ename)) return `error ${e.ename} became ${a.ename}`;
    const m = textMismatch(c.san(stripAnsi(e.evalue)), c.san(stripAnsi(a.evalue)), c.tol);
    return m && `error message: ${m}`;
  }
  if (isBundleOutput(e) && isBundleOutput(a)) {
    const ek = Object.keys(e.data).sort(),
      ak = Object.keys(a.data).sort();
    const missing = ek.filter((k) => !(k in a.data)),
      extra = ak.filter((k) => !(k in e.data));
    if (missing.length) return `${missing[0]} missing`;
    if (extra.length) return `new ${extra[0]}`;
    for (const k of ek) {
      const ev = e.data[k],
        av = a.data[k];
      let m: string | undefined;
      if (k === PLOTLY_MIME) {
        const fe = (ev ?? {}) as Record<string, unknown>,
          fa = (av ?? {}) as Record<string, unknown>;
        const pick = (f: Record<string, unknown>) => ({
          data: f.data ?? [],
          layout: f.layout ?? {},
          ...(f.frames || (fe.frames ?? fa.frames) ? { frames: f.frames ?? [] } : {}),
        });
        m = jsonMismatch(pick(fe), pick(fa), c.tol, "figure", jsonStrings(c), FIGURE_IGNORED);
      } else if (IMAGE_MIME.test(k) && k !== "image/svg+xml" && typeof ev === "string" && typeof av === "string")
        m = imageMismatch(k, ev, av, c.images);
      else if (typeof ev === "string" && typeof av === "string") m = textMismatch(c.san(ev), c.san(av), c.tol);
      else m = jsonMismatch(ev, av, c.tol, "$", jsonStrings(c));
      if (m) return `${k}: ${m}`;
    }
  }
  return undefined;
}

/** A stored code cell with nothing recorded: never executed when the notebook was saved (nbval passes these). */
export function notRecorded(cell: Cell): boolean {
  return cell.cell_type === "code" && cell.outputs.length === 0 && cell.execution_count === null;
}

/** Compares every executed cell of `executed` with the same cell of `stored`. */
export function compareNotebook(stored: Notebook, executed: Notebook, opts: CheckOptions): CheckResult {
  const cfg = opts.config;
  const builtins = builtinSanitizers(cfg.builtinSanitizers);
  const user = [...compileSanitizers(cfg.sanitizers), ...(opts.extraSanitizers ?? [])];
  const nopts = {
    compareImages: opts.compareImages ?? cfg.compareImages,
    ignoreHtmlWithPlain: cfg.ignoreHtmlWithPlain,
  };
  const images: ImageTolerance = { pixel: cfg.imageTolerance, similarity: cfg.imageSimilarity };
  const nbTol = notebookTolerance(cfg, stored.metadata);
  const out: CheckResult = { failures: [], notRecorded: 0 };
  const language = notebookLanguage(stored.metadata);
  const byId = new Map(stored.cells.map((c) => [c.id, c]));
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || !isExecutable(cell, language)) return;
    if ((opts.selected && !opts.selected(i)) || i >= (opts.before ?? Infinity)) return;
    const d = cellDirectives(cell, language);
    if (d.ignoreOutput || (opts.lax && !d.checkOutput)) return;
    const old = byId.get(cell.id) ?? stored.cells[i];
    if (old?.cell_type !== "code") return;
    if (notRecorded(old)) {
      out.notRecorded++;
      return;
    }
    const used = new Set<string>();
    const c: Comparers = {
      tol: cellTolerance(nbTol, cellTags(cell)),
      san: (s) => sanitize(s, user, used, builtins),
      images,
    };
    const e = normaliseOutputs(old.outputs, nopts);
    const a = normaliseOutputs(cell.outputs, nopts);
    let why: string | undefined;
    if (e.length !== a.length) why = `${e.length} output${e.length === 1 ? "" : "s"} stored, ${a.length} produced`;
    else
      for (let k = 0; k < e.length && !why; k++) {
        const m = outputMismatch(e[k], a[k], c);
        if (m) why = `output ${k + 1} ${m}`;
      }
    if (!why) return;
    const diff = unifiedDiff(renderOutputs(e, c.san), renderOutputs(a, c.san), {
      color: opts.color,
      equal: (x, y) => linesClose(x, y, c.tol),
    });
    const err = cell.outputs.find((o) => o.output_type === "error");
    out.failures.push({
      cell: { index: i, id: cell.id },
      kind: "mismatch",
      message: why,
      detail: {
        source: cell.source,
        diff,
        sanitizers: used.size ? [...used] : undefined,
        traceback: err?.output_type === "error" ? stripAnsi(err.traceback.join("\n")) : undefined,
      },
    });
  });
  return out;
}
