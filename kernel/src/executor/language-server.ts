/**
 * The TypeScript side of the kernel: type-checks cells against everything earlier cells declared, transpiles
 * them for execution, and answers completion, inspection and is_complete. It runs outside the main thread, in a
 * process started from a V8 snapshot (`language-snapshot.ts`) or else on a worker thread (`language-worker.ts`),
 * so the main thread never loads the compiler and stays free while a program is (re)built.
 *
 * Each cell is checked as one virtual module `<notebook dir>/__folio_cell__.mts`:
 *   prelude (declarations of earlier cells' names, minus names this cell redeclares)
 *   + the cell, with `export` inserted before its top-level declarations (so declaration emit sees them)
 *   + `export {}`.
 * After a successful check the program's declaration emit gives the cell's own `declare` statements; they enter
 * the prelude when the main thread reports that the cell ran (commit).
 */
import * as path from "node:path";
import * as fs from "node:fs";
import type * as TS from "typescript";
import { cellTransformer, closureNames, declaredNames } from "./transform";
import { bundleDeclarations, type DeclarationBundle } from "./declarations";
import type { LanguageRequest, LanguageResponse, CompileResult, Diagnostic } from "./language-protocol";

/** The compiler options every cell is checked with (strict, Node16 modules, ES2023 without the DOM). */
export function compilerOptions(ts: typeof TS, typeRoots: string[] | undefined): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    // No DOM: its 1.3 MB of declarations double the first check, and cells run in Node (FOLIO_TS_DOM=1 adds it).
    lib: process.env.FOLIO_TS_DOM === "1" ? ["lib.es2023.d.ts", "lib.dom.d.ts"] : ["lib.es2023.d.ts"],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    noEmit: false,
    emitDeclarationOnly: true,
    declaration: false,
    types: ["node"],
    typeRoots,
    noUnusedLocals: false,
  };
}

/**
 * What outlives one notebook directory: parsed and bound declaration files (the document registry) and the
 * text of every file read. The start-up snapshot holds one of these filled by a warm-up check, so a kernel
 * started from it checks its first cell without parsing the 2.8 MB of lib and @types/node declarations.
 */
export interface Shared {
  registry: TS.DocumentRegistry;
  files: Map<string, { version: string; snap: TS.IScriptSnapshot }>;
  /**
   * One module resolution cache for the whole session (the default is one per program, and with node16 every
   * program update would re-read package.json files to classify ~800 declaration files). Cleared when a new
   * module is imported or a cell fails to check, so a file created since is found.
   */
  resolution: TS.ModuleResolutionCache;
  /** The lib and @types/node declarations as one file (see `declarations.ts`); `options.noLib` is set with it. */
  bundle: DeclarationBundle | undefined;
  options: TS.CompilerOptions;
}

/** A fresh `Shared` for these type roots (FOLIO_TS_BUNDLE=0 keeps the declaration files separate). */
export function newShared(ts: typeof TS, typeRoots: string[] | undefined): Shared {
  const base = compilerOptions(ts, typeRoots);
  const bundle = process.env.FOLIO_TS_BUNDLE === "0" ? undefined : bundleDeclarations(ts, base, typeRoots?.[0] ?? process.cwd());
  const options = bundle ? { ...base, noLib: true } : base;
  return { registry: ts.createDocumentRegistry(), files: new Map(), resolution: ts.createModuleResolutionCache("/", (x) => x, options), bundle, options };
}

export interface ServerInit {
  dir: string;
  globalsDts: string;
  shared: Shared;
  /** Called once the warm-up check is done (the worker saves its V8 code cache then). */
  afterWarm?: () => void;
  /** When the process or thread started (Date.now()), for the warm reply's load time. */
  startedAt?: number;
}

/** A language server for one notebook directory: request in, result out (throws on failure). */
export function createLanguageServer(ts: typeof TS, init: ServerInit): (req: LanguageRequest) => LanguageResponse["result"] {
  const { dir, globalsDts, shared } = init;
  const { options, bundle } = shared;
  const t0 = init.startedAt ?? Date.now();


  const CELL = path.join(dir, "__folio_cell__.mts");
  const GLOBALS = path.join(dir, "__folio_globals__.d.ts");
  /**
   * Every module any cell imported, as side-effect imports in a root file that is never checked: it keeps the
   * program's set of files stable from cell to cell (a cell that does not mention `tf` must not drop tfjs from
   * the program, only for the next cell to re-resolve 400 declaration files).
   */
  const IMPORTS = path.join(dir, "__folio_imports__.mts");
  const importedSpecs = new Set<string>();
  const EXPORT = "export ";

  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const virtual = new Map<string, { text: string; version: number }>([[GLOBALS, { text: globalsDts, version: 1 }]]);
  const setVirtual = (file: string, text: string) => {
    const v = virtual.get(file);
    if (v?.text === text) return;
    virtual.set(file, { text, version: (v?.version ?? 0) + 1 });
  };
  setVirtual(CELL, "export {};\n");
  setVirtual(IMPORTS, "export {};\n");
  if (bundle) shared.files.set(bundle.file, { version: "0", snap: ts.ScriptSnapshot.fromString(bundle.text) });

  const snapshots = shared.files;
  const host: TS.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [GLOBALS, IMPORTS, CELL],
    // Files outside node_modules (the notebook's own .ts modules) may be edited between cells.
    getScriptVersion: (f) => {
      const v = virtual.get(f);
      if (v) return String(v.version);
      if (f.includes("/node_modules/") || f.startsWith(libDir)) return "0";
      try { return String(fs.statSync(f).mtimeMs); } catch { return "0"; }
    },
    // The language service asks for every file's snapshot on every program update: read each version once.
    getScriptSnapshot: (f) => {
      const v = virtual.get(f);
      if (v) return ts.ScriptSnapshot.fromString(v.text);
      const version = host.getScriptVersion(f);
      const hit = snapshots.get(f);
      if (hit?.version === version) return hit.snap;
      const text = ts.sys.readFile(f);
      if (text === undefined) return undefined;
      const snap = ts.ScriptSnapshot.fromString(text);
      snapshots.set(f, { version, snap });
      return snap;
    },
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => virtual.has(f) || ts.sys.fileExists(f),
    readFile: (f) => virtual.get(f)?.text ?? (f === bundle?.file ? bundle.text : ts.sys.readFile(f)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  const resolutionCache = shared.resolution;
  (host as TS.LanguageServiceHost & { getModuleResolutionCache?(): TS.ModuleResolutionCache }).getModuleResolutionCache = () => resolutionCache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((lit) => ts.resolveModuleName(lit.text, containingFile, opts, host as TS.ModuleResolutionHost, resolutionCache, redirected,
      ts.getModeForUsageLocation(containingSourceFile, lit, opts)));
  const ls = ts.createLanguageService(host, shared.registry);

  /** Prelude entries keyed by declared name, in declaration order. */
  const prelude = new Map<string, string>();
  /** Per checked cell: its layout until its declarations are computed, then its prelude entries. */
  const pending = new Map<number, Layout | Map<string, string>>();

  interface Layout {
    text: string;
    cellStart: number;
    /** Cell offsets before which `export ` was inserted, ascending. */
    inserts: number[];
    names: Set<string>;
    sf: TS.SourceFile;
  }

  const WORD = /[A-Za-z_$][\w$]*/g;

  /**
   * The prelude names a text may refer to, closed over the prelude entries themselves. Checking only these keeps
   * a cell's check independent of how much earlier cells declared and imported (an unused `import * as tf`
   * would otherwise be re-resolved for every cell).
   */
  function neededNames(code: string): Set<string> {
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

  function layout(code: string, full = false): Layout {
    const needed = full ? new Set<string>() : neededNames(code);
    const sf = ts.createSourceFile("cell.mts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const names = new Set<string>();
    const inserts: number[] = [];
    let newSpec = false;
    for (const s of sf.statements) {
      for (const n of declaredNames(ts, s)) names.add(n);
      const spec = ts.isImportDeclaration(s) ? s.moduleSpecifier
        : ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) ? s.moduleReference.expression : undefined;
      if (spec && ts.isStringLiteral(spec) && !importedSpecs.has(spec.text)) { importedSpecs.add(spec.text); newSpec = true; }
      const exportable = ts.isVariableStatement(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)
        || ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && !!s.name)
        || (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name));
      const exported = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exportable && !exported) inserts.push(s.getStart(sf));
    }
    if (newSpec) resolutionCache.clear();
    if (newSpec) setVirtual(IMPORTS, [...importedSpecs].map((x) => `import ${JSON.stringify(x)};`).join("\n") + "\nexport {};\n");
    let body = "", last = 0;
    for (const o of inserts) { body += code.slice(last, o) + EXPORT; last = o; }
    body += code.slice(last);
    const head = [...prelude].filter(([n]) => !names.has(n) && (full || needed.has(n))).map(([, t]) => t).join("\n");
    const pre = head ? head + "\n" : "";
    return { text: pre + body + "\nexport {};\n", cellStart: pre.length, inserts, names, sf };
  }

  /** Virtual offset (relative to the cell start) → offset in the cell as the user wrote it. */
  function toCell(l: Layout, v: number): number {
    let shift = 0;
    for (const o of l.inserts) {
      const at = o + shift;
      if (v < at) break;
      if (v < at + EXPORT.length) return o;
      shift += EXPORT.length;
    }
    return v - shift;
  }
  function toVirtual(l: Layout, c: number): number {
    return l.cellStart + c + EXPORT.length * l.inserts.filter((o) => o <= c).length;
  }

  function lineCol(text: string, pos: number): { line: number; col: number } {
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    return { line, col: pos - before.lastIndexOf("\n") };
  }

  function diagnostics(l: Layout, code: string): Diagnostic[] {
    const all = [...ls.getSyntacticDiagnostics(CELL), ...ls.getSemanticDiagnostics(CELL)];
    const out: Diagnostic[] = [];
    for (const d of all) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      if (d.start === undefined || d.start < l.cellStart) continue;
      const start = toCell(l, d.start - l.cellStart);
      const end = toCell(l, d.start - l.cellStart + (d.length ?? 0));
      const { line, col } = lineCol(code, start);
      out.push({ line, col, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), length: Math.max(1, end - start) });
    }
    return out;
  }

  /** Names earlier cells' functions and classes refer to (see `closureNames`). */
  const captured = new Set<string>();

  function transpile(code: string, fileName: string): { js: string; map: string } {
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

  /** Per-binding prelude entries for the cell's imports, straight from its source. */
  function importEntries(l: Layout, into: Map<string, string>): void {
    for (const s of l.sf.statements) {
      if (ts.isImportEqualsDeclaration(s)) { into.set(s.name.text, s.getText(l.sf)); continue; }
      if (!ts.isImportDeclaration(s) || !s.importClause) continue;
      const spec = s.moduleSpecifier.getText(l.sf);
      const attrs = s.attributes ? " " + s.attributes.getText(l.sf) : "";
      const c = s.importClause;
      const type = c.isTypeOnly ? "type " : "";
      if (c.name) into.set(c.name.text, `import ${type}${c.name.text} from ${spec}${attrs};`);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) into.set(nb.name.text, `import ${type}* as ${nb.name.text} from ${spec}${attrs};`);
      else if (nb) for (const e of nb.elements) {
        const t = c.isTypeOnly || e.isTypeOnly ? "type " : "";
        into.set(e.name.text, `import { ${t}${e.propertyName ? e.propertyName.getText(l.sf) + " as " : ""}${e.name.text} } from ${spec}${attrs};`);
      }
    }
  }

  /** Declarations of the cell's own top-level names, from the checked program's declaration emit. */
  function declarationEntries(l: Layout): Map<string, string> {
    const t0 = performance.now();
    const entries = new Map<string, string>();
    setVirtual(CELL, l.text);
    try { declarationsInto(l, entries); } catch (e) { debug(`declarations failed: ${e}`); }
    for (const n of l.names) if (!entries.has(n)) entries.set(n, `declare let ${n}: any;`);
    debug(`declarations ${(performance.now() - t0).toFixed(0)} ms`);
    return entries;
  }

  function declarationsInto(l: Layout, entries: Map<string, string>): void {
    importEntries(l, entries);
    const out = ls.getEmitOutput(CELL, true, true).outputFiles.find((f) => f.name.endsWith(".d.mts"));
    if (out) {
      const dts = ts.createSourceFile("cell.d.mts", out.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const add = (name: string, text: string) => {
        if (!l.names.has(name)) return;
        const prev = entries.get(name);
        entries.set(name, prev && !prev.startsWith("import") ? prev + "\n" + text : text);
      };
      for (const s of dts.statements) {
        const mods = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
        const exp = mods?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (!exp || mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
        const lead = out.text.slice(s.pos, s.getStart(dts)).trim();
        const rest = out.text.slice(exp.end, s.end).trim();
        if (ts.isVariableStatement(s)) {
          const kw = s.declarationList.flags & ts.NodeFlags.Const ? "const" : s.declarationList.flags & ts.NodeFlags.Let ? "let" : "var";
          for (const d of s.declarationList.declarations) {
            if (ts.isIdentifier(d.name)) add(d.name.text, `${lead ? lead + "\n" : ""}declare ${kw} ${d.getText(dts)};`);
          }
        } else {
          for (const n of declaredNames(ts, s)) add(n, (lead ? lead + "\n" : "") + rest);
        }
      }
    }
  }

  const DEBUG = process.env.FOLIO_DEBUG_LOG;
  const debug = (text: string) => { if (DEBUG) fs.appendFileSync(DEBUG, text + "\n"); };

  function compile(id: number, code: string, fileName: string, check: boolean): CompileResult {
    const t0 = performance.now();
    const l = layout(code);
    setVirtual(CELL, l.text);
    let t1 = performance.now(), t2 = t1;
    if (check) {
      const diags = diagnostics(l, code);
      t2 = performance.now();
      if (diags.length) { resolutionCache.clear(); return { ok: false, diagnostics: diags }; }
    }
    const { js, map } = transpile(code, fileName);
    const t3 = performance.now();
    if (check && l.names.size) {
      // Computed after the reply, while the main thread runs the cell (or at commit, whichever comes first).
      pending.set(id, l);
      setImmediate(() => { if (pending.get(id) === l) pending.set(id, declarationEntries(l)); });
    }
    debug(`cell ${id}: layout ${(t1 - t0).toFixed(0)} check ${(t2 - t1).toFixed(0)} transpile ${(t3 - t2).toFixed(0)} ms; prelude ${l.cellStart} chars; files ${ls.getProgram()?.getSourceFiles().length}`);
    return { ok: true, js, map };
  }

  function commit(id: number): void {
    const p = pending.get(id);
    // only this cell and older uncommitted ones (failed or interrupted cells) are settled here
    for (const k of [...pending.keys()]) if (k <= id) pending.delete(k);
    if (!p) return;
    const entries = p instanceof Map ? p : declarationEntries(p);
    for (const [name, text] of entries) { prelude.delete(name); prelude.set(name, text); }
  }

  function complete(code: string, cursor: number): { matches: string[]; start: number; end: number } {
    let start = cursor;
    while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
    let end = cursor;
    while (end < code.length && /[\w$]/.test(code[end])) end++;
    const prefix = code.slice(start, cursor);
    const l = layout(code, true);
    setVirtual(CELL, l.text);
    const info = ls.getCompletionsAtPosition(CELL, toVirtual(l, cursor), { includeCompletionsWithInsertText: false });
    const seen = new Set<string>();
    const entries = (info?.entries ?? [])
      .filter((e) => e.name.startsWith(prefix) && !e.name.startsWith("__folio") && !seen.has(e.name) && seen.add(e.name))
      .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
    return { matches: entries.map((e) => e.name), start, end };
  }

  function inspect(code: string, cursor: number): string | undefined {
    const l = layout(code, true);
    setVirtual(CELL, l.text);
    const at = (c: number) => ls.getQuickInfoAtPosition(CELL, toVirtual(l, c));
    const q = at(cursor) ?? (cursor > 0 ? at(cursor - 1) : undefined);
    if (!q) return undefined;
    const sig = ts.displayPartsToString(q.displayParts);
    const doc = ts.displayPartsToString(q.documentation);
    const tags = (q.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`.trim()).join("\n");
    return [sig, doc, tags].filter(Boolean).join("\n\n");
  }

  function isComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } {
    if (!code.trim()) return { status: "complete" };
    const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
    const open: TS.SyntaxKind[] = [];
    let unterminated = false;
    const O = ts.SyntaxKind;
    let prev: TS.SyntaxKind = O.Unknown;
    const endsExpression = (t: TS.SyntaxKind) => t === O.Identifier || t === O.NumericLiteral || t === O.StringLiteral || t === O.CloseParenToken
      || t === O.CloseBracketToken || t === O.CloseBraceToken || t === O.ThisKeyword || t === O.TemplateTail || t === O.NoSubstitutionTemplateLiteral
      || t === O.PlusPlusToken || t === O.MinusMinusToken || t === O.RegularExpressionLiteral || t === O.BigIntLiteral;
    for (let k = scanner.scan(); k !== O.EndOfFileToken; k = scanner.scan()) {
      if (k === O.CloseBraceToken && open[open.length - 1] === O.TemplateHead) {
        k = scanner.reScanTemplateToken(false);
        if (k === O.TemplateTail) open.pop();
      } else if (k === O.OpenBraceToken || k === O.OpenParenToken || k === O.OpenBracketToken || k === O.TemplateHead) open.push(k);
      else if (k === O.CloseBraceToken || k === O.CloseParenToken || k === O.CloseBracketToken) {
        const want = k === O.CloseBraceToken ? O.OpenBraceToken : k === O.CloseParenToken ? O.OpenParenToken : O.OpenBracketToken;
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
    const r = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    const errs = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (!errs.length) return { status: "complete" };
    const trimmed = code.trimEnd().length;
    return errs.every((d) => (d.start ?? 0) >= trimmed) ? { status: "incomplete", indent: "" } : { status: "invalid" };
  }

  function handle(req: LanguageRequest): LanguageResponse["result"] {
    switch (req.kind) {
      case "compile": return compile(req.id, req.code, req.fileName, req.check);
      case "commit": commit(req.id); return null;
      case "complete": return complete(req.code, req.cursor);
      case "inspect": return inspect(req.code, req.cursor) ?? null;
      case "isComplete": return isComplete(req.code);
      case "warm": {
        const t = Date.now();
        // Each round checks, transpiles and emits declarations for a small cell: V8 compiles the checker's hot
        // paths during the first rounds, so later rounds (and the user's first cells) take a fraction of the first.
        for (let i = 0; i < Math.max(1, req.rounds ?? 1); i++) {
          compile(-1, `const __folio_warm${i}: number = ${i};\n__folio_warm${i} + 1\n`, "warm.ts", true);
          const p = pending.get(-1);
          pending.delete(-1); // never touch real cells' pending declarations: warm may run between a compile and its commit
          if (p && !(p instanceof Map)) declarationEntries(p);
        }
        const warmMs = Date.now() - t;
        if (init.afterWarm) setImmediate(init.afterWarm);
        return { loadMs: t - t0, warmMs };
      }
    }
  }

  return handle;
}

/** Answers requests arriving on `port` (a worker's parentPort or a child process's IPC channel), in order. */
export function serve(handle: (req: LanguageRequest) => LanguageResponse["result"], port: { on(e: "message", f: (req: LanguageRequest) => void): unknown }, post: (res: LanguageResponse) => void): void {
  port.on("message", (req: LanguageRequest) => {
    let res: LanguageResponse;
    try { res = { seq: req.seq, result: handle(req) }; } catch (e) { res = { seq: req.seq, error: String((e as Error)?.stack ?? e) }; }
    post(res);
  });
}
