/**
 * A notebook run's dependencies as fingerprints the cache can re-check: what the Folio kernel reported it loaded
 * and read (the `DependencyReport` of @folio/protocol/dependencies in execute_reply metadata), the files the cells
 * and those modules import even when only for types (found by scanning their import statements, since the
 * type checker reads them without loading them), or, for a kernel that reports nothing, every file of the
 * notebook's folder. A package stands in with its package.json (its version).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageFolder, parseDependencyReport } from "@folio/protocol/dependencies";

/** How a dependency is fingerprinted: a file's bytes, a folder's entry names, a probed path's kind, a package's manifest. */
export type DepKind = "file" | "dir" | "probe" | "package";
export interface Dep {
  kind: DepKind;
  path: string;
  hash: string;
}

const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

/** Fingerprints one dependency as it is now on disk. */
export function fingerprint(kind: DepKind, p: string): string {
  try {
    switch (kind) {
      case "file":
        return sha(fs.readFileSync(p));
      case "package":
        return sha(fs.readFileSync(path.join(p, "package.json")));
      case "dir":
        return sha(fs.readdirSync(p).sort().join("\n"));
      case "probe": {
        const st = fs.statSync(p);
        return st.isDirectory() ? "dir" : `file ${st.size}`;
      }
    }
  } catch {
    return "missing";
  }
}

/** True when every dependency still has the fingerprint it had. */
export function depsUnchanged(deps: Dep[]): boolean {
  return deps.every((d) => fingerprint(d.kind, d.path) === d.hash);
}

const packageOf = (file: string) => packageFolder(file, path.sep);

const SOURCE = /\.(c|m)?(t|j)sx?$/;
// import … from "x", export … from "x", import "x", import("x"), require("x")
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;
const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", "/index.ts", "/index.js"];

/** Where `spec` imported from `fromDir` resolves to, or undefined (a builtin, or not resolvable). */
function resolveSpecifier(spec: string, fromDir: string): string | undefined {
  if (spec.startsWith("node:")) return undefined;
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const base = path.resolve(fromDir, spec);
    for (const ext of EXTENSIONS) {
      const p = base + ext;
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* next */
      }
    }
    return undefined;
  }
  try {
    const r = createRequire(path.join(fromDir, "__folio_scan__.js")).resolve(spec);
    return path.isAbsolute(r) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Collects fingerprinted dependencies, each path once. */
export class DepSet {
  private readonly deps = new Map<string, Dep>();
  private readonly scanned = new Set<string>();

  /** `exclude`: folders (real paths) whose files are never listed, such as the kernel's own packages, keyed otherwise. */
  constructor(private readonly exclude: readonly string[] = []) {}

  private excluded(real: string): boolean {
    return this.exclude.some((d) => real === d || real.startsWith(d + path.sep));
  }

  add(kind: DepKind, p: string): void {
    const real = (() => {
      try {
        return fs.realpathSync(p);
      } catch {
        return path.resolve(p);
      }
    })();
    if (this.excluded(real)) return;
    const pkg = kind === "file" || kind === "probe" ? packageOf(real) : undefined;
    if (pkg) {
      this.add("package", pkg);
      return;
    }
    const k = `${kind}\0${real}`;
    if (!this.deps.has(k)) this.deps.set(k, { kind, path: real, hash: fingerprint(kind, real) });
  }

  /** What the Folio kernel reported in one execute_reply's metadata; false when it reported nothing. */
  addReport(metadata: Record<string, unknown> | undefined): boolean {
    const r = parseDependencyReport(metadata);
    if (!r) return false;
    for (const p of r.loaded) {
      this.add("file", p);
      this.scanFile(p);
    }
    for (const p of r.packages) this.add("package", p);
    for (const p of r.read) this.add("file", p);
    for (const p of r.listed) this.add("dir", p);
    for (const p of r.probed) this.add("probe", p);
    return true;
  }

  /** The local files `source` (in `dir`) imports, and what they import in turn; packages by their manifest. */
  scanSource(source: string, dir: string): void {
    for (const m of source.matchAll(SPECIFIERS)) {
      const target = resolveSpecifier(m[2], dir);
      if (!target) continue;
      this.add("file", target); // a package's file stands in as the package
      this.scanFile(target);
    }
  }

  private scanFile(file: string): void {
    const real = (() => {
      try {
        return fs.realpathSync(file);
      } catch {
        return file;
      }
    })();
    if (
      this.scanned.has(real)
      || !SOURCE.test(real)
      || packageOf(real)
      || this.excluded(real)
      || this.scanned.size > 5000
    )
      return;
    this.scanned.add(real);
    let text: string;
    try {
      text = fs.readFileSync(real, "utf8");
    } catch {
      return;
    }
    this.scanSource(text, path.dirname(real));
  }

  /**
   * Every file below `dir` (dot folders, node_modules and __pycache__ skipped), except `except`; false when the
   * folder is too large to fingerprint on every run (more than `maxFiles` files or `maxBytes` bytes).
   */
  addFolder(dir: string, except: string[], maxFiles = 5000, maxBytes = 256 << 20): boolean {
    const skip = new Set(except.map((e) => path.resolve(e)));
    let files = 0,
      bytes = 0;
    const walk = (d: string): boolean => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        return true;
      }
      this.add("dir", d);
      for (const e of entries) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (!e.name.startsWith(".") && e.name !== "node_modules" && e.name !== "__pycache__" && !walk(p))
            return false;
          continue;
        }
        if (!e.isFile() || skip.has(path.resolve(p))) continue;
        if (++files > maxFiles) return false;
        try {
          bytes += fs.statSync(p).size;
        } catch {
          /* gone */
        }
        if (bytes > maxBytes) return false;
        this.add("file", p);
      }
      return true;
    };
    return walk(dir);
  }

  list(): Dep[] {
    return [...this.deps.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : 1,
    );
  }
}

/** sha256 over a list of files' relative names and bytes (the runner's and the kernel's own code). */
export function treeHash(files: string[], base: string): string {
  const h = createHash("sha256");
  for (const f of files) {
    h.update(path.relative(base, f)).update("\0");
    try {
      h.update(fs.readFileSync(f));
    } catch {
      h.update("<missing>");
    }
    h.update("\0");
  }
  return h.digest("hex");
}

/** The code files below `dir` (sorted; source maps, declarations and snapshot blobs left out: they follow from the code). */
export function codeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (/\.(js|cjs|mjs|ts|json)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
