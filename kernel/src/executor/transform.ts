/**
 * The cell → script rewrite, a TypeScript `before` transformer. A cell runs as the body of an async function
 * (top-level await); to make its top-level names outlive it, declarations become assignments to `globalThis`
 * (re-running `const x = 1` then simply assigns again), imports become `await __folio_import(...)`, and the last
 * expression statement becomes the function's result. Only the type of `ts` is imported here: the compiler
 * itself is loaded lazily by the language worker.
 */
import type * as TS from "typescript";

/** Name of the runtime import helper the kernel installs on globalThis. */
export const IMPORT_HELPER = "__folio_import";
/** Names of the await fence (../cell-scope.ts): `__folio_live()` is false in an interrupted cell, whose awaits then wait on `__folio_never` for good. */
export const AWAIT_LIVE = "__folio_live", AWAIT_NEVER = "__folio_never";
/** Name of the object `import.meta` stands for in a cell (a cell runs as a script, where `import.meta` is a syntax error). */
export const IMPORT_META = "__folio_import_meta";

/**
 * Names referenced inside functions or classes of a cell: a top-level variable one of them captures must live
 * on `globalThis` (so that a later cell sees what the closure sees). Others are faster as locals of the cell,
 * written back to `globalThis` after each top-level statement that mentions them.
 */
export function closureNames(ts: typeof TS, sf: TS.SourceFile, into: Set<string> = new Set()): Set<string> {
  const visit = (n: TS.Node, inside: boolean): void => {
    if (inside && ts.isIdentifier(n)) into.add(n.text);
    const fn = inside || ts.isFunctionLike(n) || ts.isClassLike(n);
    ts.forEachChild(n, (c) => visit(c, fn));
  };
  visit(sf, false);
  return into;
}

function identifiersIn(ts: typeof TS, node: TS.Node, into: Set<string> = new Set()): Set<string> {
  const visit = (n: TS.Node): void => { if (ts.isIdentifier(n)) into.add(n.text); ts.forEachChild(n, visit); };
  visit(node);
  return into;
}

export function cellTransformer(ts: typeof TS, capturedElsewhere: ReadonlySet<string> = new Set()): TS.TransformerFactory<TS.SourceFile> {
  return (ctx) => (sf) => {
    const captured = closureNames(ts, sf, new Set(capturedElsewhere));
    /** Top-level variables kept local to the cell body; mutable ones are written back after statements. */
    const locals = new Map<string, boolean>();
    const f = ctx.factory;
    const g = (name: string) => f.createPropertyAccessExpression(f.createIdentifier("globalThis"), name);
    const assign = (target: TS.Expression, value: TS.Expression, range: TS.TextRange) =>
      ts.setTextRange(f.createExpressionStatement(f.createAssignment(target, value)), range);
    // After each await: `typeof __folio_live !== "function" || __folio_live() || await __folio_never`, so an
    // interrupted cell's code never resumes; nothing is allocated while the cell is live. The typeof guard keeps a
    // cell's function working where it is shipped as text (toString to a worker or a browser page).
    const fence = (): TS.Expression => f.createLogicalOr(f.createLogicalOr(
      f.createStrictInequality(f.createTypeOfExpression(f.createIdentifier(AWAIT_LIVE)), f.createStringLiteral("function")),
      f.createCallExpression(f.createIdentifier(AWAIT_LIVE), undefined, [])), f.createAwaitExpression(f.createIdentifier(AWAIT_NEVER)));
    // `await x` → `[await x, <fence>][0]`: x's value, once the fence lets the cell go on
    const fenced = (awaited: TS.AwaitExpression): TS.Expression =>
      f.createElementAccessExpression(f.createArrayLiteralExpression([awaited, fence()]), 0);
    const importCall = (spec: TS.Expression, raw = false) =>
      fenced(f.createAwaitExpression(f.createCallExpression(f.createIdentifier(IMPORT_HELPER), undefined, raw ? [spec, f.createTrue()] : [spec])));
    const hasMod = (n: TS.Node, k: TS.SyntaxKind) => !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === k);
    const keepMods = (n: TS.Node) => (ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined)
      ?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);

    const target = (name: TS.BindingName): TS.Expression => {
      if (ts.isIdentifier(name)) return g(name.text);
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(name.elements.map((el) => {
          if (el.dotDotDotToken) return f.createSpreadAssignment(target(el.name));
          const key = el.propertyName ?? (el.name as TS.Identifier);
          const t = target(el.name);
          return f.createPropertyAssignment(key as TS.PropertyName, el.initializer ? f.createAssignment(t, el.initializer) : t);
        }));
      }
      return f.createArrayLiteralExpression(name.elements.map((el) => {
        if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
        if (el.dotDotDotToken) return f.createSpreadElement(target(el.name));
        const t = target(el.name);
        return el.initializer ? f.createAssignment(t, el.initializer) : t;
      }));
    };

    // Dynamic import() anywhere in the cell resolves from the notebook's directory, like static imports;
    // import.meta is the notebook directory's.
    const visitDynamic = (node: TS.Node): TS.Node => {
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) return ts.setTextRange(f.createIdentifier(IMPORT_META), node);
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        return f.createCallExpression(f.createIdentifier(IMPORT_HELPER), undefined, node.arguments.map((a) => ts.visitNode(a, visitDynamic) as TS.Expression));
      }
      if (ts.isAwaitExpression(node)) return ts.setTextRange(fenced(f.updateAwaitExpression(node, ts.visitNode(node.expression, visitDynamic) as TS.Expression)), node);
      if (ts.isForOfStatement(node) && node.awaitModifier) {
        // each iteration first passes the fence, so an interrupted `for await` stops even with no await in its body
        const n = ts.visitEachChild(node, visitDynamic, ctx);
        const body = ts.isBlock(n.statement) ? [...n.statement.statements] : [n.statement];
        return f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, f.createBlock([f.createExpressionStatement(fence()), ...body], true));
      }
      return ts.visitEachChild(node, visitDynamic, ctx);
    };

    const hoisted: TS.Statement[] = [];
    const out: TS.Statement[] = [];
    let tmp = 0;
    const stmts = sf.statements;
    stmts.forEach((s0, i) => {
      const s = ts.visitNode(s0, visitDynamic) as TS.Statement;
      if (hasMod(s, ts.SyntaxKind.DeclareKeyword)) return;
      if (ts.isImportDeclaration(s)) {
        const clause = s.importClause;
        if (clause?.isTypeOnly) return;
        if (!clause) { out.push(ts.setTextRange(f.createExpressionStatement(importCall(s.moduleSpecifier)), s)); return; }
        const m = f.createUniqueName("__folio_m");
        out.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList(
          [f.createVariableDeclaration(m, undefined, undefined, importCall(s.moduleSpecifier))], ts.NodeFlags.Const)), s));
        if (clause.name) out.push(assign(g(clause.name.text), f.createPropertyAccessExpression(m, "default"), s));
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) out.push(assign(g(nb.name.text), m, s));
        else if (nb) for (const el of nb.elements) {
          if (el.isTypeOnly) continue;
          const from = el.propertyName ?? el.name;
          out.push(assign(g(el.name.text), f.createElementAccessExpression(m, f.createStringLiteral(from.text)), s));
        }
        tmp++;
        return;
      }
      if (ts.isImportEqualsDeclaration(s)) {
        if (s.isTypeOnly) return;
        const ref = s.moduleReference;
        const value = ts.isExternalModuleReference(ref) ? importCall(ref.expression, true) : entityToExpression(ref);
        out.push(assign(g(s.name.text), value, s));
        return;
      }
      if (ts.isExportDeclaration(s) || ts.isExportAssignment(s)) {
        if (ts.isExportAssignment(s)) out.push(ts.setTextRange(f.createExpressionStatement(s.expression), s));
        return;
      }
      if (ts.isVariableStatement(s)) {
        const names = declaredNames(ts, s);
        if (names.every((n) => !captured.has(n))) {
          const mutable = !(s.declarationList.flags & ts.NodeFlags.Const);
          out.push(f.updateVariableStatement(s, undefined, s.declarationList));
          for (const n of names) { locals.set(n, mutable); out.push(assign(g(n), f.createIdentifier(n), s)); }
          return;
        }
        for (const d of s.declarationList.declarations) out.push(assign(target(d.name), d.initializer ?? f.createVoidZero(), d));
        return;
      }
      if (ts.isFunctionDeclaration(s)) {
        if (!s.body) return;
        out.push(f.updateFunctionDeclaration(s, keepMods(s), s.asteriskToken, s.name, s.typeParameters, s.parameters, s.type, s.body));
        if (s.name) hoisted.push(assign(g(s.name.text), s.name, s.name));
        return;
      }
      if (ts.isClassDeclaration(s)) {
        const mods = (ts.getModifiers(s) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword && m.kind !== ts.SyntaxKind.AbstractKeyword);
        const expr = f.createClassExpression([...(ts.getDecorators(s) ?? []), ...mods], s.name, s.typeParameters, s.heritageClauses, s.members);
        if (s.name) out.push(assign(g(s.name.text), expr, s));
        else out.push(ts.setTextRange(f.createExpressionStatement(expr), s));
        return;
      }
      if (ts.isEnumDeclaration(s) || (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name))) {
        const name = (s.name as TS.Identifier).text;
        out.push(ts.isEnumDeclaration(s)
          ? f.updateEnumDeclaration(s, keepMods(s)?.filter((m) => m.kind !== ts.SyntaxKind.ConstKeyword), s.name, s.members)
          : f.updateModuleDeclaration(s as TS.ModuleDeclaration, keepMods(s), (s as TS.ModuleDeclaration).name, (s as TS.ModuleDeclaration).body));
        out.push(assign(g(name), f.createIdentifier(name), s));
        return;
      }
      const mentioned = locals.size ? identifiersIn(ts, s0) : undefined;
      const writeBack = () => {
        for (const [n, mutable] of locals) if (mutable && mentioned!.has(n)) out.push(assign(g(n), f.createIdentifier(n), s));
      };
      if (i === stmts.length - 1 && ts.isExpressionStatement(s)) {
        if (mentioned) {
          const v = f.createUniqueName("__folio_value");
          out.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(v, undefined, undefined, s.expression)], ts.NodeFlags.Const)), s));
          writeBack();
          out.push(ts.setTextRange(f.createReturnStatement(f.createObjectLiteralExpression([f.createPropertyAssignment("value", v)])), s));
          return;
        }
        out.push(ts.setTextRange(f.createReturnStatement(f.createObjectLiteralExpression([f.createPropertyAssignment("value", s.expression)])), s));
        return;
      }
      out.push(s);
      if (mentioned) writeBack();
    });
    void tmp;
    return f.updateSourceFile(sf, [...hoisted, ...out]);

    function entityToExpression(e: TS.EntityName): TS.Expression {
      return ts.isIdentifier(e) ? f.createIdentifier(e.text) : f.createPropertyAccessExpression(entityToExpression(e.left), e.right.text);
    }
  };
}

/** Names a cell declares at top level (values, types, imports): the names its prelude entries are keyed by. */
export function declaredNames(ts: typeof TS, s: TS.Statement): string[] {
  const names: string[] = [];
  const bind = (n: TS.BindingName) => {
    if (ts.isIdentifier(n)) names.push(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bind(d.name));
  else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) names.push(s.name.text);
  else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) names.push(s.name.text);
  else if (ts.isImportEqualsDeclaration(s)) names.push(s.name.text);
  else if (ts.isImportDeclaration(s) && s.importClause) {
    const c = s.importClause;
    if (c.name) names.push(c.name.text);
    if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.push(c.namedBindings.name.text);
    else if (c.namedBindings) c.namedBindings.elements.forEach((e) => names.push(e.name.text));
  }
  return names;
}

/**
 * A cell as the script the kernel runs (ES2022, with a source map back to the cell). `captured` holds the names
 * earlier cells' functions and classes refer to; this cell's are added to it.
 */
export function transpileCell(ts: typeof TS, code: string, fileName: string, captured: Set<string>): { js: string; map: string } {
  const r = ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true, inlineSources: false, removeComments: false, useDefineForClassFields: true, esModuleInterop: true },
    transformers: { before: [cellTransformer(ts, captured)] },
    reportDiagnostics: false,
  });
  closureNames(ts, ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS), captured);
  // TypeScript keeps a module a module with `export {};` once its imports are gone: not valid in a script.
  const js = r.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n").replace(/^export \{\};\s*$/m, "");
  return { js, map: r.sourceMapText ?? "" };
}
