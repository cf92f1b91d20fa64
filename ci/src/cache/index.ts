/**
 * The run cache: a notebook that passed is not run again while nothing it depended on changed. An entry holds
 * a key (the notebook's bytes, the mode and settings, the runner's code and config, the lockfile, and the
 * kernel: the Folio kernel's code, or another kernel's kernelspec) and the fingerprints of every dependency the
 * run had (deps.ts). A hit needs the same key and every fingerprint unchanged. A kernel that cannot report its
 * dependencies is not cached, unless asked to key on the notebook's folder (`--cache=folder`). `--update`
 * never reads the cache.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFileAtomic } from "../files";
import type { NotebookResult } from "../types";
import { depsUnchanged, type Dep } from "./deps";

export { DepSet, codeFiles, depsUnchanged, fingerprint, treeHash, type Dep } from "./deps";

/** Where cache entries and the last-failed record live: $FOLIO_CACHE_DIR, else $XDG_CACHE_HOME/folio (~/.cache/folio), one folder per project. */
export function defaultCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.FOLIO_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "folio");
  const id = createHash("sha1").update(path.resolve(root)).digest("hex").slice(0, 12);
  return path.join(base, `${path.basename(path.resolve(root)) || "root"}-${id}`);
}

/** The cache key of a run: everything but the dependencies, as one hash. */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify({ v: 2, ...parts }))
    .digest("hex");
}

interface Entry {
  key: string;
  deps: Dep[];
  result: NotebookResult;
}

function entryFile(cacheDir: string, nbPath: string, mode: string): string {
  const id = createHash("sha1").update(path.resolve(nbPath)).digest("hex").slice(0, 10);
  return path.join(cacheDir, "runs", `${path.basename(nbPath, ".ipynb")}-${id}-${mode}.json`);
}

/** The cached passing result for this key whose dependencies are all unchanged, or undefined. */
export function cacheGet(cacheDir: string, nbPath: string, mode: string, key: string): NotebookResult | undefined {
  let e: Entry;
  try {
    e = JSON.parse(fs.readFileSync(entryFile(cacheDir, nbPath, mode), "utf8")) as Entry;
  } catch {
    return undefined;
  }
  if (e.key !== key || e.result?.status !== "passed" || !Array.isArray(e.deps)) return undefined;
  return depsUnchanged(e.deps) ? e.result : undefined;
}

export function cachePut(
  cacheDir: string,
  nbPath: string,
  mode: string,
  key: string,
  deps: Dep[],
  result: NotebookResult,
): void {
  writeFileAtomic(entryFile(cacheDir, nbPath, mode), JSON.stringify({ key, deps, result } satisfies Entry));
}

/** The notebooks that failed in the last recorded run (pytest's `--lf`), as resolved paths; undefined when none was recorded. */
export function lastFailed(cacheDir: string): Set<string> | undefined {
  try {
    return new Set(JSON.parse(fs.readFileSync(path.join(cacheDir, "lastfailed.json"), "utf8")) as string[]);
  } catch {
    return undefined;
  }
}

/** Records this run's failures: those that failed now are added, those that ran and passed are removed. */
export function recordFailed(cacheDir: string, ran: NotebookResult[]): void {
  const set = lastFailed(cacheDir) ?? new Set<string>();
  for (const r of ran) {
    const p = path.resolve(r.path);
    if (r.status === "failed" || r.status === "error") set.add(p);
    else if (r.status === "passed") set.delete(p);
  }
  writeFileAtomic(path.join(cacheDir, "lastfailed.json"), JSON.stringify([...set].sort(), null, 1));
}
