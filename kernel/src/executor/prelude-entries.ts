/**
 * A checked cell's prelude entries: one `declare`/`import` text per top-level name, taken from the cell's own
 * import statements and from the checked program's declaration emit. Later cells see earlier ones through them.
 */
import type * as TS from "typescript";
import { declaredNames } from "./transform";
import type { Layout } from "./cell-layout";

/** Per-binding prelude entries for the cell's imports, straight from its source. */
export function importEntries(ts: typeof TS, l: Layout, into: Map<string, string>): void {
  for (const s of l.sf.statements) {
    if (ts.isImportEqualsDeclaration(s)) {
      into.set(s.name.text, s.getText(l.sf));
      continue;
    }
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const spec = s.moduleSpecifier.getText(l.sf);
    const attrs = s.attributes ? ` ${s.attributes.getText(l.sf)}` : "";
    const c = s.importClause;
    const type = c.isTypeOnly ? "type " : "";
    if (c.name) into.set(c.name.text, `import ${type}${c.name.text} from ${spec}${attrs};`);
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb))
      into.set(nb.name.text, `import ${type}* as ${nb.name.text} from ${spec}${attrs};`);
    else if (nb)
      for (const e of nb.elements) {
        const t = c.isTypeOnly || e.isTypeOnly ? "type " : "";
        into.set(
          e.name.text,
          `import { ${t}${e.propertyName ? `${e.propertyName.getText(l.sf)} as ` : ""}${e.name.text} } from ${spec}${attrs};`,
        );
      }
  }
}

/**
 * Literal types longer than this many characters are widened in the prelude (`declare const s: string`): every
 * later cell that names the variable would otherwise parse and check the literal again (0.6 s per cell for a
 * 50 MB string).
 */
export const MAX_LITERAL_TYPE = 256;

/**
 * The declaration's text with big literal types widened to their primitive: in type positions, and as the
 * initializer declaration emit writes for a `const` (`declare const s = "…"` becomes `declare const s: string`).
 */
function widened(ts: typeof TS, node: TS.VariableDeclaration, sf: TS.SourceFile): string {
  const primitive = (k: TS.SyntaxKind) =>
    k === ts.SyntaxKind.BigIntLiteral
      ? "bigint"
      : k === ts.SyntaxKind.NumericLiteral || k === ts.SyntaxKind.PrefixUnaryExpression
        ? "number"
        : "string";
  const big = (n: TS.Node) => n.end - n.getStart(sf) > MAX_LITERAL_TYPE;
  if (node.initializer && !node.type && big(node.initializer))
    return `${node.name.getText(sf)}: ${primitive(node.initializer.kind)}`;
  const edits: [number, number, string][] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isLiteralTypeNode(n) && big(n)) {
      edits.push([n.getStart(sf), n.end, primitive(n.literal.kind)]);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  const start = node.getStart(sf);
  let text = "",
    last = start;
  for (const [a, b, to] of edits) {
    text += sf.text.slice(last, a) + to;
    last = b;
  }
  return text + sf.text.slice(last, node.end);
}

/** Entries for the cell's declared names from its declaration emit (`dts`, the emitted `.d.mts` text). */
export function emitEntries(ts: typeof TS, l: Layout, dts: string, entries: Map<string, string>): void {
  const sf = ts.createSourceFile("cell.d.mts", dts, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const add = (name: string, text: string) => {
    if (!l.names.has(name)) return;
    const prev = entries.get(name);
    entries.set(name, prev && !prev.startsWith("import") ? `${prev}\n${text}` : text);
  };
  for (const s of sf.statements) {
    const mods = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
    const exp = mods?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exp || mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    const lead = dts.slice(s.pos, s.getStart(sf)).trim();
    const rest = dts.slice(exp.end, s.end).trim();
    if (ts.isVariableStatement(s)) {
      const kw =
        s.declarationList.flags & ts.NodeFlags.Const
          ? "const"
          : s.declarationList.flags & ts.NodeFlags.Let
            ? "let"
            : "var";
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) add(d.name.text, `${lead ? `${lead}\n` : ""}declare ${kw} ${widened(ts, d, sf)};`);
      }
    } else {
      for (const n of declaredNames(ts, s)) add(n, (lead ? `${lead}\n` : "") + rest);
    }
  }
}
