/**
 * What an editor asks between executes: completions and inspection (the tooltip) at a cursor in a cell that
 * has not run, checked against the whole prelude.
 */
import type * as TS from "typescript";
import { layout, toVirtual, type Prelude } from "./cell-layout";
import type { CellHost } from "./language-host";

export interface Completion { matches: string[]; start: number; end: number }

export function complete(ts: typeof TS, host: CellHost, prelude: Prelude, code: string, cursor: number): Completion {
  let start = cursor;
  while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
  let end = cursor;
  while (end < code.length && /[\w$]/.test(code[end])) end++;
  const prefix = code.slice(start, cursor);
  const l = layout(ts, prelude, code, true);
  host.addImports(l.specs);
  host.setVirtual(host.cell, l.text);
  const info = host.ls.getCompletionsAtPosition(host.cell, toVirtual(l, cursor), { includeCompletionsWithInsertText: false });
  const seen = new Set<string>();
  const entries = (info?.entries ?? [])
    .filter((e) => e.name.startsWith(prefix) && !e.name.startsWith("__folio") && !seen.has(e.name) && seen.add(e.name))
    .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
  return { matches: entries.map((e) => e.name), start, end };
}

export function inspect(ts: typeof TS, host: CellHost, prelude: Prelude, code: string, cursor: number): string | undefined {
  const l = layout(ts, prelude, code, true);
  host.addImports(l.specs);
  host.setVirtual(host.cell, l.text);
  const at = (c: number) => host.ls.getQuickInfoAtPosition(host.cell, toVirtual(l, c));
  const q = at(cursor) ?? (cursor > 0 ? at(cursor - 1) : undefined);
  if (!q) return undefined;
  const sig = ts.displayPartsToString(q.displayParts);
  const doc = ts.displayPartsToString(q.documentation);
  const tags = (q.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`.trim()).join("\n");
  return [sig, doc, tags].filter(Boolean).join("\n\n");
}
