/**
 * Tables of results, the one way the workbook shows them: rows of plain objects, rendered through the kernel's
 * display bridge as HTML and Markdown (plain text outside a kernel), numbers at a fixed number of significant
 * digits so that stored outputs stay stable regression references. `summarizeBy` pools seeds into mean ± sd rows.
 */
import { showBundle, escapeHtml, type MimeBundle } from "../display";
import { summarize } from "../stats";

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface TableOptions {
  /** Shown above the table. */
  caption?: string;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** Column order (default: keys in first-seen order). */
  columns?: string[];
}

/** One cell as text: integers as they are, other numbers to `digits` significant digits, empty for null/undefined. */
export function formatCell(x: Cell, digits = 4): string {
  if (x === null || x === undefined) return "";
  if (typeof x !== "number") return String(x);
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}

/** The MIME bundle of a table (text/plain and text/markdown as a pipe table, text/html). */
export function tableBundle(rows: readonly Row[], opts: TableOptions = {}): MimeBundle {
  const cols = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c], opts.digits)));
  const numeric = cols.map(
    (c) =>
      rows.some((r) => typeof r[c] === "number")
      && rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"),
  );
  const md = [
    ...(opts.caption ? [`*${opts.caption}*`, ""] : []),
    `| ${cols.join(" | ")} |`,
    `|${numeric.map((n) => (n ? "---:" : "---")).join("|")}|`,
    ...cells.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
  ].join("\n");
  const td = (c: string, i: number) => `<td${numeric[i] ? ' style="text-align:right"' : ""}>${escapeHtml(c)}</td>`;
  const html =
    `<table class="folio-table">${opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : ""}<thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`
    + `<tbody>${cells.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("")}</tbody></table>`;
  return { "text/plain": md, "text/markdown": md, "text/html": html };
}

/** Displays a table of results in the notebook (or prints it outside one). */
export function table(rows: readonly Row[], opts: TableOptions = {}): void {
  showBundle(tableBundle(rows, opts));
}

/**
 * Pools rows (e.g. one per seed) by the `by` columns: for each value column, its mean and sd over the group
 * (columns `name` and `name sd`), and the group size `n`. Groups keep their first-seen order.
 */
export function summarizeBy(rows: readonly Row[], by: readonly string[], values: readonly string[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify(by.map((b) => r[b]));
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  return [...groups.values()].map((g) => {
    const out: Row = Object.fromEntries(by.map((b) => [b, g[0][b]]));
    for (const v of values) {
      const s = summarize(g.map((r) => Number(r[v])));
      out[v] = s.mean;
      out[`${v} sd`] = g.length > 1 ? s.sd : null;
    }
    out.n = g.length;
    return out;
  });
}
