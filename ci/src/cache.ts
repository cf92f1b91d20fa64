/**
 * The run cache (`.folio-cache/`): a notebook that passed is skipped while nothing it depends on changed.
 * The key hashes the notebook's bytes, every file under lib/, package-lock.json, the built kernel, the
 * runner's config and the mode, so any edit to the code a notebook runs invalidates it.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./files";
import type { NotebookResult } from "./types";

function listFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name === "node_modules" || e.name === ".git") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out); else if (e.isFile()) out.push(p);
  }
  return out;
}

/** sha256 over the files every notebook depends on (computed once per run). */
export function dependencyHash(root: string, extra: string[] = []): string {
  const h = createHash("sha256");
  const files = [...listFiles(path.join(root, "lib")), path.join(root, "package-lock.json"), ...listFiles(path.join(root, "kernel", "dist")), ...extra];
  for (const f of files) {
    h.update(path.relative(root, f)).update("\0");
    try { h.update(fs.readFileSync(f)); } catch { h.update("<missing>"); }
    h.update("\0");
  }
  return h.digest("hex");
}

export function cacheKey(notebookText: string, depHash: string, mode: string, settings: unknown): string {
  return createHash("sha256").update(mode).update("\0").update(depHash).update("\0").update(JSON.stringify(settings)).update("\0").update(notebookText).digest("hex");
}

function entryFile(cacheDir: string, nbPath: string, mode: string): string {
  const id = createHash("sha1").update(path.resolve(nbPath)).digest("hex").slice(0, 10);
  return path.join(cacheDir, `${path.basename(nbPath, ".ipynb")}-${id}-${mode}.json`);
}

/** The cached passing result for this key, or undefined. */
export function cacheGet(cacheDir: string, nbPath: string, mode: string, key: string): NotebookResult | undefined {
  try {
    const e = JSON.parse(fs.readFileSync(entryFile(cacheDir, nbPath, mode), "utf8"));
    return e.key === key && e.result?.status === "passed" ? (e.result as NotebookResult) : undefined;
  } catch {
    return undefined;
  }
}

export function cachePut(cacheDir: string, nbPath: string, mode: string, key: string, result: NotebookResult): void {
  writeFileAtomic(entryFile(cacheDir, nbPath, mode), JSON.stringify({ key, result }));
}
