/**
 * The TypeScript language service a notebook's cells are checked with: compiler options, the state shared across
 * notebook directories (document registry, file texts, module resolution cache, declaration bundle), and a
 * service host over three virtual files in the notebook directory:
 *   `__folio_globals__.d.ts` (the kernel's globals: display, progress, ...),
 *   `__folio_imports__.mts` (every module any cell imported, so the program's file set stays stable),
 *   `__folio_cell__.mts` (the cell being checked, after its prelude; see `cell-layout.ts`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";
import { bundleDeclarations, type DeclarationBundle } from "./declarations";

/**
 * The compiler options every cell is checked with: strict, ES2023 without the DOM, and modules as the kernel
 * loads them. The kernel's loader is CommonJS-first with esModuleInterop semantics (`imports.ts`: a default import
 * is `exports.default` of an `__esModule` package, else `module.exports`), as tsx and bundlers do; TypeScript's
 * `preserve` + `bundler` modes describe exactly that, where `node16` would model Node's own ESM loader and call
 * `new Decimal(1)` after `import Decimal from "decimal.js"` not constructable. The `node` export condition is
 * added because cells run in Node.
 */
export function compilerOptions(ts: typeof TS, typeRoots: string[] | undefined): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    // No DOM: its 1.3 MB of declarations double the first check, and cells run in Node (FOLIO_TS_DOM=1 adds it).
    lib: process.env.FOLIO_TS_DOM === "1" ? ["lib.es2023.d.ts", "lib.dom.d.ts"] : ["lib.es2023.d.ts"],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["node"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    // A checked cell's JavaScript comes from this program's emit (`cell-emit.ts`); `allowImportingTsExtensions`
    // wants `emitDeclarationOnly` or `noEmit`, but that is an option diagnostic, which cells never report.
    noEmit: false,
    sourceMap: true,
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
   * One module resolution cache for the whole session (the default is one per program, and every program
   * update would re-read package.json files to classify ~800 declaration files). Cleared when a cell fails to
   * check, so a file created since is found when it is run again. Not when a new module is imported (a name
   * never looked up is not in it): TypeScript 5.9 looks up again, on every rebuild of the program, each bare
   * name that resolves to an ambient module of another file (`url`, `buffer`, ... in undici-types: 62 names),
   * and without the cache each one walks the node_modules folders (5-10 ms of a first import).
   */
  resolution: TS.ModuleResolutionCache;
  /** The same for the `types`-field fallback (see `typesFallback`). */
  fallback: TS.ModuleResolutionCache;
  /** The lib and @types/node declarations as one file (see `declarations.ts`); `options.noLib` is set with it. */
  bundle: DeclarationBundle | undefined;
  options: TS.CompilerOptions;
}

/** A fresh `Shared` for these type roots (FOLIO_TS_BUNDLE=0 keeps the declaration files separate). */
export function newShared(ts: typeof TS, typeRoots: string[] | undefined): Shared {
  const base = compilerOptions(ts, typeRoots);
  const bundle =
    process.env.FOLIO_TS_BUNDLE === "0" ? undefined : bundleDeclarations(ts, base, typeRoots?.[0] ?? process.cwd());
  const options = bundle ? { ...base, noLib: true } : base;
  return {
    registry: ts.createDocumentRegistry(),
    files: new Map(),
    bundle,
    options,
    resolution: ts.createModuleResolutionCache("/", (x) => x, options),
    fallback: ts.createModuleResolutionCache("/", (x) => x, fallbackOptions(ts, options)),
  };
}

const fallbackOptions = (ts: typeof TS, o: TS.CompilerOptions): TS.CompilerOptions => ({
  ...o,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  module: ts.ModuleKind.CommonJS,
});

/**
 * A package whose `exports` map leads only to JavaScript while its `types` field names declarations (mathjs 9:
 * "There are types at …, but this result could not be resolved when respecting package.json exports"):
 * resolved again the way Node 10 did, by `types`/`typings` and `main`, and the declarations used if found.
 */
function typesFallback(
  ts: typeof TS,
  r: TS.ResolvedModuleWithFailedLookupLocations,
  resolve: () => TS.ResolvedModuleWithFailedLookupLocations,
): TS.ResolvedModuleWithFailedLookupLocations {
  const m = r.resolvedModule;
  if (
    !m?.isExternalLibraryImport
    || m.extension === ts.Extension.Dts
    || m.extension === ts.Extension.Dmts
    || m.extension === ts.Extension.Dcts
    || m.extension === ts.Extension.Json
  )
    return r;
  const f = resolve();
  const e = f.resolvedModule?.extension;
  return e === ts.Extension.Dts || e === ts.Extension.Dmts || e === ts.Extension.Dcts ? f : r;
}

export interface CellHost {
  ls: TS.LanguageService;
  /** The virtual file a cell is checked as. */
  readonly cell: string;
  /** The virtual file importing every module any cell imported. */
  readonly importsFile: string;
  /** True when a cell already imported `spec`. */
  imported(spec: string): boolean;
  setVirtual(file: string, text: string): void;
  /** Adds module specifiers to the imports file; true when one was new. */
  addImports(specs: readonly string[]): boolean;
  /** The specifiers added so far, in order. */
  imports(): string[];
  /** Forgets cached module resolutions (a file created since may now be found). */
  clearResolutions(): void;
  /**
   * Until `performance.now()` passes `deadline` (0: never), the service runs; after it, TypeScript throws
   * `OperationCanceledException` where it checks for cancellation (editor requests only: a check must finish).
   */
  deadline: number;
}

export function createCellHost(ts: typeof TS, shared: Shared, dir: string, globalsDts: string): CellHost {
  const { options, bundle } = shared;
  const CELL = path.join(dir, "__folio_cell__.mts");
  const GLOBALS = path.join(dir, "__folio_globals__.d.ts");
  /**
   * Every module any cell imported, as side-effect imports in a root file that is never checked: it keeps the
   * program's set of files stable from cell to cell (a cell that does not mention `tf` must not drop tfjs from
   * the program, only for the next cell to re-resolve 400 declaration files).
   */
  const IMPORTS = path.join(dir, "__folio_imports__.mts");
  const importedSpecs = new Set<string>();

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
      try {
        return String(fs.statSync(f).mtimeMs);
      } catch {
        return "0";
      }
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
  const fallback = fallbackOptions(ts, options);
  (
    host as TS.LanguageServiceHost & { getModuleResolutionCache?(): TS.ModuleResolutionCache }
  ).getModuleResolutionCache = () => resolutionCache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((lit) =>
      typesFallback(
        ts,
        ts.resolveModuleName(
          lit.text,
          containingFile,
          opts,
          host as TS.ModuleResolutionHost,
          resolutionCache,
          redirected,
          ts.getModeForUsageLocation(containingSourceFile, lit, opts),
        ),
        () =>
          ts.resolveModuleName(
            lit.text,
            containingFile,
            fallback,
            host as TS.ModuleResolutionHost,
            shared.fallback,
            redirected,
          ),
      ),
    );
  const cancel = { deadline: 0 };
  host.getCancellationToken = () => ({
    isCancellationRequested: () => cancel.deadline > 0 && performance.now() > cancel.deadline,
  });
  const ls = ts.createLanguageService(host, shared.registry);

  return {
    ls,
    get deadline() {
      return cancel.deadline;
    },
    set deadline(d: number) {
      cancel.deadline = d;
    },
    imports: () => [...importedSpecs],
    cell: CELL,
    importsFile: IMPORTS,
    imported: (spec) => importedSpecs.has(spec),
    setVirtual,
    addImports(specs) {
      let fresh = false;
      for (const s of specs)
        if (!importedSpecs.has(s)) {
          importedSpecs.add(s);
          fresh = true;
        }
      if (!fresh) return false;
      setVirtual(IMPORTS, `${[...importedSpecs].map((x) => `import ${JSON.stringify(x)};`).join("\n")}\nexport {};\n`);
      return true;
    },
    clearResolutions: () => {
      resolutionCache.clear();
      shared.fallback.clear();
    },
  };
}
