/**
 * Executing one notebook through a fresh kernel, cell by cell, the way nbclient does: stop at the first
 * unexpected error, honour `skip-execution` and `raises-exception`, per-cell and per-notebook timeouts,
 * and turn every failure (dead kernel, hung cell, duplicated message) into one line naming the cell.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CellTimeout, KernelClient, KernelDied, describeExit, findKernelspec, kernelDirs, type LaunchOptions } from "./client";
import { OutputCollector, type CellSink } from "./outputs";
import { cellSource, cellTags, type Output } from "./notebook";
import type { NbCell, Notebook } from "./percent";

export interface ExecOptions {
  /** Directory the kernel runs in (the notebook's). */
  cwd: string;
  /** Use this kernelspec name instead of the notebook's. */
  kernelName?: string;
  /** Seconds per cell / per notebook (Infinity: none). */
  cellTimeout: number;
  timeout: number;
  /** Seconds to wait after an interrupt before killing the kernel. */
  interruptGrace?: number;
  /** Project root (informational). The "folio" kernel runs from the `kernel/dist/cli.js` beside this runner. */
  root?: string;
  /** Extra kernel environment. */
  env?: Record<string, string>;
  echoKernelStderr?: boolean;
  startTimeout?: number;
  /** Called after each executed cell with (done, total). */
  onCell?: (done: number, total: number) => void;
}

export interface ExecOutcome {
  executed: Notebook;
  /** One line per problem, naming the cell. */
  problems: string[];
  /** The notebook could not be run at all (kernel missing or failed to start). */
  fatal: boolean;
  cellsRun: number;
  cellsTotal: number;
  /** Index of the cell that stopped the run, if one did. */
  failedCell?: number;
}

/** "cell 4 (id 3fa2c1)": how every message names a cell (1-based over all cells). */
export function cellLabel(index: number, cell: NbCell): string {
  return `cell ${index + 1} (id ${cell.id})`;
}

const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]/g;
export function stripAnsi(s: string): string { return s.replace(ANSI, ""); }

/** True for a code cell the runner executes. */
export function isExecutable(c: NbCell): boolean {
  return c.cell_type === "code" && cellSource(c).trim() !== "" && !cellTags(c).includes("skip-execution");
}

/** How the kernel for a notebook is started: the repo's own folio kernel directly, else a kernelspec. */
export function kernelLaunch(name: string, opts: Pick<ExecOptions, "root" | "env">): LaunchOptions | string {
  const env = { ...(opts.env ?? {}) };
  if (name === "folio") {
    env.FOLIO_PLOTLY_HTML ??= "none";
    // the kernel built beside this runner (same checkout), so CI tests the code it was built from
    const cli = path.resolve(__dirname, "..", "..", "kernel", "dist", "cli.js");
    // as its kernelspec says (kernel/src/install.ts): interrupts go over the control channel
    if (cli && fs.existsSync(cli)) return { argv: [process.execPath, cli, "--connection-file", "{connection_file}"], env, interruptMode: "message" };
  }
  const spec = findKernelspec(name);
  if (!spec) return `kernel "${name}" not found: no kernelspec in ${kernelDirs().join(", ")}`;
  return { spec, env };
}

function firstLine(s: string): string { return stripAnsi(s).split("\n").find((l) => l.trim() !== "")?.trim() ?? ""; }

/** Runs every code cell of `nb` (a copy is returned; `nb` is not touched). */
export async function executeNotebook(nb: Notebook, opts: ExecOptions): Promise<ExecOutcome> {
  const executed: Notebook = JSON.parse(JSON.stringify(nb));
  const problems: string[] = [];
  const cells = executed.cells;
  const todo = cells.map((c, i) => (isExecutable(c) ? i : -1)).filter((i) => i >= 0);
  const out: ExecOutcome = { executed, problems, fatal: false, cellsRun: 0, cellsTotal: todo.length };
  if (todo.length === 0) return out;

  const kernelName = opts.kernelName ?? (executed.metadata.kernelspec as { name?: string } | undefined)?.name;
  if (!kernelName) { problems.push("no kernel: the notebook has no metadata.kernelspec.name (use --kernel NAME)"); out.fatal = true; return out; }
  const launch = kernelLaunch(kernelName, opts);
  if (typeof launch === "string") { problems.push(launch); out.fatal = true; return out; }

  let kernel: KernelClient;
  try {
    kernel = await KernelClient.launch({ ...launch, cwd: opts.cwd, echoStderr: opts.echoKernelStderr, startTimeoutMs: (opts.startTimeout ?? 60) * 1000 });
  } catch (e) {
    problems.push(`kernel "${kernelName}" failed to start: ${firstLine((e as Error).message)}`);
    out.fatal = true;
    return out;
  }
  if (kernel.info.language_info) executed.metadata.language_info = kernel.info.language_info;

  // the notebook's clock starts once its kernel is ready: start-up has its own timeout
  const deadline = Date.now() + opts.timeout * 1000;
  const collector = new OutputCollector();
  let stopAt = -1;
  try {
    for (const i of todo) {
      const cell = cells[i];
      const label = cellLabel(i, cell);
      const tags = cellTags(cell);
      const mayRaise = tags.includes("raises-exception");
      const sink: CellSink = { outputs: [], execution_count: null, execution: {} };
      collector.begin(i, sink);
      const duplicates: string[] = [];
      const remaining = (deadline - Date.now()) / 1000;
      const notebookBound = remaining < opts.cellTimeout;
      const limit = Math.max(0, Math.min(opts.cellTimeout, remaining));
      const commit = () => {
        collector.end();
        cell.outputs = sink.outputs;
        cell.execution_count = sink.execution_count;
        (cell.metadata as Record<string, unknown>).execution = sink.execution;
      };
      let reply;
      try {
        const r = await kernel.execute(cellSource(cell), {
          timeoutMs: Number.isFinite(limit) ? limit * 1000 : undefined,
          graceMs: (opts.interruptGrace ?? 5) * 1000,
          stopOnError: !mayRaise,
          onIopub: (m) => collector.handle(m),
          onReply: (m) => { sink.execution["shell.execute_reply"] = m.header.date.replace(/\+00:00$/, "Z"); },
          onDuplicate: (m) => duplicates.push(`${m.header.msg_type} ${m.header.msg_id}`),
        });
        commit();
        reply = r.reply;
        if (r.timedOut) {
          problems.push(notebookBound
            ? `${label}: notebook timed out after ${opts.timeout} s (cell interrupted)`
            : `${label}: timed out after ${opts.cellTimeout} s (cell interrupted)`);
          stopAt = i + 1;
          break;
        }
      } catch (e) {
        commit();
        if (e instanceof KernelDied) problems.push(`${label}: kernel died (${describeExit(e.exit)}) while running cell ${i + 1}`);
        else if (e instanceof CellTimeout) {
          problems.push(notebookBound
            ? `${label}: notebook timed out after ${opts.timeout} s; kernel killed (it ignored the interrupt)`
            : `${label}: timed out after ${opts.cellTimeout} s; kernel killed (it ignored the interrupt)`);
        } else problems.push(`${label}: ${firstLine((e as Error).message)}`);
        stopAt = i + 1;
        break;
      }
      out.cellsRun++;
      opts.onCell?.(out.cellsRun, out.cellsTotal);
      if (reply.content.execution_count != null && cell.execution_count == null) cell.execution_count = reply.content.execution_count;
      for (const d of duplicates) problems.push(`${label}: the kernel sent iopub message ${d} twice (counted once)`);
      const err = (cell.outputs as Output[]).find((o) => o.output_type === "error");
      const status = reply.content.status;
      const failed = status === "error" || status === "aborted" || !!err;
      if (mayRaise) {
        if (!failed) { problems.push(`${label}: tagged raises-exception but did not raise`); stopAt = i + 1; break; }
        continue;
      }
      if (failed) {
        const ename = err?.ename ?? reply.content.ename ?? (status === "aborted" ? "aborted" : "error");
        const evalue = err?.evalue ?? reply.content.evalue ?? "";
        problems.push(`${label}: ${stripAnsi(ename)}${evalue ? `: ${firstLine(evalue)}` : ""}`);
        stopAt = i + 1;
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  if (stopAt >= 0) out.failedCell = stopAt - 1;
  // cells after a failure did not run in this execution: their stored outputs would be stale
  for (let j = stopAt < 0 ? cells.length : stopAt; j < cells.length; j++) {
    if (cells[j].cell_type === "code" && isExecutable(cells[j])) { cells[j].outputs = []; cells[j].execution_count = null; }
  }
  return out;
}
