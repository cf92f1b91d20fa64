/**
 * The cell → script rewrite, a TypeScript `before` transformer. A cell runs as the body of an async function
 * (top-level await); to make its top-level names outlive it, declarations become assignments to `globalThis`
 * (re-running `const x = 1` then simply assigns again), imports become `await __folio_import(...)`, and the last
 * expression statement becomes the function's result. Only the type of `ts` is imported here: the compiler
 * itself is loaded lazily by the language worker.
 *
 * A top-level variable no function of the cell refers to stays a local of the cell body (a global store on each
 * step of a loop costs 6-10x) and is written back to `globalThis` when each statement that mentions it ends, in a
 * `finally`, and before each await of that statement. So a later cell sees the values an interrupted or failed
 * cell reached, as in ipykernel: the top-level code's loops check the interrupt flag after each iteration, leave
 * the loop and throw (`__folio_interrupt()`), which the `finally` sees; a loop in a function, or in a package, is
 * stopped the hard way (a termination: no `finally` runs, that statement's writes are lost; executor.ts).
 */
import type * as TS from "typescript";

/** Name of the runtime import helper the kernel installs on globalThis. */
export const IMPORT_HELPER = "__folio_import";
/** Names of the await fence (../cell-scope.ts): `__folio_live()` is false in an interrupted cell, whose awaits then wait on `__folio_never` for good. */
export const AWAIT_LIVE = "__folio_live",
  AWAIT_NEVER = "__folio_never";
/** Name of the object `import.meta` stands for in a cell (a cell runs as a script, where `import.meta` is a syntax error). */
export const IMPORT_META = "__folio_import_meta";
/**
 * Names of the interrupt check at the loops of a cell's top-level code: `__folio_interrupt_flag` is a one-slot
 * Int32Array (shared with the control thread, nonzero once the running cell is interrupted) and
 * `__folio_interrupt()` throws the interrupt.
 */
export const INTERRUPT_FLAG = "__folio_interrupt_flag",
  INTERRUPT_THROW = "__folio_interrupt";

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
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) into.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return into;
}

/** Names a statement declares anywhere inside it (block variables, catch clauses, parameters): they may shadow a top-level local. */
function declaredWithin(ts: typeof TS, node: TS.Node): Set<string> {
  const into = new Set<string>();
  const bind = (n: TS.BindingName) => {
    if (ts.isIdentifier(n)) into.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  const visit = (n: TS.Node): void => {
    if (ts.isVariableDeclaration(n) || ts.isParameter(n)) bind(n.name);
    else if (
      (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isEnumDeclaration(n) || ts.isModuleDeclaration(n))
      && n.name
      && ts.isIdentifier(n.name)
    )
      into.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return into;
}

export function cellTransformer(
  ts: typeof TS,
  capturedElsewhere: ReadonlySet<string> = new Set(),
): TS.TransformerFactory<TS.SourceFile> {
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
    const fence = (): TS.Expression =>
      f.createLogicalOr(
        f.createLogicalOr(
          f.createStrictInequality(
            f.createTypeOfExpression(f.createIdentifier(AWAIT_LIVE)),
            f.createStringLiteral("function"),
          ),
          f.createCallExpression(f.createIdentifier(AWAIT_LIVE), undefined, []),
        ),
        f.createAwaitExpression(f.createIdentifier(AWAIT_NEVER)),
      );
    // `await x` → `[await x, <fence>][0]`: x's value, once the fence lets the cell go on
    const fenced = (awaited: TS.AwaitExpression): TS.Expression =>
      f.createElementAccessExpression(f.createArrayLiteralExpression([awaited, fence()]), 0);
    const importCall = (spec: TS.Expression, raw = false) =>
      fenced(
        f.createAwaitExpression(
          f.createCallExpression(f.createIdentifier(IMPORT_HELPER), undefined, raw ? [spec, f.createTrue()] : [spec]),
        ),
      );
    const hasMod = (n: TS.Node, k: TS.SyntaxKind) =>
      !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === k);
    const keepMods = (n: TS.Node) =>
      (ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined)?.filter(
        (m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword,
      );

    const target = (name: TS.BindingName): TS.Expression => {
      if (ts.isIdentifier(name)) return g(name.text);
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((el) => {
            if (el.dotDotDotToken) return f.createSpreadAssignment(target(el.name));
            const key = el.propertyName ?? (el.name as TS.Identifier);
            const t = target(el.name);
            return f.createPropertyAssignment(
              key as TS.PropertyName,
              el.initializer ? f.createAssignment(t, el.initializer) : t,
            );
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((el) => {
          if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
          if (el.dotDotDotToken) return f.createSpreadElement(target(el.name));
          const t = target(el.name);
          return el.initializer ? f.createAssignment(t, el.initializer) : t;
        }),
      );
    };

    // A top-level loop becomes `__folio_loop: for (…) { …; if (__folio_interrupt_flag[0] !== 0) break __folio_loop; }`
    // then `if (__folio_interrupt_flag[0] !== 0) __folio_interrupt();` after it, and each `continue` in it checks
    // the flag first the same way. A check that breaks out at the end of an iteration costs next to nothing (a
    // 10M-step loop: 35 → 40 ms); a call or a throw inside the loop 3-4x, an Atomics.load 8x (a plain load of the
    // shared slot is not hoisted: V8 does not eliminate typed-array loads across iterations).
    const flagSet = () =>
      f.createStrictInequality(
        f.createElementAccessExpression(f.createIdentifier(INTERRUPT_FLAG), 0),
        f.createNumericLiteral(0),
      );
    const breakIfSet = (label: TS.Identifier) => f.createIfStatement(flagSet(), f.createBreakStatement(label));
    const throwIfSet = () =>
      f.createIfStatement(
        flagSet(),
        f.createExpressionStatement(f.createCallExpression(f.createIdentifier(INTERRUPT_THROW), undefined, [])),
      );
    const withFirst = (first: TS.Statement[], body: TS.Statement): TS.Block =>
      f.createBlock([...first, ...(ts.isBlock(body) ? body.statements : [body])], true);
    const withLast = (body: TS.Statement, last: TS.Statement): TS.Block =>
      f.createBlock([...(ts.isBlock(body) ? body.statements : [body]), last], true);
    /** The temporary an awaited value passes through while the locals are written back (one per cell is enough: it is read right after). */
    const awaitTmp = f.createUniqueName("__folio_awaited");
    let usedAwaitTmp = false;

    // Dynamic import() anywhere in the cell resolves from the notebook's directory, like static imports;
    // import.meta is the notebook directory's. `top`: the cell's own top-level code, not a function or class in
    // it; `writeBack`: the assignments that save the statement's locals before one of its awaits.
    const dynamicVisitor = (top: boolean, writeBack: TS.Expression[]): TS.Visitor => {
      /** The labels of the top-level loops being visited, innermost last (what a `continue` breaks out of). */
      const loops: TS.Identifier[] = [];
      /** Inside a top-level `for await`, whose implicit await between iterations saves the locals too. */
      let forAwait = 0;
      const saveLocals = () => writeBack.map((e) => f.createExpressionStatement(e));
      /** `loop` with its checks, under `labels` (the user's, outermost first), followed by the check that throws. */
      const checkedLoop = (loop: TS.IterationStatement, labels: TS.Identifier[]): TS.Statement => {
        const label = f.createUniqueName("__folio_loop");
        const isForAwait = ts.isForOfStatement(loop) && !!loop.awaitModifier;
        loops.push(label);
        if (isForAwait) forAwait++;
        const n = ts.visitEachChild(loop, visit, ctx) as TS.IterationStatement;
        if (isForAwait) forAwait--;
        loops.pop();
        const fenced = isForAwait ? [f.createExpressionStatement(fence())] : [];
        const body = withLast(
          withFirst(fenced, n.statement),
          f.createBlock([...(isForAwait ? saveLocals() : []), breakIfSet(label)], true),
        );
        const updated = ts.isForStatement(n)
          ? f.updateForStatement(n, n.initializer, n.condition, n.incrementor, body)
          : ts.isForOfStatement(n)
            ? f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, body)
            : ts.isForInStatement(n)
              ? f.updateForInStatement(n, n.initializer, n.expression, body)
              : ts.isWhileStatement(n)
                ? f.updateWhileStatement(n, n.expression, body)
                : f.updateDoStatement(n as TS.DoStatement, body, (n as TS.DoStatement).expression);
        const labelled = labels.reduceRight<TS.Statement>(
          (st, l) => f.createLabeledStatement(l, st),
          f.createLabeledStatement(label, updated),
        );
        return f.createBlock([labelled, throwIfSet()], true);
      };
      const visit = (node: TS.Node): TS.Node => {
        if (top && (ts.isFunctionLike(node) || ts.isClassLike(node))) return ts.visitNode(node, inner) as TS.Node;
        if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword)
          return ts.setTextRange(f.createIdentifier(IMPORT_META), node);
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
          return f.createCallExpression(
            f.createIdentifier(IMPORT_HELPER),
            undefined,
            node.arguments.map((a) => ts.visitNode(a, visit) as TS.Expression),
          );
        }
        if (ts.isAwaitExpression(node)) {
          let awaited = ts.visitNode(node.expression, visit) as TS.Expression;
          // `await (t = x, globalThis.n = n, t)`: an interrupt while the cell waits keeps the values reached
          if (top && writeBack.length) {
            usedAwaitTmp = true;
            awaited = f.createCommaListExpression([f.createAssignment(awaitTmp, awaited), ...writeBack, awaitTmp]);
          }
          return ts.setTextRange(fenced(f.updateAwaitExpression(node, awaited)), node);
        }
        if (top) {
          if (ts.isLabeledStatement(node)) {
            const labels: TS.Identifier[] = [];
            let st: TS.Statement = node;
            while (ts.isLabeledStatement(st)) {
              labels.push(st.label);
              st = st.statement;
            }
            if (ts.isIterationStatement(st, false)) return checkedLoop(st, labels);
          }
          if (ts.isIterationStatement(node, false)) return checkedLoop(node, []);
          if (ts.isContinueStatement(node) && loops.length)
            return f.createBlock([...(forAwait ? saveLocals() : []), breakIfSet(loops[loops.length - 1]), node], true);
        } else if (ts.isForOfStatement(node) && node.awaitModifier) {
          // each iteration first passes the fence, so an interrupted `for await` stops even with no await in its body
          const n = ts.visitEachChild(node, visit, ctx);
          return f.updateForOfStatement(
            n,
            n.awaitModifier,
            n.initializer,
            n.expression,
            withFirst([f.createExpressionStatement(fence())], n.statement),
          );
        }
        return ts.visitEachChild(node, visit, ctx);
      };
      const inner: TS.Visitor = top ? dynamicVisitor(false, []) : visit;
      return visit;
    };

    const hoisted: TS.Statement[] = [];
    const out: TS.Statement[] = [];
    let tmp = 0;
    const stmts = sf.statements;
    stmts.forEach((s0, i) => {
      const mentioned = locals.size ? identifiersIn(ts, s0) : undefined;
      /** The mutable top-level locals this statement may change, as `globalThis.n = n` (declared by earlier statements). */
      const saves = (skip: ReadonlySet<string> = new Set()) =>
        [...locals]
          .filter(([n, mutable]) => mutable && mentioned!.has(n) && !skip.has(n))
          .map(([n]) => f.createAssignment(g(n), f.createIdentifier(n)));
      const s = ts.visitNode(s0, dynamicVisitor(true, mentioned ? saves(declaredWithin(ts, s0)) : [])) as TS.Statement;
      if (hasMod(s, ts.SyntaxKind.DeclareKeyword)) return;
      if (ts.isImportDeclaration(s)) {
        const clause = s.importClause;
        if (clause?.isTypeOnly) return;
        if (!clause) {
          out.push(ts.setTextRange(f.createExpressionStatement(importCall(s.moduleSpecifier)), s));
          return;
        }
        const m = f.createUniqueName("__folio_m");
        out.push(
          ts.setTextRange(
            f.createVariableStatement(
              undefined,
              f.createVariableDeclarationList(
                [f.createVariableDeclaration(m, undefined, undefined, importCall(s.moduleSpecifier))],
                ts.NodeFlags.Const,
              ),
            ),
            s,
          ),
        );
        if (clause.name) out.push(assign(g(clause.name.text), f.createPropertyAccessExpression(m, "default"), s));
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) out.push(assign(g(nb.name.text), m, s));
        else if (nb)
          for (const el of nb.elements) {
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
          // an initializer may change earlier locals (`let y = x++`)
          if (mentioned)
            for (const e of saves(new Set(names))) out.push(ts.setTextRange(f.createExpressionStatement(e), s));
          for (const n of names) {
            locals.set(n, mutable);
            out.push(assign(g(n), f.createIdentifier(n), s));
          }
          return;
        }
        for (const d of s.declarationList.declarations)
          out.push(assign(target(d.name), d.initializer ?? f.createVoidZero(), d));
        return;
      }
      if (ts.isFunctionDeclaration(s)) {
        if (!s.body) return;
        out.push(
          f.updateFunctionDeclaration(
            s,
            keepMods(s),
            s.asteriskToken,
            s.name,
            s.typeParameters,
            s.parameters,
            s.type,
            s.body,
          ),
        );
        if (s.name) hoisted.push(assign(g(s.name.text), s.name, s.name));
        return;
      }
      if (ts.isClassDeclaration(s)) {
        const mods = (ts.getModifiers(s) ?? []).filter(
          (m) =>
            m.kind !== ts.SyntaxKind.ExportKeyword
            && m.kind !== ts.SyntaxKind.DefaultKeyword
            && m.kind !== ts.SyntaxKind.AbstractKeyword,
        );
        const expr = f.createClassExpression(
          [...(ts.getDecorators(s) ?? []), ...mods],
          s.name,
          s.typeParameters,
          s.heritageClauses,
          s.members,
        );
        if (s.name) out.push(assign(g(s.name.text), expr, s));
        else out.push(ts.setTextRange(f.createExpressionStatement(expr), s));
        return;
      }
      if (ts.isEnumDeclaration(s) || (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name))) {
        const name = (s.name as TS.Identifier).text;
        out.push(
          ts.isEnumDeclaration(s)
            ? f.updateEnumDeclaration(
                s,
                keepMods(s)?.filter((m) => m.kind !== ts.SyntaxKind.ConstKeyword),
                s.name,
                s.members,
              )
            : f.updateModuleDeclaration(
                s as TS.ModuleDeclaration,
                keepMods(s),
                (s as TS.ModuleDeclaration).name,
                (s as TS.ModuleDeclaration).body,
              ),
        );
        out.push(assign(g(name), f.createIdentifier(name), s));
        return;
      }
      if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
        out.push(s);
        return;
      }
      const last =
        i === stmts.length - 1 && ts.isExpressionStatement(s)
          ? ts.setTextRange(
              f.createReturnStatement(
                f.createObjectLiteralExpression([f.createPropertyAssignment("value", s.expression)]),
              ),
              s,
            )
          : s;
      // `try { s } finally { globalThis.n = n }`: the locals are saved however the statement ends (not after a termination)
      const written = mentioned ? saves() : [];
      out.push(
        written.length
          ? ts.setTextRange(
              f.createTryStatement(
                f.createBlock([last], true),
                undefined,
                f.createBlock(
                  written.map((e) => f.createExpressionStatement(e)),
                  true,
                ),
              ),
              s,
            )
          : last,
      );
    });
    void tmp;
    const temps = usedAwaitTmp
      ? [
          f.createVariableStatement(
            undefined,
            f.createVariableDeclarationList([f.createVariableDeclaration(awaitTmp)], ts.NodeFlags.Let),
          ),
        ]
      : [];
    return f.updateSourceFile(sf, [...temps, ...hoisted, ...out]);

    function entityToExpression(e: TS.EntityName): TS.Expression {
      return ts.isIdentifier(e)
        ? f.createIdentifier(e.text)
        : f.createPropertyAccessExpression(entityToExpression(e.left), e.right.text);
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
  else if (
    (ts.isFunctionDeclaration(s)
      || ts.isClassDeclaration(s)
      || ts.isInterfaceDeclaration(s)
      || ts.isTypeAliasDeclaration(s)
      || ts.isEnumDeclaration(s))
    && s.name
  )
    names.push(s.name.text);
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
export function transpileCell(
  ts: typeof TS,
  code: string,
  fileName: string,
  captured: Set<string>,
): { js: string; map: string } {
  const r = ts.transpileModule(code, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      sourceMap: true,
      inlineSources: false,
      removeComments: false,
      useDefineForClassFields: true,
      esModuleInterop: true,
    },
    transformers: { before: [cellTransformer(ts, captured)] },
    reportDiagnostics: false,
  });
  closureNames(ts, ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS), captured);
  return { js: asScript(r.outputText), map: r.sourceMapText ?? "" };
}

/**
 * Emitted JavaScript as the script a cell runs: without the source-map comment, and without the `export {};`
 * TypeScript keeps to leave a module a module once its imports are gone (not valid in a script).
 */
export function asScript(js: string): string {
  return js.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n").replace(/^export \{\};\s*$/m, "");
}
