/**
 * execute_request: the execution count, execute_input, one output sink for the request, the cell run by the
 * executor, its result or error on iopub, user_expressions, and the history entry. `name?` pages the inspection
 * of `name` instead of running anything (IPython's convention).
 */
import { appendFileSync } from "node:fs";
import type { ExecuteRequest, Reply, UserExpressionResult } from "@folio/protocol/jupyter";
import type { Executor } from "./executor/executor";
import { PAGER_REQUEST } from "./executor/is-complete";
import type { Renderer } from "./display/render";
import type { History } from "./history";
import type { LanguageLifecycle } from "./language-lifecycle";
import { RequestSink, type Publish } from "./output/sink";
import type { RequestContext } from "./requests";
import type { InputContext } from "./stdin/input";
import type { ModuleGraph } from "./executor/modules";

const DEBUG_LOG = process.env.FOLIO_DEBUG_LOG;

export interface ExecuteDeps {
  executor: Executor;
  renderer: Renderer;
  history: History;
  language: LanguageLifecycle;
  publish: Publish;
  /** Makes `sink` the one cells write to (and stray output after the cell, until the next request). */
  setSink(sink: RequestSink): void;
  /** Where `prompt()` asks while the cell runs (its routing, parent and allow_stdin), and the end of that. */
  input: { begin(ctx: InputContext): void; end(): void };
  /** Local modules: those changed since loaded are reloaded before the cell runs. */
  modules: ModuleGraph;
}

export class Execution {
  /** The execution counter: incremented by every execute that stores history (messaging spec). */
  count = 0;
  constructor(private readonly deps: ExecuteDeps) {}

  async execute(req: ExecuteRequest, { msg, receivedAt }: RequestContext): Promise<Reply<"execute_request">> {
    const { executor, renderer, publish } = this.deps;
    const silent = !!req.silent;
    const store = !silent && req.store_history !== false;
    if (store) this.count++;
    const count = this.count;
    const sink = new RequestSink(publish, msg, silent);
    this.deps.setSink(sink);
    const page = PAGER_REQUEST.exec(req.code);
    // The cell's check starts first (the executor sends it before its first await): the language process checks
    // while this thread publishes execute_input, records history and looks for changed modules, all of which
    // happens before the cell can run.
    const t0 = performance.now();
    const running = page ? undefined : executor.execute(req.code, `Cell In[${count}]`);
    if (!silent) publish(msg, "execute_input", { code: req.code, execution_count: count });
    const entry = store ? this.deps.history.add(count, req.code) : undefined;
    if (page || !running) {
      const name = page?.[1] ?? "";
      const r = await this.deps.language.get().inspect(name, name.length);
      return {
        status: "ok",
        execution_count: count,
        payload: [
          {
            source: "page",
            data: r ? { "text/plain": r.plain, "text/markdown": r.markdown } : { "text/plain": `${name}: not found` },
            start: 0,
          },
        ],
        user_expressions: {},
      };
    }
    const reload = this.deps.modules.reloadChanged();
    for (const { file, error } of reload.failed)
      sink.stream(
        "stderr",
        `${file} changed but does not load (the old code stays): ${(error as Error)?.message ?? error}\n`,
      );
    this.deps.input.begin({ ids: msg.ids, header: msg.header, allowStdin: req.allow_stdin === true });
    const outcome = await running.finally(() => {
      this.deps.input.end();
      this.deps.modules.scan();
    });
    if (DEBUG_LOG)
      appendFileSync(
        DEBUG_LOG,
        `main: cell ${count} execute ${(performance.now() - t0).toFixed(1)} ms, compile ${executor.compileMs.toFixed(1)} ms (since receipt ${(performance.now() - receivedAt).toFixed(1)})\n`,
      );
    sink.flush();
    const user_expressions = await this.userExpressions(req.user_expressions ?? {});
    if (outcome.status === "error") {
      const { ename, evalue, traceback } = outcome;
      if (!silent) publish(msg, "error", { ename, evalue, traceback });
      return { status: "error", execution_count: count, ename, evalue, traceback, user_expressions };
    }
    if (outcome.hasValue && !silent) {
      const data = renderer.render(outcome.value);
      if (data) {
        publish(msg, "execute_result", { execution_count: count, data, metadata: {} });
        if (entry && typeof data["text/plain"] === "string") entry.output = data["text/plain"];
      }
    }
    return { status: "ok", execution_count: count, payload: [], user_expressions };
  }

  private async userExpressions(exprs: Record<string, string>): Promise<Record<string, UserExpressionResult>> {
    const out: Record<string, UserExpressionResult> = {};
    for (const [name, expr] of Object.entries(exprs)) {
      const r = await this.deps.executor.execute(`(${expr})`, `user_expressions[${JSON.stringify(name)}]`, {
        check: false,
        commit: false,
      });
      const value: UserExpressionResult =
        r.status === "ok"
          ? { status: "ok", data: this.deps.renderer.render(r.value) ?? { "text/plain": "undefined" }, metadata: {} }
          : { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
