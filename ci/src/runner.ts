/**
 * `folio run` / `folio test`: find notebooks, select them (pytest's -k, --lf, shards), run them N at a time
 * (each in a fresh kernel, parameters injected papermill's way), check their outputs, write out/, the report,
 * the cache and JUnit as asked, and summarise. A notebook's failure never stops the others (unless --maxfail).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { claimVerdict } from "@folio/protocol/claims";
import {
  DepSet,
  cacheGet,
  cacheKey,
  cachePut,
  codeFiles,
  fingerprint,
  lastFailed,
  recordFailed,
  treeHash,
  type Dep,
} from "./cache/index"; // not "./cache": a stale dist/cache.js of older builds would win
import { compareNotebook, type CompiledSanitizer } from "./check";
import { claimsTable, gatherClaims } from "./claims";
import { allowErrors, notebookTimeouts, type Config } from "./config";
import { cellDirectives, isExecutable, notebookLanguage } from "./directives";
import { commonBase, expandPaths, markOutputFolder, shard } from "./discover";
import { durationsTable } from "./durations";
import { executeNotebook, type ExecOutcome } from "./execute";
import { failureReport, formatFailure, isFatal, type Failure } from "./failure";
import { writeFileAtomic } from "./files";
import { junitXml } from "./junit";
import { chooseKernel, kernelPackages, localFolioKernel, type KernelChoice } from "./kernels";
import { NotebookError, cellTags, parseNotebook, readNotebookText, writeNotebook, type Notebook } from "./nbformat";
import {
  injectParameters,
  mergeParams,
  textExpectedWarning,
  typedFromText,
  unknownParameters,
  type ParamSource,
  type Params,
} from "./parameters";
import { ProgressBoard } from "./progress";
import type * as Report from "./report";
import { cellNames, matches, notebookNames, parseSelection } from "./select";
import type { NotebookResult } from "./types";
import { keepUnchanged } from "./update";

export interface RunOptions {
  mode: "run" | "test";
  paths: string[];
  root: string;
  config: Config;
  /** Write new outputs back into the source notebooks (temp + rename, mode kept, through symlinks). */
  update: boolean;
  /** Directory for executed notebooks and the HTML report; null: none. */
  outDir: string | null;
  jobs: number;
  /** off; auto: cache what the kernel's own report makes sound (the Folio kernel); folder: other kernels keyed on the notebook's folder. */
  cache: "off" | "auto" | "folder";
  cacheDir: string;
  /** Record which notebooks failed, for --lf (default: when the cache is on or lastFailed is set). */
  recordFailures?: boolean;
  /** pytest's --lf: only the notebooks that failed last time (all when none did). */
  lastFailed?: boolean;
  /** pytest's -k expression over notebook and cell names. */
  select?: string;
  /** Stop starting notebooks after this many failed (pytest's -x is 1). */
  maxfail?: number;
  /** Print the N slowest cells (0: all). */
  durations?: number;
  shard?: { index: number; count: number };
  junit?: string;
  /** JUnit with one testcase per cell (nbval's granularity) instead of one per notebook. */
  junitCells?: boolean;
  timeout?: number;
  cellTimeout?: number;
  /** Seconds between interrupting a timed-out cell and killing its kernel (default 5). */
  interruptGrace?: number;
  kernelName?: string;
  kernelDefault?: string;
  compareImages?: boolean;
  /** nbval's --nbval-lax: compare only cells marked to be checked. */
  lax?: boolean;
  /** Sanitizers from an nbval sanitize file. */
  extraSanitizers?: CompiledSanitizer[];
  /** Papermill-style parameters (-f, -y, -p, -r), in command-line order. */
  parameters?: ParamSource[];
  title?: string;
  echoKernelStderr?: boolean;
  /** Where to print (default stdout); a TTY gets live progress lines and colour. */
  out?: Sink;
  /** Aborted on Ctrl-C: no notebook is started, running kernels are stopped, the summary so far is printed (exit 2). */
  signal?: AbortSignal;
}

export interface Sink {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * "N passed, N failed" (+ ", N errors", ", N skipped", ", N deselected" when there are any), as pytest counts:
 * an error is a notebook that could not run (bad JSON, no kernel, the kernel died); always the last line printed.
 */
export function summaryLine(results: NotebookResult[], deselected = 0): string {
  const n = (s: NotebookResult["status"]) => results.filter((r) => r.status === s).length;
  const errors = n("error"),
    skipped = n("skipped");
  return `${n("passed")} passed, ${n("failed")} failed${errors ? `, ${errors} error${errors === 1 ? "" : "s"}` : ""}${skipped ? `, ${skipped} skipped` : ""}${deselected ? `, ${deselected} deselected` : ""}`;
}

/** How wide a table may be: a terminal's width; unbounded when the output is a file or a CI log, which nothing wraps. */
export function tableWidth(out: Sink): number {
  return out.isTTY ? out.columns || 80 : Infinity;
}

/** pytest's exit codes: the run was interrupted (Ctrl-C); nothing was collected or everything was deselected. */
export const INTERRUPTED = 2,
  NO_TESTS = 5;

/** Which cells of a notebook -k selects: all (the notebook's names matched), some, or none. */
type Selection = { all: true } | { all: false; cells: Set<number> };

function selectCells(
  expr: ReturnType<typeof parseSelection>,
  nb: Notebook | undefined,
  rel: string,
  stem: string,
): Selection {
  const nbn = notebookNames(rel, stem);
  if (matches(expr, nbn)) return { all: true };
  const cells = new Set<number>();
  nb?.cells.forEach((c, i) => {
    if (c.cell_type === "code" && matches(expr, [...nbn, ...cellNames(i, c.id, cellTags(c))])) cells.add(i);
  });
  return { all: false, cells };
}

async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

/** Runs (or tests) the notebooks; resolves with the results and the process exit code. */
export async function runNotebooks(opts: RunOptions): Promise<{ results: NotebookResult[]; code: number }> {
  const out = opts.out ?? process.stdout;
  const color = !!out.isTTY;
  const note = (s: string) => out.write(`${s}\n`);
  const { files: found, missing } = expandPaths(opts.paths, opts.outDir ? [opts.outDir] : []);
  let files = opts.shard ? shard(found, opts.shard.index, opts.shard.count) : found;
  if (opts.lastFailed) {
    const last = lastFailed(opts.cacheDir);
    const again = files.filter((f) => last?.has(path.resolve(f)));
    if (again.length) files = again;
    else note(`--lf: no notebooks failed in the last recorded run; running all ${files.length}`);
  }
  const base = commonBase(files);
  const relOf = (f: string) => path.relative(base, path.resolve(f));

  // -k decides per notebook and per cell, so it reads the notebooks first
  const expr = opts.select !== undefined ? parseSelection(opts.select) : undefined;
  const selections = new Map<string, Selection>();
  let deselected = 0;
  if (expr) {
    files = files.filter((f) => {
      let nb: Notebook | undefined;
      try {
        nb = parseNotebook(readNotebookText(f));
      } catch {
        /* it fails when it runs, if its names are selected */
      }
      const s = selectCells(expr, nb, relOf(f), path.basename(f, ".ipynb"));
      if (!s.all && s.cells.size === 0) {
        deselected++;
        return false;
      }
      selections.set(f, s);
      return true;
    });
  }
  if (files.length === 0 && missing.length === 0) {
    const why = deselected
      ? `-k ${JSON.stringify(opts.select)} selects none of ${deselected} notebook${deselected === 1 ? "" : "s"}`
      : `no notebooks found in ${opts.paths.join(", ") || "."}`;
    note(`no notebooks selected: ${why}`);
    note(summaryLine([], deselected));
    return { results: [], code: NO_TESTS };
  }

  const params: Params | undefined = opts.parameters?.length ? mergeParams(opts.parameters) : undefined;
  const asText = opts.parameters ? typedFromText(opts.parameters) : {};
  // marked before anything is written into it, so the next search skips it even if this run is stopped
  if (opts.outDir) markOutputFolder(opts.outDir);
  const board = new ProgressBoard(out, !!out.isTTY);
  const results: NotebookResult[] = [];
  for (const m of missing) {
    results.push({
      path: m,
      rel: m,
      name: path.basename(m, ".ipynb"),
      status: "error",
      seconds: 0,
      failures: [{ kind: "missing", message: `${m}: no such file or directory` }],
      claims: [],
    });
    board.print(`✘ ${m}: no such file or directory`);
  }

  // the runner's own code, config and lockfile count too: a fixed checker must re-check notebooks it once passed
  const lockfile = path.join(opts.root, "package-lock.json");
  const runnerId =
    opts.cache !== "off"
      ? treeHash(
          [...codeFiles(__dirname), ...codeFiles(path.join(__dirname, "..", "schema"))],
          path.join(__dirname, ".."),
        )
      : "";
  const kernelIds = new Map<string, string>();
  const kernelId = (k: KernelChoice): string => {
    const argv = k.launch.argv ?? k.launch.spec?.argv ?? [];
    const keyOf = JSON.stringify(argv);
    let id = kernelIds.get(keyOf);
    if (id === undefined) {
      // the Folio kernel's code; for a kernelspec, its kernel.json, the program it starts, and a Folio kernel's script folder
      const spec = k.launch.spec
        ? `${fingerprint("file", path.join(k.launch.spec.dir, "kernel.json"))}:${programStamp(argv[0])}`
        : "";
      const script = folioScript(k);
      // its own packages' code: what they hold is left out of every notebook's dependencies
      id = `${spec}:${
        script
          ? kernelPackages(script)
              .map((d) => treeHash(codeFiles(d), d))
              .join(":")
          : ""
      }`;
      kernelIds.set(keyOf, id);
    }
    return id;
  };
  const settings = {
    kernel: opts.kernelName,
    kernelDefault: opts.kernelDefault,
    compareImages: opts.compareImages,
    timeout: opts.timeout,
    cellTimeout: opts.cellTimeout,
    lax: opts.lax,
    select: opts.select,
    params,
    config: { ...opts.config, file: undefined },
    sanitizers: opts.extraSanitizers?.map((s) => [s.name, s.re.source, s.replace]),
  };
  const notCached = new Set<string>();
  let failedCount = 0;
  const stopped = () => (opts.maxfail !== undefined && failedCount >= opts.maxfail) || !!opts.signal?.aborted;
  const interrupted: string[] = [];

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
      const stored = parseNotebook(text, file);
      const skip = (stored.metadata.folio as { skip?: unknown } | undefined)?.skip;
      if (skip) {
        // metadata folio.skip: true or a reason; the notebook is listed but not run
        result.status = "skipped";
        result.skipReason = typeof skip === "string" ? skip : "metadata folio.skip is set";
        return;
      }
      const kernel = chooseKernel(stored, { kernel: opts.kernelName, kernelDefault: opts.kernelDefault });
      if ("kind" in kernel) {
        fail(kernel);
        return;
      }
      const language =
        notebookLanguage(stored.metadata) ?? kernel.launch.spec?.language ?? (kernel.folio ? "typescript" : undefined);
      let toRun = stored;
      if (params) {
        const injected = injectParameters(stored, params, language ?? "", file, { typedFromText: asText });
        if ("problem" in injected) {
          fail({ kind: "parameters", cell: injected.problem.cell, message: injected.problem.message });
          return;
        }
        toRun = injected.notebook;
        if (injected.unknown.length) lines.push(`  warning: ${unknownParameters(injected.unknown, injected.known)}`);
        for (const t of injected.textExpected) lines.push(`  warning: ${textExpectedWarning(t)}`);
      }
      const key =
        opts.cache !== "off"
          ? cacheKey({
              mode: opts.mode,
              text,
              settings,
              runner: runnerId,
              kernel: kernelId(kernel),
              lock: fingerprint("file", lockfile),
            })
          : "";
      // --update must produce new outputs: it never takes a cached result
      const hit = opts.cache !== "off" && !opts.update ? cacheGet(opts.cacheDir, file, opts.mode, key) : undefined;
      if (hit) {
        Object.assign(result, hit, { path: file, rel, cached: true });
        if (opts.outDir && hit.executed) writeNotebook(path.join(opts.outDir, rel), hit.executed);
        lines.push(`✔ ${file}  cached (${hit.seconds.toFixed(1)} s when run)`);
        return;
      }

      const sel = selections.get(file);
      const selected = sel && !sel.all ? (i: number) => sel.cells.has(i) : undefined;
      // a cell injected before the selected ones shifts nothing: selection was made on the stored notebook's ids
      const selectedIds = selected ? new Set(stored.cells.filter((_, i) => selected(i)).map((c) => c.id)) : undefined;
      const isSelected = selectedIds ? (i: number) => selectedIds.has(toRun.cells[i].id) : undefined;
      const lastCell = isSelected ? Math.max(...toRun.cells.map((_, i) => (isSelected(i) ? i : -1))) : undefined;
      const t = notebookTimeouts(opts.config, stored.metadata, {
        timeout: opts.timeout,
        cellTimeout: opts.cellTimeout,
      });
      const total = toRun.cells.filter((c, i) => isExecutable(c, language) && i <= (lastCell ?? Infinity)).length;
      board.start(file, total);
      let outcome: ExecOutcome;
      try {
        outcome = await executeNotebook(toRun, {
          launch: kernel.launch,
          cwd: path.dirname(path.resolve(file)),
          directives: (i) => cellDirectives(toRun.cells[i], language),
          cellTimeout: t.cellTimeout,
          timeout: t.timeout,
          interruptGrace: opts.interruptGrace,
          echoKernelStderr: opts.echoKernelStderr,
          allowErrors: allowErrors(stored.metadata),
          lastCell,
          onCell: (d, n) => board.update(file, d, n),
          signal: opts.signal,
        });
      } finally {
        board.finish(file);
      }
      // stopped by Ctrl-C: neither passed nor failed, and nothing of it is written
      if (outcome.interrupted) {
        interrupted.push(file);
        return;
      }
      result.executed = outcome.executed;
      for (const f of outcome.failures) fail(f);
      const gathered = gatherClaims(outcome.executed);
      result.claims = gathered.records;
      if (gathered.invalid.length) result.invalidClaims = gathered.invalid;
      const stop = outcome.failures.find((f) => f.cell?.index === outcome.stoppedAt);
      if (stop) lines.push(failureReport(file, stop));
      if (opts.mode === "test" && result.status !== "error") {
        // a cell that stopped the run already failed the notebook; compare only the cells that ran before it
        const check = compareNotebook(stored, outcome.executed, {
          config: opts.config,
          compareImages: opts.compareImages,
          extraSanitizers: opts.extraSanitizers,
          lax: opts.lax,
          selected: isSelected,
          before: outcome.stoppedAt,
          color,
        });
        result.notRecorded = check.notRecorded;
        for (const f of check.failures) {
          fail(f);
          lines.push(failureReport(file, f));
        }
      }
      if (opts.outDir) writeNotebook(path.join(opts.outDir, rel), outcome.executed);
      if (opts.update) {
        if (result.status === "passed") {
          // cells (and widgets) that came out the same are kept byte for byte; a notebook that did is not rewritten
          const updated = keepUnchanged(stored, outcome.executed);
          if (!isDeepStrictEqual(updated, stored)) writeNotebook(file, updated);
        } else lines.push(`  ${file} not updated: it did not pass`);
      }
      result.seconds = (Date.now() - t0) / 1000;
      if (opts.cache !== "off" && result.status === "passed") {
        const script = folioScript(kernel);
        const deps = dependencies(kernel, outcome, file, opts.cache, script ? kernelPackages(script) : []);
        if (!deps) notCached.add(kernel.name);
        else {
          const newKey = opts.update
            ? cacheKey({
                mode: opts.mode,
                text: fs.readFileSync(file, "utf8"),
                settings,
                runner: runnerId,
                kernel: kernelId(kernel),
                lock: fingerprint("file", lockfile),
              })
            : key;
          try {
            cachePut(opts.cacheDir, file, opts.mode, newKey, deps, result);
          } catch {
            /* a cache is optional */
          }
        }
      }
    } catch (e) {
      if (e instanceof NotebookError) fail({ kind: e.kind, message: e.message, cell: e.cell });
      else fail({ kind: "runner", message: `runner error: ${(e as Error).message?.split("\n")[0] ?? String(e)}` });
    } finally {
      result.seconds ||= (Date.now() - t0) / 1000;
      if (interrupted.includes(file)) {
        board.print(`! ${file}  interrupted after ${result.seconds.toFixed(1)} s`);
        // biome-ignore lint/correctness/noUnsafeFinally: the catch above turns every error into a failure, so this return drops only an interrupted notebook's result
        return;
      }
      results.push(result);
      if (result.status === "failed" || result.status === "error") failedCount++;
      if (!result.cached) {
        const mark = result.status === "passed" ? "✔" : result.status === "skipped" ? "-" : "✘";
        const first =
          result.skipReason !== undefined
            ? `skipped: ${result.skipReason}`
            : result.failures.length
              ? formatFailure(result.failures[0])
              : "";
        const head = `${mark} ${file}  ${result.status}  ${result.seconds.toFixed(1)} s${first ? `: ${first}` : ""}`;
        const more = result.failures.slice(1).map((f) => `    ${formatFailure(f)}`);
        lines.unshift(head, ...more);
      }
      board.print(lines.join("\n"));
    }
  };

  await pool(files, opts.jobs, runOne, stopped);
  board.stop();
  const order = new Map([...missing, ...files].map((f, i) => [f, i]));
  results.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  const notRun = files.length + missing.length - results.length - interrupted.length;

  if (opts.outDir && results.length > 0) {
    try {
      // loaded only when a report is written: markdown, KaTeX and highlight.js cost start-up time
      const { writeReport } = require("./report") as typeof Report;
      await writeReport(opts.outDir, results, { title: opts.title });
    } catch (e) {
      note(`folio: the HTML report could not be written: ${(e as Error).message?.split("\n")[0]}`);
    }
  }
  if (opts.junit) writeFileAtomic(opts.junit, junitXml(results, { perCell: opts.junitCells }));
  if (opts.recordFailures ?? (opts.cache !== "off" || opts.lastFailed)) {
    try {
      recordFailed(opts.cacheDir, results);
    } catch (e) {
      note(`folio: could not record the failures for --lf: ${(e as Error).message}`);
    }
  }
  const claims = results.flatMap((r) => r.claims);
  if (claims.length)
    out.write(
      `\nclaims (${claims.filter((c) => claimVerdict(c) === "holds").length}/${claims.length} hold)\n${claimsTable(claims, tableWidth(out))}\n\n`,
    );
  const invalid = results.flatMap((r) =>
    (r.invalidClaims ?? []).map((c) => `${r.path} cell ${c.cellIndex + 1}: ${c.reason}`),
  );
  if (invalid.length)
    note(
      `(${invalid.length} claim output${invalid.length === 1 ? " is" : "s are"} not valid claim records and not in the table; first: ${invalid[0]})`,
    );
  if (opts.durations !== undefined) note(durationsTable(results, opts.durations));
  const unrecorded = results.reduce((s, r) => s + (r.notRecorded ?? 0), 0);
  if (unrecorded)
    note(
      `(${unrecorded} cell${unrecorded === 1 ? "" : "s"} not recorded: no stored outputs to compare with; executed and checked for errors only)`,
    );
  const cached = results.filter((r) => r.cached).length;
  if (cached) note(`(${cached} cached: nothing they depend on changed since they passed; --no-cache to re-run)`);
  for (const k of notCached)
    note(
      `(not cached: kernel "${k}" does not report the files its notebooks read; --cache=folder keys them on their folder instead)`,
    );
  if (opts.signal?.aborted)
    note(
      `interrupted (Ctrl-C): ${interrupted.length} notebook${interrupted.length === 1 ? "" : "s"} stopped, ${notRun} not run`,
    );
  else if (notRun > 0)
    note(
      `stopped after ${failedCount} failed notebook${failedCount === 1 ? "" : "s"} (--maxfail ${opts.maxfail}): ${notRun} not run`,
    );
  note(summaryLine(results, deselected));
  const bad = results.some((r) => r.status === "failed" || r.status === "error");
  return { results, code: opts.signal?.aborted ? INTERRUPTED : bad ? 1 : 0 };
}

/**
 * The dependencies of a passing run, or undefined when they cannot be known soundly: the Folio kernel reports
 * what every cell loaded and read; for any other kernel only `--cache=folder` keys on the notebook's folder.
 */
function dependencies(
  kernel: KernelChoice,
  outcome: ExecOutcome,
  file: string,
  mode: "auto" | "folder",
  kernelOwn: string[],
): Dep[] | undefined {
  const deps = new DepSet(kernelOwn);
  const dir = path.dirname(path.resolve(file));
  const reported =
    kernel.folio
    && outcome.replyMetadata.size === outcome.cellsRun
    && [...outcome.replyMetadata.values()].every((m) => deps.addReport(m));
  if (reported) {
    for (const c of outcome.executed.cells) if (c.cell_type === "code") deps.scanSource(c.source, dir);
    return deps.list();
  }
  if (mode === "folder" && deps.addFolder(dir, [file])) return deps.list();
  return undefined;
}

/** The script a Folio kernel runs: the @folio/kernel beside this runner, or the .js file its kernelspec starts. */
function folioScript(k: KernelChoice): string | undefined {
  if (!k.folio) return undefined;
  return (
    (k.launch.argv ? localFolioKernel() : undefined)
    ?? (k.launch.argv ?? k.launch.spec?.argv ?? []).find((a) => a.endsWith(".js"))
  );
}

/** The program a kernelspec starts, as found on PATH: its real path, size and modification time (an upgrade changes them). */
function programStamp(program: string | undefined): string {
  if (!program) return "";
  const dirs = path.isAbsolute(program) ? [""] : (process.env.PATH ?? "").split(path.delimiter);
  for (const d of dirs) {
    try {
      const real = fs.realpathSync(path.join(d, program));
      const st = fs.statSync(real);
      return `${real}:${st.size}:${st.mtimeMs}`;
    } catch {
      /* next */
    }
  }
  return `${program}:not found`;
}
