/**
 * What a cell asks of the runner, from its tags and its comment markers, read in one place. The conventions
 * are the ones notebooks already carry: nbclient's and nbmake's tags (`skip-execution`, `raises-exception`),
 * Folio's (`ignore-output`, `tolerance=…`), and nbval's tags (`nbval-skip`, `nbval-ignore-output`,
 * `nbval-raises-exception`, `nbval-check-output`) and comment markers on a line of their own (`# NBVAL_SKIP`,
 * `// NBVAL_SKIP` in TypeScript and JavaScript).
 * @see https://nbval.readthedocs.io/en/latest/#Skipping-specific-cells
 */
import { cellTags, type Cell } from "./nbformat";

export interface CellDirectives {
  /** Not executed (`skip-execution`, `nbval-skip`, `NBVAL_SKIP`). */
  skip: boolean;
  /** Expected to raise (`raises-exception`, `nbval-raises-exception`, `NBVAL_RAISES_EXCEPTION`). */
  raises: boolean;
  /** Executed, outputs not compared (`ignore-output`, `nbval-ignore-output`, `NBVAL_IGNORE_OUTPUT`). */
  ignoreOutput: boolean;
  /** Compared even under --lax (`nbval-check-output`, `NBVAL_CHECK_OUTPUT`). */
  checkOutput: boolean;
}

const MARKERS = {
  NBVAL_SKIP: "skip",
  NBVAL_RAISES_EXCEPTION: "raises",
  NBVAL_IGNORE_OUTPUT: "ignoreOutput",
  NBVAL_CHECK_OUTPUT: "checkOutput",
} as const;
const TAGS: Record<string, keyof CellDirectives> = {
  "skip-execution": "skip",
  "nbval-skip": "skip",
  "raises-exception": "raises",
  "nbval-raises-exception": "raises",
  "ignore-output": "ignoreOutput",
  "nbval-ignore-output": "ignoreOutput",
  "nbval-check-output": "checkOutput",
};

/** The line-comment prefixes of a notebook's language (`//` for TypeScript/JavaScript, `#` otherwise; both when unknown). */
export function commentPrefixes(language: string | undefined): string[] {
  const l = (language ?? "").toLowerCase();
  if (!l) return ["#", "//"];
  return ["typescript", "javascript", "ts", "js"].includes(l) ? ["//"] : ["#"];
}

/** The nbval comment markers of a source, as nbval finds them: a whole line that is a comment naming the marker. */
export function commentMarkers(source: string, prefixes: string[]): string[] {
  const found: string[] = [];
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    const p = prefixes.find((x) => line.startsWith(x));
    if (!p) continue;
    const word = line
      .slice(p.length)
      .replace(/^[#/]*/, "")
      .trim();
    if (word in MARKERS) found.push(word);
  }
  return found;
}

/** The directives of a cell in a notebook of `language`. */
export function cellDirectives(cell: Cell, language: string | undefined): CellDirectives {
  const d: CellDirectives = { skip: false, raises: false, ignoreOutput: false, checkOutput: false };
  for (const t of cellTags(cell)) {
    const k = TAGS[t];
    if (k) d[k] = true;
  }
  if (cell.cell_type === "code")
    for (const m of commentMarkers(cell.source, commentPrefixes(language)))
      d[MARKERS[m as keyof typeof MARKERS]] = true;
  return d;
}

/** The notebook's language as its metadata names it (language_info, else the kernelspec's). */
export function notebookLanguage(metadata: {
  language_info?: { name?: string };
  kernelspec?: { language?: string };
}): string | undefined {
  return metadata.language_info?.name ?? metadata.kernelspec?.language;
}

/** True for a code cell the runner executes: not empty and not skipped. */
export function isExecutable(cell: Cell, language: string | undefined): boolean {
  return cell.cell_type === "code" && cell.source.trim() !== "" && !cellDirectives(cell, language).skip;
}
