/**
 * The kernel's module graph of local code, and reloading it when it changes (what IPython's `%autoreload 2`
 * does, for TypeScript).
 *
 * Local modules are those the cells loaded (through `require`, which is how `__folio_import` loads `.ts`, `.js`
 * and CommonJS files) whose real path is outside every `node_modules`: a notebook's relative imports and the
 * workspace packages (`@folio/lib/...` resolves through a symlink to `lib/`). Before a cell runs, a local file
 * whose modification time or size changed since it was loaded is dropped from the require cache together with
 * every local module that imports it (directly or not), and all of them are loaded again, so the cell's imports
 * get the new code. Values earlier cells imported from a reloaded module (functions, classes, objects: anything
 * with an identity) are rebound on `globalThis` to the new module's export of the same name; every other
 * variable keeps its value. The type checker reads files by modification time, so it sees the new declarations.
 *
 * What is not reloaded: packages in node_modules, the kernel's own files, ES modules loaded with `import()`
 * (Node cannot evict them), and values made by the old code (an instance of an old class keeps the old class
 * and its methods; a closure keeps the old function): re-run the cell that made them.
 */
import { realpathSync, statSync } from "node:fs";
import * as path from "node:path";

interface Loaded {
  mtimeMs: number;
  size: number;
}
type CachedModule = NodeJS.Module;

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** The real folder of @folio/protocol (its entry is dist/index.js), if it resolves. */
function protocolDir(): string[] {
  try {
    return [realpathSync(path.resolve(path.dirname(require.resolve("@folio/protocol")), ".."))];
  } catch {
    return [];
  }
}

export class ModuleGraph {
  private readonly loaded = new Map<string, Loaded>();

  /**
   * `exclude`: directories whose files are never reloaded: the kernel's own package and @folio/protocol, which it
   * loads itself (in a checkout both are workspace folders outside node_modules, and would be stat'ed before
   * every cell).
   */
  constructor(private readonly exclude: readonly string[] = [path.resolve(__dirname, "..", ".."), ...protocolDir()]) {}

  /** Is this a file of the notebook's own code (not a package, not the kernel)? */
  isLocal(file: string): boolean {
    return (
      path.isAbsolute(file)
      && !file.includes(NODE_MODULES)
      && !this.exclude.some((d) => file === d || file.startsWith(d + path.sep))
    );
  }

  /** Records the local modules now in the require cache (after a cell ran): their size and modification time. */
  scan(cache: NodeJS.Dict<CachedModule> = require.cache): void {
    for (const file of Object.keys(cache)) {
      if (this.loaded.has(file) || !this.isLocal(file)) continue;
      const st = stat(file);
      if (st) this.loaded.set(file, st);
    }
  }

  /** Every local file the cells have loaded so far, sorted (what a cache of the notebook's results depends on). */
  files(): string[] {
    return [...this.loaded.keys()].sort();
  }

  /** Local files changed on disk since they were loaded. */
  changed(): string[] {
    return [...this.loaded]
      .filter(([f, was]) => {
        const now = stat(f);
        return !now || now.mtimeMs !== was.mtimeMs || now.size !== was.size;
      })
      .map(([f]) => f);
  }

  /** `files` and every local module that imports one of them, directly or through others. */
  withImporters(files: readonly string[], cache: NodeJS.Dict<CachedModule> = require.cache): string[] {
    const importers = new Map<string, Set<string>>();
    for (const [file, m] of Object.entries(cache)) {
      if (!m || !this.isLocal(file)) continue;
      for (const c of m.children ?? []) {
        if (!importers.has(c.id)) importers.set(c.id, new Set());
        importers.get(c.id)!.add(file);
      }
    }
    const out = new Set<string>(files);
    const todo = [...files];
    while (todo.length)
      for (const up of importers.get(todo.pop()!) ?? [])
        if (!out.has(up)) {
          out.add(up);
          todo.push(up);
        }
    return [...out];
  }

  /**
   * Reloads changed local modules and their importers, then rebinds the globals that held their old exports.
   * Returns what was reloaded and, per file that failed to load again (a syntax error mid-edit), the error; such
   * a file keeps its old code (and stays marked changed, so the next cell tries again).
   */
  reloadChanged(
    cache: NodeJS.Dict<CachedModule> = require.cache,
    scope: Record<string, unknown> = globalThis as Record<string, unknown>,
  ): { reloaded: string[]; failed: { file: string; error: unknown }[] } {
    const stale = this.changed();
    if (!stale.length) return { reloaded: [], failed: [] };
    const group = this.withImporters(stale, cache).filter((f) => cache[f]);
    const old = new Map(group.map((f) => [f, cache[f]!] as const));
    for (const f of group) {
      delete cache[f];
      this.loaded.delete(f);
    }
    for (const m of Object.values(cache)) if (m?.children) m.children = m.children.filter((c) => !old.has(c.id));
    const reloaded: string[] = [],
      failed: { file: string; error: unknown }[] = [];
    for (const f of group) {
      if (cache[f]) {
        reloaded.push(f);
        continue;
      } // loaded again as another one's dependency
      try {
        require(f);
        reloaded.push(f);
      } catch (error) {
        failed.push({ file: f, error });
      }
    }
    for (const { file } of failed) {
      // the old module stays, and stays marked as changed
      const prev = old.get(file)!;
      cache[file] = prev;
      this.loaded.set(file, { mtimeMs: -1, size: -1 });
    }
    const renamed = new Map<unknown, unknown>();
    for (const f of reloaded) {
      const before = old.get(f)?.exports,
        after = cache[f]?.exports;
      if (before === undefined || after === undefined) continue;
      renamed.set(before, after);
      if (isObject(before) && isObject(after)) {
        for (const k of Object.keys(before)) {
          const v = (before as Record<string, unknown>)[k];
          if (isObject(v) && k in (after as object)) renamed.set(v, (after as Record<string, unknown>)[k]);
        }
      }
    }
    rebind(scope, renamed);
    this.scan(cache);
    return { reloaded, failed };
  }
}

const isObject = (v: unknown): v is object => (typeof v === "object" && v !== null) || typeof v === "function";

/**
 * Points globals at the new exports: a global that is an old export becomes the new one; a namespace earlier
 * cells imported (`import * as h`, an object whose prototype or `default` is the old module) gets the new one.
 */
function rebind(scope: Record<string, unknown>, renamed: Map<unknown, unknown>): void {
  if (!renamed.size) return;
  for (const k of Object.keys(scope)) {
    const v = scope[k];
    if (!isObject(v)) continue;
    const now = renamed.get(v);
    if (now !== undefined) {
      scope[k] = now;
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    const next = renamed.get(proto);
    if (next !== undefined && isObject(next)) {
      Object.setPrototypeOf(v, next);
      const d = Object.getOwnPropertyDescriptor(v, "default");
      if (d && "value" in d && renamed.has(d.value))
        Object.defineProperty(v, "default", { ...d, value: renamed.get(d.value) });
    }
  }
}

function stat(file: string): Loaded | undefined {
  try {
    const s = statSync(file);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return undefined;
  }
}

/** The kernel's graph (one per process: there is one require cache). */
export const modules = new ModuleGraph();

/** Every local file (notebook modules, workspace packages) the kernel's cells have loaded so far. */
export function loadedLocalFiles(): string[] {
  return modules.files();
}
