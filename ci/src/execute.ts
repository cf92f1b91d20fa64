/**
 * Executing one notebook through a fresh kernel, cell by cell, the way nbclient does: stop at the first
 * unexpected error (unless errors are allowed), honour each cell's directives, per-cell and per-notebook
 * timeouts, and turn every failure (dead kernel, hung cell, duplicated message) into a `Failure` naming the cell.
 * Which kernel, which cells and what they expect are decided by the caller.
 */
import { CellTimeout, KernelClient, KernelDied, describeExit, type LaunchOptions, type Message } from "./client";
import type { CellDirectives } from "./directives";
import type { Failure } from "./failure";
import { stripAnsi, type CodeCell, type ErrorOutput, type Notebook } from "./nbformat";
import { OutputCollector, type CellSink } from "./outputs";
import { WidgetStateCollector } from "./widgets";

export interface ExecOptions {
  /** How to start the kernel, and the directory it runs in (the notebook's). */
  launch: LaunchOptions;
  cwd: string;
  /** Each cell's directives (skip, raises…). */
  directives: (index: number) => CellDirectives;
  /** Seconds per cell / per notebook (Infinity: none). */
  cellTimeout: number;
  timeout: number;
  /** Seconds to wait after an interrupt before killing the kernel. */
  interruptGrace?: number;
  startTimeout?: number;
  echoKernelStderr?: boolean;
  /** nbmake's `allow_errors`: a cell's error is recorded in its outputs and the run goes on. */
  allowErrors?: boolean;
  /** Run no cell after this index (cells after the last one selected need not run). */
  lastCell?: number;
  /** Called after each executed cell with (done, total). */
  onCell?: (done: number, total: number) => void;
  /** Aborted (Ctrl-C): the kernel is killed at once and the outcome says `interrupted`. */
  signal?: AbortSignal;
}

export interface ExecOutcome {
  executed: Notebook;
  failures: Failure[];
  cellsRun: number;
  cellsTotal: number;
  /** Index of the cell that stopped the run, if one did. */
  stoppedAt?: number;
  /** The run was stopped by `signal`: its failures and outputs are not a verdict. */
  interrupted?: boolean;
  /** The kernel's kernel_info reply content. */
  // biome-ignore lint/suspicious/noExplicitAny: the reply as the kernel sent it
  kernelInfo: Record<string, any>;
  /** Each executed cell's execute_reply metadata, by cell index (the Folio kernel reports the files it read there). */
  replyMetadata: Map<number, Record<string, unknown>>;
}

function firstLine(s: string): string {
  return (
    stripAnsi(s)
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? ""
  );
}

/** The code cells that will run, in order. */
function runnable(nb: Notebook, directives: ExecOptions["directives"]): number[] {
  return nb.cells.flatMap((c, i) =>
    c.cell_type === "code" && c.source.trim() !== "" && !directives(i).skip ? [i] : [],
  );
}

/** Runs the code cells of `nb` (a copy is returned; `nb` is not touched). */
export async function executeNotebook(nb: Notebook, opts: ExecOptions): Promise<ExecOutcome> {
  const executed: Notebook = JSON.parse(JSON.stringify(nb));
  const failures: Failure[] = [];
  const cells = executed.cells;
  const all = runnable(executed, opts.directives);
  const todo = all.filter((i) => i <= (opts.lastCell ?? Infinity));
  const out: ExecOutcome = {
    executed,
    failures,
    cellsRun: 0,
    cellsTotal: todo.length,
    kernelInfo: {},
    replyMetadata: new Map(),
  };
  if (todo.length === 0) return out;

  let kernel: KernelClient;
  try {
    kernel = await KernelClient.launch({
      ...opts.launch,
      cwd: opts.cwd,
      echoStderr: opts.echoKernelStderr,
      startTimeoutMs: (opts.startTimeout ?? 60) * 1000,
    });
  } catch (e) {
    failures.push({ kind: "kernel-start", message: `kernel failed to start: ${firstLine((e as Error).message)}` });
    return out;
  }
  // Ctrl-C: the kernel goes at once (the cell it runs is thrown away); the loop below sees `interrupted`
  const stop = () => {
    out.interrupted = true;
    void kernel.kill();
  };
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener("abort", stop, { once: true });
  out.kernelInfo = kernel.info;
  if (kernel.info.language_info) executed.metadata.language_info = kernel.info.language_info;

  // the notebook's clock starts once its kernel is ready: start-up has its own timeout
  const deadline = Date.now() + opts.timeout * 1000;
  const collector = new OutputCollector();
  const widgets = new WidgetStateCollector();
  try {
    for (const i of todo) {
      if (out.interrupted) break;
      const cell = cells[i] as CodeCell;
      const at = { index: i, id: cell.id };
      const mayRaise = opts.directives(i).raises;
      const sink: CellSink = { outputs: [], execution_count: null, execution: {} };
      collector.begin(i, sink);
      const duplicates: Message[] = [];
      const remaining = (deadline - Date.now()) / 1000;
      const notebookBound = remaining < opts.cellTimeout;
      const limit = Math.max(0, Math.min(opts.cellTimeout, remaining));
      const commit = () => {
        collector.end();
        cell.outputs = sink.outputs;
        cell.execution_count = sink.execution_count;
        cell.metadata.execution = sink.execution;
      };
      const timedOut = (killed: boolean): Failure => ({
        cell: at,
        kind: killed ? "timeout-killed" : "timeout",
        message: `${notebookBound ? `notebook timed out after ${opts.timeout} s` : `timed out after ${opts.cellTimeout} s`}${killed ? "; kernel killed (it ignored the interrupt)" : " (cell interrupted)"}`,
        detail: { source: cell.source },
      });
      let reply: Message;
      try {
        const r = await kernel.execute(cell.source, {
          timeoutMs: Number.isFinite(limit) ? limit * 1000 : undefined,
          graceMs: (opts.interruptGrace ?? 5) * 1000,
          stopOnError: !mayRaise && !opts.allowErrors,
          onIopub: (m) => {
            collector.handle(m);
            widgets.handle(m);
          },
          onReply: (m) => {
            sink.execution["shell.execute_reply"] = m.header.date.replace(/\+00:00$/, "Z");
          },
          onDuplicate: (m) => duplicates.push(m),
        });
        commit();
        reply = r.reply;
        if (r.timedOut) {
          failures.push(timedOut(false));
          out.stoppedAt = i;
          break;
        }
      } catch (e) {
        commit();
        if (out.interrupted) break;
        if (e instanceof KernelDied)
          failures.push({
            cell: at,
            kind: "kernel-died",
            message: `kernel died (${describeExit(e.exit)}) while running cell ${i + 1}`,
            detail: { source: cell.source },
          });
        else if (e instanceof CellTimeout) failures.push(timedOut(true));
        else failures.push({ cell: at, kind: "runner", message: firstLine((e as Error).message) });
        out.stoppedAt = i;
        break;
      }
      out.cellsRun++;
      opts.onCell?.(out.cellsRun, out.cellsTotal);
      out.replyMetadata.set(i, reply.metadata ?? {});
      if (reply.content.execution_count != null && cell.execution_count == null)
        cell.execution_count = reply.content.execution_count;
      for (const d of duplicates)
        failures.push({
          cell: at,
          kind: "protocol",
          message: `the kernel sent iopub message ${d.header.msg_type} ${d.header.msg_id} twice (counted once)`,
        });
      const err = cell.outputs.find((o): o is ErrorOutput => o.output_type === "error");
      const status = reply.content.status;
      const failed = status === "error" || status === "aborted" || !!err;
      if (mayRaise) {
        if (!failed) {
          failures.push({
            cell: at,
            kind: "did-not-raise",
            message: "tagged raises-exception but did not raise",
            detail: { source: cell.source },
          });
          out.stoppedAt = i;
          break;
        }
        continue;
      }
      if (failed && !opts.allowErrors) {
        const ename = err?.ename ?? reply.content.ename ?? (status === "aborted" ? "aborted" : "error");
        const evalue = err?.evalue ?? reply.content.evalue ?? "";
        const tb = err?.traceback ?? reply.content.traceback;
        failures.push({
          cell: at,
          kind: "error",
          message: `${stripAnsi(ename)}${evalue ? `: ${firstLine(evalue)}` : ""}`,
          detail: { source: cell.source, traceback: Array.isArray(tb) ? stripAnsi(tb.join("\n")) : undefined },
        });
        out.stoppedAt = i;
        break;
      }
    }
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    await kernel.shutdown();
  }
  widgets.saveInto(executed);
  // cells after a failure (or after the last one selected) did not run: their stored outputs would be stale
  const from = Math.min(out.stoppedAt === undefined ? Infinity : out.stoppedAt + 1, (opts.lastCell ?? Infinity) + 1);
  for (const j of all)
    if (j >= from) {
      const c = cells[j] as CodeCell;
      c.outputs = [];
      c.execution_count = null;
    }
  return out;
}
