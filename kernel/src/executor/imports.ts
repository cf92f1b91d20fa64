/**
 * `__folio_import(spec)`: imports as seen from the notebook's directory. CommonJS packages, JSON and local `.ts`
 * files (through tsx's require hook, registered on first use) are `require`d; ES-only modules fall back to a
 * real dynamic `import()`. The result is shaped like an ES namespace: a CommonJS module becomes
 * `{ default: module.exports, ...module.exports }`, or `{ default: exports.default, ... }` when it was compiled
 * from ES modules (`__esModule`), as tsx, TypeScript's esModuleInterop and bundlers do; the type checker's
 * `bundler` resolution assumes the same (`language-host.ts`).
 *
 * `import.meta` in a cell is `importMeta(dir)`: url, filename and dirname of the notebook's directory, and
 * `resolve` from there.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

// Kept out of tsc's reach: compiled to CommonJS, a literal import() would become require().
const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<Record<string, unknown>>;

let tsxRegistered = false;
function registerTsx(): void {
  if (tsxRegistered) return;
  tsxRegistered = true;
  try {
    const api = require("tsx/cjs/api") as { register: () => unknown };
    api.register();
  } catch (e) {
    process.emitWarning(`folio: tsx unavailable, .ts imports will fail (${(e as Error).message})`);
  }
}

const needsTsx = (file: string) => /\.(c|m)?tsx?$/.test(file);

const typeCache = new Map<string, boolean>();
/** Is this file an ES module by Node's rules (extension, else the nearest package.json's "type")? */
function isEsmFile(file: string): boolean {
  if (/\.m[jt]s$/.test(file)) return true;
  if (/\.c[jt]s$/.test(file)) return false;
  const seen: string[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    let esm = typeCache.get(dir);
    if (esm === undefined) {
      try {
        esm = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { type?: string }).type === "module";
      } catch {
        esm = undefined;
      }
    }
    if (esm !== undefined || path.dirname(dir) === dir) {
      for (const d of seen) typeCache.set(d, !!esm);
      typeCache.set(dir, !!esm);
      return !!esm;
    }
    seen.push(dir);
  }
}

function namespaceOf(mod: unknown, file: string): Record<string, unknown> {
  // require(esm) (Node >= 20.19) returns the module namespace itself; tsx's hook returns ESM transpiled to CJS.
  if (
    typeof mod === "object"
    && mod !== null
    && ((mod as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "Module" || isEsmFile(file))
  )
    return mod as Record<string, unknown>;
  if ((typeof mod === "object" && mod !== null) || typeof mod === "function") {
    const esModule = (mod as { __esModule?: unknown }).__esModule === true && "default" in (mod as object);
    return Object.create(mod as object, {
      default: { value: esModule ? (mod as { default: unknown }).default : mod, enumerable: true },
    });
  }
  return { default: mod };
}

export function makeImporter(dir: string): (spec: string, raw?: boolean) => Promise<unknown> {
  const req = createRequire(path.join(dir, "__folio_notebook__.js"));
  return async (spec: string, raw = false) => {
    let resolved: string;
    try {
      resolved = req.resolve(spec);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (
        !tsxRegistered
        && code === "MODULE_NOT_FOUND"
        && (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("@folio/"))
      ) {
        registerTsx();
        resolved = req.resolve(spec);
      } else if (code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        return esmImport(spec, dir);
      } else throw e;
    }
    if (needsTsx(resolved)) registerTsx();
    if (resolved.startsWith("node:") || !path.isAbsolute(resolved)) {
      const m = req(resolved);
      return raw ? m : namespaceOf(m, resolved);
    }
    try {
      const m = req(resolved);
      return raw ? m : namespaceOf(m, resolved);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ERR_REQUIRE_ESM") throw e;
      return dynamicImport(pathToFileURL(resolved).href);
    }
  };
}

/** An ES-only package whose exports have no `require` condition: resolve as ESM does, from the notebook dir. */
async function esmImport(spec: string, dir: string): Promise<unknown> {
  registerTsx();
  const { tsImport } = require("tsx/esm/api") as { tsImport: (s: string, parent: string) => Promise<unknown> };
  return tsImport(spec, pathToFileURL(path.join(dir, "__folio_notebook__.mjs")).href);
}

export interface ImportMeta {
  url: string;
  filename: string;
  dirname: string;
  resolve(spec: string): string;
}

/**
 * What `import.meta` is in a cell of a notebook in `dir`, whose file is `file` (a name in `dir`). `resolve`
 * follows the kernel's own imports: a relative path or URL against the directory, a package through its
 * `require` resolution, a built-in as `node:name`.
 */
export function importMeta(dir: string, file: string): ImportMeta {
  const req = createRequire(file);
  const url = pathToFileURL(file).href;
  return {
    url,
    filename: file,
    dirname: dir,
    resolve(spec: string): string {
      if (/^(\.{0,2}\/|file:)/.test(spec)) return new URL(spec, url).href;
      if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !spec.startsWith("node:")) return spec;
      const r = req.resolve(spec);
      return path.isAbsolute(r) ? pathToFileURL(r).href : r.startsWith("node:") ? r : `node:${r}`;
    },
  };
}
