/**
 * A cell checked by the checker of the program the language service already has, instead of a new program and
 * checker per cell (issue 16: a trivial cell's check took ~2.3 ms, of which building the program took ~0.9 and
 * the checker ~0.6; checked this way it takes ~0.5-0.7 ms in-process, the emit included).
 *
 * Why this is sound: a cell's layout (`cell-layout.ts`) is one module holding everything it may refer to (the
 * prelude of earlier cells' declarations, then the cell), so the only thing it takes from the rest of the program
 * is the global scope and the modules it imports. The global scope is fixed for a program; its modules are the
 * ones `__folio_imports__.mts` imports (every module any cell imported), whose resolutions the cell's file borrows.
 * What a module can do to the rest of the program, a module augmentation (`declare module "x"`, `declare global`,
 * `export as namespace`) or a reference directive, sends the cell to a program of its own.
 *
 * Only a clean check is kept: a cell with any diagnostic is checked again in a program of its own, so every
 * message a user sees comes from a fresh checker, independent of what was checked before (a long-lived checker
 * prints a union's members in the order their types were first created); for the same reason the declarations
 * later cells see come from the cell's own program (`declarationEntries`, language-server.ts, after the reply;
 * the 14 notebooks: identical entries and results either way). The checker keeps what it learnt
 * about each cell (its types, symbols and AST stay reachable from its caches), so a program serves at most
 * `MAX_USES` cells before the next cell gets a program of its own again (`FOLIO_REUSE_CHECKER=0`: never reuse).
 */
import type * as TS from "typescript";
import type { Layout } from "./cell-layout";

/** Cells one program's checker serves (~45 kB each stays reachable from its caches). */
const MAX_USES = 128;

/** A cell checked clean by a reused checker: `program` emits `sf` (which is not one of its files). */
export interface Reused {
  program: TS.Program;
  sf: TS.SourceFile;
  /** Runs `f` while `sf` borrows the resolutions of the imports file (its check and its emit need them). */
  withResolutions<T>(f: () => T): T;
}

/** Internal parts of TypeScript this relies on (present in 5.x; missing ones turn reuse off). */
interface Internals {
  bindSourceFile?(sf: TS.SourceFile, options: TS.CompilerOptions): void;
  getSetExternalModuleIndicator?(options: TS.CompilerOptions): (sf: TS.SourceFile) => void;
  isAnyImportOrReExport?(node: TS.Node): boolean;
  getExternalModuleName?(node: TS.Node): TS.Expression | undefined;
  forEachDynamicImportOrRequireCall?(
    sf: TS.SourceFile,
    includeTypeSpaceImports: boolean,
    requireStringLiteralLikeArgument: boolean,
    cb: (node: TS.Node, specifier: TS.StringLiteralLike) => void,
  ): void;
}
/** TypeScript's NodeFlags.PossiblyContainsDynamicImport (internal). */
const POSSIBLY_DYNAMIC_IMPORT = 1 << 22;
type Resolutions = Map<string, unknown>;
type WithResolved = TS.Program & { resolvedModules?: Map<string, Resolutions> };
type Pathed = TS.SourceFile & {
  path: string;
  resolvedPath: string;
  originalFileName: string;
  imports: readonly TS.StringLiteralLike[];
  moduleAugmentations: readonly TS.Node[];
  ambientModuleNames: readonly string[];
};

/**
 * What a program records of each of its files' module references (its `collectExternalModuleReferences`, for a
 * module without augmentations): the declaration emitter reads `imports` when it writes a specifier such as
 * `import("@folio/lib/rng").Rng` for a type the cell never named.
 */
function collectImports(ts: typeof TS, internals: Required<Internals>, sf: Pathed): void {
  const imports: TS.StringLiteralLike[] = [];
  for (const node of sf.statements)
    if (internals.isAnyImportOrReExport(node)) {
      const name = internals.getExternalModuleName(node);
      if (name && ts.isStringLiteral(name) && name.text) imports.push(name);
    }
  if (sf.flags & POSSIBLY_DYNAMIC_IMPORT)
    internals.forEachDynamicImportOrRequireCall(sf, true, true, (_node, specifier) => {
      imports.push(specifier);
    });
  sf.imports = imports;
  sf.moduleAugmentations = [];
  sf.ambientModuleNames = [];
}

/** A top-level statement that changes other files' view of the program: such a file cannot borrow a checker. */
export function augments(ts: typeof TS, sf: TS.SourceFile): boolean {
  if (sf.referencedFiles.length || sf.typeReferenceDirectives.length || sf.libReferenceDirectives.length) return true;
  return sf.statements.some(
    (s) =>
      ts.isNamespaceExportDeclaration(s)
      || (ts.isModuleDeclaration(s)
        && (ts.isStringLiteral(s.name) || (s.flags & ts.NodeFlags.GlobalAugmentation) !== 0)),
  );
}

/** Checks cells by the checker of the program `program()` returns (the language service's current one). */
export function createCheckerReuse(
  ts: typeof TS,
  files: { dir: string; cell: string; imports: string },
  program: () => TS.Program | undefined,
) {
  const internals = ts as unknown as Internals;
  const { bindSourceFile, getSetExternalModuleIndicator } = internals;
  const enabled =
    process.env.FOLIO_REUSE_CHECKER !== "0"
    && !!bindSourceFile
    && !!getSetExternalModuleIndicator
    && !!internals.isAnyImportOrReExport
    && !!internals.getExternalModuleName
    && !!internals.forEachDynamicImportOrRequireCall;
  let base: TS.Program | undefined;
  let uses = 0;
  let n = 0;
  const stats = { reused: 0, declined: 0 };

  /**
   * The cell `l` checked by the current program's checker, or undefined when it must be checked in a program of
   * its own: reuse off, a new import, the program used up, an augmentation, or any diagnostic at all.
   */
  function check(l: Layout, known: (spec: string) => boolean): Reused | undefined {
    if (!enabled || !l.specs.every(known)) return decline();
    const p = program() as WithResolved | undefined;
    if (!p) return decline();
    if (p !== base) {
      base = p;
      uses = 0;
    }
    const cellSf = p.getSourceFile(files.cell);
    const importsSf = p.getSourceFile(files.imports) as Pathed | undefined;
    const resolved = importsSf && p.resolvedModules;
    if (!cellSf || !importsSf || !resolved || augments(ts, cellSf) || ++uses > MAX_USES) return decline();
    const options = p.getCompilerOptions();
    const name = `${files.dir}/__folio_cell_${++n}__.mts`;
    const sf = ts.createSourceFile(
      name,
      l.text,
      {
        languageVersion: options.target ?? ts.ScriptTarget.ES2022,
        impliedNodeFormat: ts.ModuleKind.ESNext,
        setExternalModuleIndicator: getSetExternalModuleIndicator!(options),
      },
      true,
      ts.ScriptKind.TS,
    ) as Pathed;
    sf.path = sf.resolvedPath = sf.originalFileName = name;
    if ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length || augments(ts, sf))
      return decline();
    collectImports(ts, internals as Required<Internals>, sf);
    bindSourceFile!(sf, options);
    const withResolutions = <T>(f: () => T): T => {
      const r = resolved.get(importsSf.path);
      if (r) resolved.set(sf.path, r);
      try {
        return f();
      } finally {
        resolved.delete(sf.path);
      }
    };
    if (withResolutions(() => p.getSemanticDiagnostics(sf)).length) return decline();
    stats.reused++;
    return { program: p, sf, withResolutions };
  }

  function decline(): undefined {
    stats.declined++;
    return undefined;
  }

  return { check, stats };
}
