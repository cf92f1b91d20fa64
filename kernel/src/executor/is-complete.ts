/**
 * `is_complete_request`: is this text a whole cell (run it) or does it need more lines (keep reading)? Front
 * ends such as jupyter console ask on every Enter. Brackets and template literals are matched with
 * TypeScript's scanner (no language service, no program); what balances is then parsed.
 */
import type * as TS from "typescript";

export interface IsComplete {
  status: "complete" | "incomplete" | "invalid";
  indent?: string;
}

/** IPython's `name?` / `name??`: a request for the pager, which the kernel answers when it is executed. */
export const PAGER_REQUEST = /^\s*([A-Za-z_$][\w$.]*)\s*\?\??\s*$/;

export function isComplete(ts: typeof TS, code: string): IsComplete {
  if (!code.trim() || PAGER_REQUEST.test(code)) return { status: "complete" };
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  const open: TS.SyntaxKind[] = [];
  let unterminated = false;
  const O = ts.SyntaxKind;
  let prev: TS.SyntaxKind = O.Unknown;
  const endsExpression = (t: TS.SyntaxKind) =>
    t === O.Identifier
    || t === O.NumericLiteral
    || t === O.StringLiteral
    || t === O.CloseParenToken
    || t === O.CloseBracketToken
    || t === O.CloseBraceToken
    || t === O.ThisKeyword
    || t === O.TemplateTail
    || t === O.NoSubstitutionTemplateLiteral
    || t === O.PlusPlusToken
    || t === O.MinusMinusToken
    || t === O.RegularExpressionLiteral
    || t === O.BigIntLiteral;
  for (let k = scanner.scan(); k !== O.EndOfFileToken; k = scanner.scan()) {
    if (k === O.CloseBraceToken && open[open.length - 1] === O.TemplateHead) {
      k = scanner.reScanTemplateToken(false);
      if (k === O.TemplateTail) open.pop();
    } else if (k === O.OpenBraceToken || k === O.OpenParenToken || k === O.OpenBracketToken || k === O.TemplateHead)
      open.push(k);
    else if (k === O.CloseBraceToken || k === O.CloseParenToken || k === O.CloseBracketToken) {
      const want =
        k === O.CloseBraceToken ? O.OpenBraceToken : k === O.CloseParenToken ? O.OpenParenToken : O.OpenBracketToken;
      if (open.pop() !== want) return { status: "invalid" };
    } else if ((k === O.SlashToken || k === O.SlashEqualsToken) && !endsExpression(prev)) {
      k = scanner.reScanSlashToken();
    }
    prev = k;
    if (scanner.isUnterminated()) unterminated = true;
  }
  const depth = open.length;
  if (depth > 0) return { status: "incomplete", indent: "  ".repeat(depth) };
  if (unterminated) return { status: code.includes("`") || code.includes("/*") ? "incomplete" : "invalid", indent: "" };
  const r = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  const errs = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (!errs.length) return { status: "complete" };
  const trimmed = code.trimEnd().length;
  return errs.every((d) => (d.start ?? 0) >= trimmed) ? { status: "incomplete", indent: "" } : { status: "invalid" };
}
