/**
 * A checked cell's JavaScript, emitted by the program that checked it: the cell's layout (`cell-layout.ts`) is
 * already parsed, bound and checked there, so its emit reuses that checker as the emit resolver. `transpileModule`
 * parsed the cell again and built a program and checker of its own (a third of a trivial cell's time, issue 16).
 * The layout's prelude and closing `export {}` are dropped before the cell transformer sees the file, and the
 * source map, which points into the layout, is mapped back to the cell as the user wrote it.
 */
import type * as TS from "typescript";
import { asScript, cellTransformer, closureNames } from "./transform";
import { EXPORT, toCell, type Layout } from "./cell-layout";
import { decodeMappings, encodeMappings, type LineMap } from "./sourcemap";

/** Where the cell ends in its layout's text (before the closing `export {}`). */
const cellEnd = (l: Layout, code: string) => l.cellStart + code.length + EXPORT.length * l.inserts.length;

/** Offsets at which each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The line (0-based) holding offset `pos`, by binary search over `starts`. */
function lineOf(starts: number[], pos: number): number {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Source-map segments into the layout's text → segments into the cell (`code`); segments in the prelude or the
 * closing `export {}` are dropped.
 */
export function remapToCell(map: LineMap, l: Layout, code: string): LineMap {
  const layoutLines = lineStarts(l.text);
  const cellLines = lineStarts(code);
  const end = cellEnd(l, code);
  return map.map((segs) => {
    const out: [number, number, number][] = [];
    for (const [gen, line, col] of segs) {
      const at = (layoutLines[line] ?? Number.POSITIVE_INFINITY) + col;
      if (at < l.cellStart || at > end) continue;
      const c = toCell(l, at - l.cellStart);
      const cl = lineOf(cellLines, c);
      out.push([gen, cl, c - cellLines[cl]]);
    }
    return out;
  });
}

/**
 * Emits the cell `code`, laid out as `l` in `sf`, as the script the kernel runs (the same rewrite as
 * `transpileCell`); `program` is the one whose checker checked `sf` (`sf` need not be one of its files, see
 * `checker-reuse.ts`). Names the cell's functions and classes capture are added to `captured`.
 */
export function emitCheckedCell(
  ts: typeof TS,
  program: TS.Program,
  sf: TS.SourceFile,
  l: Layout,
  code: string,
  captured: Set<string>,
): { js: string; map: string } {
  const end = cellEnd(l, code);
  // the cell's own statements: not the prelude before it, not the `export {}` after it
  const cellOnly: TS.TransformerFactory<TS.SourceFile> = (ctx) => (s) =>
    ctx.factory.updateSourceFile(
      s,
      s.statements.filter((st) => st.end > l.cellStart && st.getStart(s) < end),
    );
  let js = "",
    mapText = "";
  const r = program.emit(
    sf,
    (name, text) => {
      if (name.endsWith(".map")) mapText = text;
      else js = text;
    },
    undefined,
    false,
    { before: [cellOnly, cellTransformer(ts, captured)] },
  );
  if (r.emitSkipped) throw new Error(`${sf.fileName}: emit skipped`);
  closureNames(ts, l.sf, captured);
  const mappings = mapText ? (JSON.parse(mapText) as { mappings: string }).mappings : "";
  const map = JSON.stringify({
    version: 3,
    sources: ["cell"],
    names: [],
    mappings: encodeMappings(remapToCell(decodeMappings(mappings), l, code)),
  });
  return { js: asScript(js), map };
}
