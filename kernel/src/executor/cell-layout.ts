/**
 * How a cell is laid out for the checker, and positions mapped between the cell and that layout:
 *   prelude (declarations of earlier cells' names, minus names this cell redeclares)
 *   + the cell, with `export` inserted before its top-level declarations (so declaration emit sees them)
 *   + `export {}`.
 */
import type * as TS from "typescript";
import { declaredNames } from "./transform";

export const EXPORT = "export ";

export interface Layout {
  text: string;
  cellStart: number;
  /** Cell offsets before which `export ` was inserted, ascending. */
  inserts: number[];
  /** Top-level names the cell declares. */
  names: Set<string>;
  /** Module specifiers the cell imports statically. */
  specs: string[];
  sf: TS.SourceFile;
}

/** Prelude entries keyed by declared name, in declaration order. */
export type Prelude = Map<string, string>;

const WORD = /[A-Za-z_$][\w$]*/g;

/**
 * The prelude names a text may refer to, closed over the prelude entries themselves. Checking only these keeps
 * a cell's check independent of how much earlier cells declared and imported (an unused `import * as tf`
 * would otherwise be re-resolved for every cell).
 */
export function neededNames(prelude: Prelude, code: string): Set<string> {
  const needed = new Set<string>();
  const queue = [code];
  while (queue.length) {
    for (const w of queue.pop()!.match(WORD) ?? []) {
      if (needed.has(w)) continue;
      const entry = prelude.get(w);
      if (entry === undefined) continue;
      needed.add(w);
      queue.push(entry);
    }
  }
  return needed;
}

/** The layout of a cell: with `full`, the whole prelude (completion and inspection may name anything). */
export function layout(ts: typeof TS, prelude: Prelude, code: string, full = false): Layout {
  const needed = full ? new Set<string>() : neededNames(prelude, code);
  const sf = ts.createSourceFile("cell.mts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const inserts: number[] = [];
  const specs: string[] = [];
  for (const s of sf.statements) {
    for (const n of declaredNames(ts, s)) names.add(n);
    const spec = ts.isImportDeclaration(s)
      ? s.moduleSpecifier
      : ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)
        ? s.moduleReference.expression
        : undefined;
    if (spec && ts.isStringLiteral(spec)) specs.push(spec.text);
    const exportable =
      ts.isVariableStatement(s)
      || ts.isInterfaceDeclaration(s)
      || ts.isTypeAliasDeclaration(s)
      || ts.isEnumDeclaration(s)
      || ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && !!s.name)
      || (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name));
    const exported = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exportable && !exported) inserts.push(s.getStart(sf));
  }
  let body = "",
    last = 0;
  for (const o of inserts) {
    body += code.slice(last, o) + EXPORT;
    last = o;
  }
  body += code.slice(last);
  const head = [...prelude]
    .filter(([n]) => !names.has(n) && (full || needed.has(n)))
    .map(([, t]) => t)
    .join("\n");
  const pre = head ? `${head}\n` : "";
  return { text: `${pre + body}\nexport {};\n`, cellStart: pre.length, inserts, names, specs, sf };
}

/** Virtual offset (relative to the cell start) → offset in the cell as the user wrote it. */
export function toCell(l: Layout, v: number): number {
  let shift = 0;
  for (const o of l.inserts) {
    const at = o + shift;
    if (v < at) break;
    if (v < at + EXPORT.length) return o;
    shift += EXPORT.length;
  }
  return v - shift;
}

/** Offset in the cell → offset in the layout's text. */
export function toVirtual(l: Layout, c: number): number {
  return l.cellStart + c + EXPORT.length * l.inserts.filter((o) => o <= c).length;
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, col: pos - before.lastIndexOf("\n") };
}
