/**
 * `folio run` / `folio test`: find notebooks, run them N at a time (each in a fresh kernel), check their
 * outputs, write out/ and the report, and summarise. A notebook's failure never stops the others.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheGet, cacheKey, cachePut, dependencyHash } from "./cache";
import { compareNotebook } from "./check";
import { claimVerdict } from "@folio/protocol/claims";
import { claimsTable, gatherClaims } from "./claims";
import { notebookTimeouts, type Config } from "./config";
import { cellDirectives, isExecutable, notebookLanguage } from "./directives";
import { executeNotebook, type ExecOutcome } from "./execute";
import { failureReport, formatFailure, isFatal, type Failure } from "./failure";
import { writeFileAtomic } from "./files";
import { junitXml } from "./junit";
import { chooseKernel } from "./kernels";
import { NotebookError, parseNotebook, readNotebookText, writeNotebook } from "./nbformat";
import { ProgressBoard } from "./progress";
import type * as Report from "./report";
import type { NotebookResult } from "./types";

export interface RunOptions {
  mode: "run" | "test";
  paths: string[];
  root: string;
  config: Config;
  /** Write new outputs back into the source notebooks (temp + rename). */
  update: boolean;
  /** Directory for executed notebooks and the HTML report; null: none. */
  outDir: string | null;
  jobs: number;
  cache: boolean;
  cacheDir: string;
  shard?: { index: number; count: number };
  junit?: string;
  timeout?: number;
  cellTimeout?: number;
  /** Seconds between interrupting a timed-out cell and killing its kernel (default 5). */
  interruptGrace?: number;
  kernelName?: string;
  kernelDefault?: string;
  compareImages?: boolean;
  title?: string;
  echoKernelStderr?: boolean;
  /** Where to print (default stdout); a TTY gets live progress lines and colour. */
  out?: Sink;
}

export interface Sink { write(s: string): unknown; isTTY?: boolean; columns?: number }

/** Folders never searched for notebooks: Jupyter's checkpoints, dot folders, installed packages. */
function skippedFolder(name: string): boolean {
  return name.startsWith(".") || name === "node_modules" || name === "__pycache__";
}

/**
 * Expands paths: folders to the *.ipynb files below them (recursively, sorted, skipping dot folders such as
 * .ipynb_checkpoints, node_modules and `exclude`), files kept; missing paths reported.
 */
export function expandPaths(paths: string[], exclude: string[] = []): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const excluded = new Set(exclude.map((e) => path.resolve(e)));
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (!skippedFolder(e.name) && !excluded.has(path.resolve(p))) walk(p); }
      else if (e.name.endsWith(".ipynb") && !e.name.startsWith(".") && (e.isFile() || e.isSymbolicLink())) files.push(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { missing.push(p); continue; }
    if (st.isDirectory()) walk(p); else files.push(p);
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

/** "N passed, N failed" (+ ", N skipped"): always the last line printed. */
export function summaryLine(results: NotebookResult[]): string {
  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.filter((r) => r.status === "failed" || r.status === "error").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

function runnerFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (/\.(js|ts)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(__dirname);
  return out.sort();
}

async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) await work(items[next++]); };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

/** Runs (or tests) the notebooks; resolves with the results and the process exit code. */
export async function runNotebooks(opts: RunOptions): Promise<{ results: NotebookResult[]; code: number }> {
  const out = opts.out ?? process.stdout;
  const board = new ProgressBoard(out, !!out.isTTY);
  const color = !!out.isTTY;
  const { files: all, missing } = expandPaths(opts.paths, opts.outDir ? [opts.outDir] : []);
  const files = opts.shard ? shard(all, opts.shard.index, opts.shard.count) : all;
  const base = commonBase(files);
  const relOf = (f: string) => path.relative(base, path.resolve(f));
  const results: NotebookResult[] = [];
  for (const m of missing) {
    results.push({ path: m, rel: m, name: path.basename(m, ".ipynb"), status: "error", seconds: 0, failures: [{ kind: "missing", message: `${m}: no such file or directory` }], claims: [] });
    board.print(`✘ ${m}: no such file or directory`);
  }
  // the runner's own code counts too: a fixed checker must re-check notebooks it once passed
  const depHash = opts.cache ? dependencyHash(opts.root, [...(opts.config.file ? [opts.config.file] : []), ...runnerFiles()]) : "";
  const settings = { kernel: opts.kernelName, compareImages: opts.compareImages, timeout: opts.timeout, cellTimeout: opts.cellTimeout };

  const runOne = async (file: string): Promise<void> => {
    const name = path.basename(file, ".ipynb");
    const rel = relOf(file);
    const t0 = Date.now();
    const result: NotebookResult = { path: file, rel, name, status: "passed", seconds: 0, failures: [], claims: [] };
    const lines: string[] = [];
    const fail = (f: Failure) => {
      result.failures.push(f);
      if (result.status !== "error") result.status = isFatal(f) ? "error" : "failed";
    };
    try {
      const text = readNotebookText(file);
      const key = opts.cache ? cacheKey(text, depHash, opts.mode, settings) : "";
      const hit = opts.cache ? cacheGet(opts.cacheDir, file, opts.mode, key) : undefined;
      if (hit) {
        Object.assign(result, hit, { path: file, rel, cached: true });
        if (opts.outDir && hit.executed) writeNotebook(path.join(opts.outDir, rel), hit.executed);
        lines.push(`✔ ${file}  cached (${hit.seconds.toFixed(1)} s when run)`);
        return;
      }
      const stored = parseNotebook(text);
      const skip = (stored.metadata.folio as { skip?: unknown } | undefined)?.skip;
      if (skip) {
        // metadata folio.skip: true or a reason; the notebook is listed but not run
        result.status = "skipped";
        result.skipReason = typeof skip === "string" ? skip : "metadata folio.skip is set";
        return;
      }
      const language = notebookLanguage(stored.metadata);
      const kernel = chooseKernel(stored, { kernel: opts.kernelName, kernelDefault: opts.kernelDefault });
      if ("kind" in kernel) { fail(kernel); return; }
      const t = notebookTimeouts(opts.config, stored.metadata, { timeout: opts.timeout, cellTimeout: opts.cellTimeout });
      const total = stored.cells.filter((c) => isExecutable(c, language)).length;
      board.start(file, total);
      let outcome: ExecOutcome;
      try {
        outcome = await executeNotebook(stored, {
          launch: kernel.launch, cwd: path.dirname(path.resolve(file)), directives: (i) => cellDirectives(stored.cells[i], language),
          cellTimeout: t.cellTimeout, timeout: t.timeout, interruptGrace: opts.interruptGrace, echoKernelStderr: opts.echoKernelStderr,
          onCell: (d, n) => board.update(file, d, n),
        });
      } finally {
        board.finish(file);
      }
      result.executed = outcome.executed;
      for (const f of outcome.failures) fail(f);
      const gathered = gatherClaims(outcome.executed);
      result.claims = gathered.records;
      if (gathered.invalid.length) result.invalidClaims = gathered.invalid;
      const stop = outcome.failures.find((f) => f.cell?.index === outcome.stoppedAt);
      if (stop) lines.push(failureReport(file, stop));
      if (opts.mode === "test" && result.status !== "error") {
        // a cell that stopped the run already failed the notebook; compare only the cells that ran cleanly before it
        for (const f of compareNotebook(stored, outcome.executed, { config: opts.config, compareImages: opts.compareImages, color })) {
          if (outcome.stoppedAt !== undefined && f.cell!.index >= outcome.stoppedAt) continue;
          fail(f);
          lines.push(failureReport(file, f));
        }
      }
      if (opts.outDir) writeNotebook(path.join(opts.outDir, rel), outcome.executed);
      if (opts.update) {
        if (result.status === "passed") writeNotebook(file, outcome.executed);
        else lines.push(`  ${file} not updated: it did not pass`);
      }
      result.seconds = (Date.now() - t0) / 1000;
      if (opts.cache && result.status === "passed") {
        const newKey = opts.update ? cacheKey(fs.readFileSync(file, "utf8"), depHash, opts.mode, settings) : key;
        try { cachePut(opts.cacheDir, file, opts.mode, newKey, result); } catch { /* a cache is optional */ }
      }
    } catch (e) {
      if (e instanceof NotebookError) fail({ kind: e.kind, message: e.message, cell: e.cell });
      else fail({ kind: "runner", message: `runner error: ${(e as Error).message?.split("\n")[0] ?? String(e)}` });
    } finally {
      result.seconds ||= (Date.now() - t0) / 1000;
      results.push(result);
      if (!result.cached) {
        const mark = result.status === "passed" ? "✔" : result.status === "skipped" ? "-" : "✘";
        const first = result.skipReason !== undefined ? `skipped: ${result.skipReason}` : result.failures.length ? formatFailure(result.failures[0]) : "";
        const head = `${mark} ${file}  ${result.status}  ${result.seconds.toFixed(1)} s${first ? `: ${first}` : ""}`;
        const more = result.failures.slice(1).map((f) => `    ${formatFailure(f)}`);
        lines.unshift(head, ...more);
      }
      board.print(lines.join("\n"));
    }
  };

  await pool(files, opts.jobs, runOne);
  board.stop();
  const order = new Map([...missing, ...files].map((f, i) => [f, i]));
  results.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));

  if (opts.outDir && files.length > 0) {
    try {
      // loaded only when a report is written: markdown, KaTeX and highlight.js cost start-up time
      const { writeReport } = require("./report") as typeof Report;
      await writeReport(opts.outDir, results, { title: opts.title });
    } catch (e) {
      out.write(`folio: the HTML report could not be written: ${(e as Error).message?.split("\n")[0]}\n`);
    }
  }
  if (opts.junit) writeFileAtomic(opts.junit, junitXml(results));
  const claims = results.flatMap((r) => r.claims);
  if (claims.length) out.write(`\nclaims (${claims.filter((c) => claimVerdict(c) === "holds").length}/${claims.length} hold)\n${claimsTable(claims, out.columns || 120)}\n\n`);
  const invalid = results.flatMap((r) => (r.invalidClaims ?? []).map((c) => `${r.path} cell ${c.cellIndex + 1}: ${c.reason}`));
  if (invalid.length) out.write(`(${invalid.length} claim output${invalid.length === 1 ? " is" : "s are"} not valid claim records and not in the table; first: ${invalid[0]})\n`);
  const cached = results.filter((r) => r.cached).length;
  if (cached) out.write(`(${cached} cached: unchanged since they passed; --no-cache to re-run)\n`);
  out.write(summaryLine(results) + "\n");
  const bad = results.some((r) => r.status === "failed" || r.status === "error");
  return { results, code: bad ? 1 : 0 };
}
