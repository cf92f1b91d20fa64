/**
 * The runner's static HTML report: `index.html` (every notebook with status, run time, cache and claims, then
 * the workbook's claims table) and one page per notebook, readable offline from `file://`: math rendered at
 * build time by KaTeX, code by highlight.js, plots drawn by a local copy of plotly.js. No page loads anything
 * from the network.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { NotebookResult } from "../types";
import { writeAssets } from "./assets";
import { writeWidgetAssets } from "./widgets";
import { writeFileAtomic } from "../files";
import { indexPage, notebookPage, notebookTitle, type PageEntry } from "./pages";

export { ansiToHtml } from "./ansi";
export { escapeHtml } from "./html";
export { renderMarkdown, newMathContext } from "./markdown";
export { renderOutputs } from "./outputs";

/** File name of a notebook's page: its name made safe for every file system, unique within the report. */
function pageFiles(results: NotebookResult[]): string[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    // the notebook's path below the run's shared folder, flattened: sub/x.ipynb is sub-x.html
    const stem = (r.rel || r.name || path.basename(r.path)).replace(/\.ipynb$/, "") || "notebook";
    const base = stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "notebook";
    const key = base.toLowerCase(),
      n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${n === 0 || key === "index" ? (key === "index" ? `${base}-nb` : base) : `${base}-${n + 1}`}.html`;
  });
}

/** UTC date and time of the run, to the minute. */
function runDate(d = new Date()): string {
  return `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** Writes the HTML report of a run into `outDir` (created if needed); every file is written atomically. */
export async function writeReport(
  outDir: string,
  results: NotebookResult[],
  opts: { title?: string } = {},
): Promise<void> {
  await fs.mkdir(outDir, { recursive: true });
  const date = runDate();
  const files = pageFiles(results);
  const entries: PageEntry[] = results.map((result, i) => ({
    result,
    file: files[i],
    title: notebookTitle(result.executed),
  }));
  let plotly = false,
    widgets = false;
  for (const e of entries) {
    const ipynb = e.result.rel || `${e.result.name}.ipynb`;
    const hasIpynb = await fs.stat(path.join(outDir, ipynb)).then(
      (s) => s.isFile(),
      () => false,
    );
    const html = notebookPage(e, date, hasIpynb ? ipynb.split(path.sep).map(encodeURIComponent).join("/") : undefined);
    if (html.includes('src="assets/plotly.min.js"')) plotly = true;
    if (html.includes('src="assets/widgets/widgets.js"')) widgets = true;
    writeFileAtomic(path.join(outDir, e.file), html);
  }
  await writeAssets(outDir, plotly);
  if (widgets) await writeWidgetAssets(path.join(outDir, "assets"));
  writeFileAtomic(path.join(outDir, "index.html"), indexPage(entries, opts.title ?? "Folio notebooks", date));
}
