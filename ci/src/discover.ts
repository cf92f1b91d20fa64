/**
 * Which notebooks a run covers: paths expanded (folders searched recursively, as pytest collects), the folder
 * they share (out/ mirrors their paths below it), and shards.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { writeFileAtomic } from "./files";

/**
 * The file the runner leaves in every folder it writes executed notebooks to (out/, --out DIR): a later search
 * skips folders holding it, so executed copies are never run and tested again as if they were sources.
 */
export const OUTPUT_MARKER = ".folio-output";

/** Marks `dir` (created if needed) as the runner's output; see OUTPUT_MARKER. */
export function markOutputFolder(dir: string): void {
  const marker = path.join(dir, OUTPUT_MARKER);
  if (fs.existsSync(marker)) return;
  writeFileAtomic(
    marker,
    "This folder was written by folio run (executed notebooks and the HTML report).\nfolio skips folders holding this file when it searches for notebooks.\n",
  );
}

/** Folders never searched: Jupyter's .ipynb_checkpoints and every other dot folder, installed packages, caches, the runner's output. */
function skippedFolder(dir: string, name: string): boolean {
  return (
    name.startsWith(".")
    || name === "node_modules"
    || name === "__pycache__"
    || fs.existsSync(path.join(dir, name, OUTPUT_MARKER))
  );
}

/**
 * Expands paths: folders to the *.ipynb files below them (recursively, sorted, skipping dot folders such as
 * .ipynb_checkpoints, node_modules, folders the runner wrote and the folders in `exclude`), files kept; missing
 * paths reported. A folder given by name is searched even when it would be skipped below another (pytest's
 * norecursedirs too applies only while recursing).
 */
export function expandPaths(paths: string[], exclude: string[] = []): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const excluded = new Set(exclude.map((e) => path.resolve(e)));
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skippedFolder(dir, e.name) && !excluded.has(path.resolve(p))) walk(p);
      } else if (e.name.endsWith(".ipynb") && !e.name.startsWith(".") && (e.isFile() || e.isSymbolicLink()))
        files.push(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files)], missing };
}

/** The deepest folder holding every file: out/ mirrors the notebooks' paths below it. */
export function commonBase(files: string[]): string {
  if (files.length === 0) return process.cwd();
  const parts = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
  let n = 0;
  while (parts.every((p) => n < p.length && p[n] === parts[0][n])) n++;
  return parts[0].slice(0, n).join(path.sep) || path.sep;
}

/** The `i`-th of `n` shards (1-based), by position in the sorted list, so shards are disjoint and cover all. */
export function shard<T>(items: T[], index: number, count: number): T[] {
  return items.filter((_, k) => k % count === index - 1);
}
