/**
 * The kernel's input history, answering history_request (tail, range, search) as IPython's HistoryManager
 * does for one session kept in memory. The search glob (`*`, `?`) is matched without regular expressions, in
 * time linear in pattern × text, so that no client pattern can stall the kernel.
 */
import type { HistoryRequest, HistoryRow } from "@folio/protocol/jupyter";

export interface HistoryEntry {
  line: number;
  input: string;
  output: string | null;
}

/** The one session this kernel has (IPython numbers sessions from 1; 0 and negatives mean "this one"). */
export const SESSION = 1;

export class History {
  private readonly entries: HistoryEntry[] = [];

  /** Records an input; set `output` on the returned entry once the cell's text result is known. */
  add(line: number, input: string): HistoryEntry {
    const entry = { line, input, output: null };
    this.entries.push(entry);
    return entry;
  }

  query(req: HistoryRequest): HistoryRow[] {
    let rows = this.entries;
    const last = (n: number) => (n > 0 ? rows.slice(-n) : []);
    if (req.hist_access_type === "range") {
      const start = req.start ?? 1,
        stop = req.stop ?? Infinity;
      rows =
        req.session === undefined || req.session === SESSION || req.session <= 0
          ? rows.filter((h) => h.line >= start && h.line < stop)
          : [];
    } else if (req.hist_access_type === "search") {
      const pattern = req.pattern ?? "*";
      rows = rows.filter((h) => globMatch(pattern, h.input));
      if (req.unique) {
        const seen = new Set<string>();
        rows = rows
          .slice()
          .reverse()
          .filter((h) => !seen.has(h.input) && !!seen.add(h.input))
          .reverse();
      }
      if (req.n !== undefined) rows = last(req.n);
    } else if (req.n !== undefined) {
      rows = last(req.n);
    }
    return rows.map((h): HistoryRow => [SESSION, h.line, req.output ? [h.input, h.output] : h.input]);
  }
}

/** Shell-style glob over the whole text: `*` any run of characters, `?` one character (sqlite's GLOB, as IPython). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0,
    t = 0,
    star = -1,
    mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
