/**
 * `folio run` / `folio test`: find notebooks, run them N at a time (each in a fresh kernel), check their
 * outputs, write out/ and the report, and summarise. A notebook's failure never stops the others.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheGet, cacheKey, cachePut, dependencyHash } from "./cache";
import { compareNotebook, executionFailure, formatFailure } from "./check";
import { claimVerdict } from "@folio/protocol/claims";
import { claimsTable, gatherClaims } from "./claims";
import { notebookTimeouts, type Config } from "./config";
import { executeNotebook, isExecutable, type ExecOutcome } from "./execute";
import { junitXml } from "./junit";
import { NotebookError, parseNotebook, writeFileAtomic, writeNotebook } from "./notebook";
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
  compareImages?: boolean;
  title?: string;
  echoKernelStderr?: boolean;
  /** Where to print (default stdout); a TTY gets live progress lines and colour. */
  out?: Sink;
}

export interface Sink { write(s: string): unknown; isTTY?: boolean; columns?: number }

/** Expands paths: directories to their *.ipynb files (sorted, not recursive), files kept; missing paths reported. */
export function expandPaths(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { missing.push(p); continue; }
    if (st.isDirectory()) {
      files.push(...fs.readdirSync(p).filter((f) => f.endsWith(".ipynb") && !f.startsWith(".")).sort().map((f) => path.join(p, f)));
    } else files.push(p);
  }
  return { files: [...new Set(files)], missing };
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
  const { files: all, missing } = expandPaths(opts.paths);
  const files = opts.shard ? shard(all, opts.shard.index, opts.shard.count) : all;
  const results: NotebookResult[] = [];
  const details = new Map<string, string>();
  for (const m of missing) {
    results.push({ path: m, name: path.basename(m, ".ipynb"), status: "error", seconds: 0, problems: [`${m}: no such file or directory`], claims: [] });
    board.print(`✘ ${m}: no such file or directory`);
  }
  // the runner's own code counts too: a fixed checker must re-check notebooks it once passed
  const depHash = opts.cache ? dependencyHash(opts.root, [...(opts.config.file ? [opts.config.file] : []), ...runnerFiles()]) : "";
  const settings = { kernel: opts.kernelName, compareImages: opts.compareImages, timeout: opts.timeout, cellTimeout: opts.cellTimeout };

  const runOne = async (file: string): Promise<void> => {
    const name = path.basename(file, ".ipynb");
    const t0 = Date.now();
    const result: NotebookResult = { path: file, name, status: "passed", seconds: 0, problems: [], claims: [] };
    const lines: string[] = [];
    try {
      let text: string;
      try { text = fs.readFileSync(file, "utf8"); } catch (e) { throw new NotebookError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      const key = opts.cache ? cacheKey(text, depHash, opts.mode, settings) : "";
      const hit = opts.cache ? cacheGet(opts.cacheDir, file, opts.mode, key) : undefined;
      if (hit) {
        Object.assign(result, hit, { path: file, cached: true });
        if (opts.outDir && hit.executed) writeNotebook(path.join(opts.outDir, `${name}.ipynb`), hit.executed);
        lines.push(`✔ ${file}  cached (${hit.seconds.toFixed(1)} s when run)`);
        return;
      }
      const stored = parseNotebook(text);
      const skip = (stored.metadata.folio as { skip?: unknown } | undefined)?.skip;
      if (skip) {
        // metadata folio.skip: true or a reason; the notebook is listed but not run
        result.status = "skipped";
        result.problems.push(`skipped: ${typeof skip === "string" ? skip : "metadata folio.skip is set"}`);
        return;
      }
      const t = notebookTimeouts(opts.config, stored.metadata, { timeout: opts.timeout, cellTimeout: opts.cellTimeout });
      const total = stored.cells.filter(isExecutable).length;
      board.start(file, total);
      let outcome: ExecOutcome;
      try {
        outcome = await executeNotebook(stored, {
          cwd: path.dirname(path.resolve(file)), kernelName: opts.kernelName, cellTimeout: t.cellTimeout, timeout: t.timeout,
          root: opts.root, interruptGrace: opts.interruptGrace, echoKernelStderr: opts.echoKernelStderr, onCell: (d, n) => board.update(file, d, n),
        });
      } finally {
        board.finish(file);
      }
      result.executed = outcome.executed;
      result.problems.push(...outcome.problems);
      const gathered = gatherClaims(outcome.executed);
      result.claims = gathered.records;
      if (gathered.invalid.length) result.invalidClaims = gathered.invalid;
      if (outcome.fatal) result.status = "error";
      else if (outcome.problems.length) result.status = "failed";
      if (outcome.failedCell !== undefined) {
        const p = outcome.problems.find((x) => x.startsWith(`cell ${outcome.failedCell! + 1} `)) ?? outcome.problems[0];
        lines.push(formatFailure(file, executionFailure(outcome.executed, outcome.failedCell, p)));
      }
      if (opts.mode === "test" && !outcome.fatal) {
        // a cell that errored already failed the notebook; compare only the cells that ran cleanly before it
        const failures = compareNotebook(stored, outcome.executed, { config: opts.config, compareImages: opts.compareImages, color });
        const failedAt = new Set(outcome.problems.map((p) => /^cell (\d+)/.exec(p)?.[1]).filter(Boolean).map(Number));
        for (const f of failures) {
          if (failedAt.has(f.cellIndex + 1) || (failedAt.size && f.cellIndex + 1 > Math.min(...failedAt))) continue;
          result.problems.push(f.summary);
          result.status = "failed";
          lines.push(formatFailure(file, f));
        }
      }
      if (opts.outDir) writeNotebook(path.join(opts.outDir, `${name}.ipynb`), outcome.executed);
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
      result.status = "error";
      const msg = e instanceof NotebookError ? e.message : `runner error: ${(e as Error).message?.split("\n")[0] ?? String(e)}`;
      result.problems.push(msg);
    } finally {
      result.seconds ||= (Date.now() - t0) / 1000;
      results.push(result);
      if (!result.cached) {
        const mark = result.status === "passed" ? "✔" : result.status === "skipped" ? "-" : "✘";
        const head = `${mark} ${file}  ${result.status}  ${result.seconds.toFixed(1)} s${result.problems.length ? `: ${result.problems[0]}` : ""}`;
        const more = result.problems.slice(1).map((p) => `    ${p}`);
        lines.unshift(head, ...more);
      }
      if (result.status === "failed" || result.status === "error") details.set(file, lines.slice(1).join("\n"));
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
  if (opts.junit) writeFileAtomic(opts.junit, junitXml(results, "folio", details));
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
