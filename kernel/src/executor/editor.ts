/**
 * What an editor asks between executes: completions and inspection (the tooltip) at a cursor in a cell that
 * has not run, checked against the whole prelude. Offsets here are UTF-16, as in JavaScript strings; the main
 * thread converts the protocol's code points (`cursor.ts`).
 */
import type * as TS from "typescript";
import { layout, toCell, toVirtual, type Layout, type Prelude } from "./cell-layout";
import type { CellHost } from "./language-host";
import type { Completion, Inspection } from "./language-protocol";

function laidOut(ts: typeof TS, host: CellHost, prelude: Prelude, code: string): Layout {
  const l = layout(ts, prelude, code, true);
  host.addImports(l.specs);
  host.setVirtual(host.cell, l.text);
  return l;
}

/**
 * Names completing the word at the cursor. The range replaced is TypeScript's own replacement span where it
 * gives one (a module specifier such as `@tensorflow/tfjs-c` or `node:pa`, whose names hold `-`, `/`, `:`),
 * else the identifier around the cursor; names are those starting with the text from its start to the cursor.
 */
export function complete(ts: typeof TS, host: CellHost, prelude: Prelude, code: string, cursor: number): Completion {
  const l = laidOut(ts, host, prelude, code);
  const info = host.ls.getCompletionsAtPosition(host.cell, toVirtual(l, cursor), {
    includeCompletionsWithInsertText: false,
  });
  const span = info?.entries.find((e) => e.replacementSpan)?.replacementSpan ?? info?.optionalReplacementSpan;
  let start = cursor,
    end = cursor;
  if (span && span.start >= l.cellStart) {
    start = toCell(l, span.start - l.cellStart);
    end = toCell(l, span.start + span.length - l.cellStart);
  } else {
    while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
    while (end < code.length && /[\w$]/.test(code[end])) end++;
  }
  if (start > cursor || end < cursor) {
    start = cursor;
    end = cursor;
  }
  const prefix = code.slice(start, cursor);
  const seen = new Set<string>();
  const entries = (info?.entries ?? [])
    .filter((e) => e.name.startsWith(prefix) && !e.name.startsWith("__folio") && !seen.has(e.name) && seen.add(e.name))
    .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
  return { matches: entries.map((e) => e.name), start, end };
}

/**
 * The tooltip for the name at (or just before) the cursor; inside a call's parentheses with no name there, the
 * signature of the call (`add(1, ` shows `add(a: number, b: number): number`). Undefined for a name that does
 * not resolve (TypeScript would answer `any`).
 */
export function inspect(
  ts: typeof TS,
  host: CellHost,
  prelude: Prelude,
  code: string,
  cursor: number,
): Inspection | undefined {
  const l = laidOut(ts, host, prelude, code);
  const at = (c: number) => host.ls.getQuickInfoAtPosition(host.cell, toVirtual(l, c));
  const q = at(cursor) ?? (cursor > 0 ? at(cursor - 1) : undefined);
  if (q) {
    if (q.kind === ts.ScriptElementKind.unknown) return undefined;
    return tooltip(ts, ts.displayPartsToString(q.displayParts), q.documentation, q.tags);
  }
  const help = host.ls.getSignatureHelpItems(host.cell, toVirtual(l, cursor), undefined);
  const item = help?.items[help.selectedItemIndex] ?? help?.items[0];
  if (!item) return undefined;
  const params = item.parameters
    .map((p) => ts.displayPartsToString(p.displayParts))
    .join(ts.displayPartsToString(item.separatorDisplayParts));
  const sig =
    ts.displayPartsToString(item.prefixDisplayParts) + params + ts.displayPartsToString(item.suffixDisplayParts);
  return tooltip(ts, sig, item.documentation, item.tags);
}

const FENCE = "```";

/**
 * Plain text, and Markdown where only the signature is fenced: JSDoc is Markdown already and often holds fences
 * of its own (every tfjs `@example`), which one enclosing fence would garble.
 */
export function tooltip(
  ts: typeof TS,
  signature: string,
  documentation: TS.SymbolDisplayPart[] | undefined,
  tags: TS.JSDocTagInfo[] | undefined,
): Inspection {
  const doc = ts.displayPartsToString(documentation);
  const tagText = (tags ?? []).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text) }));
  const plainTags = tagText.map((t) => `@${t.name} ${t.text}`.trim()).join("\n");
  const markdownTags = tagText
    .map((t) => {
      if (t.name === "example")
        return `*@example*\n${t.text.includes(FENCE) ? t.text : `${FENCE}typescript\n${t.text}\n${FENCE}`}`;
      if (t.name === "param" || t.name === "template") {
        const m = /^(\S+)\s*([\s\S]*)$/.exec(t.text);
        return m ? `*@${t.name}* \`${m[1]}\`${m[2] ? ` — ${m[2]}` : ""}` : `*@${t.name}*`;
      }
      return `*@${t.name}*${t.text ? ` — ${t.text}` : ""}`;
    })
    .join("\n\n");
  const longest = Math.max(2, ...[...signature.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = "`".repeat(Math.max(3, longest));
  return {
    plain: [signature, doc, plainTags].filter(Boolean).join("\n\n"),
    markdown: [`${fence}typescript\n${signature}\n${fence}`, doc, markdownTags].filter(Boolean).join("\n\n"),
  };
}
