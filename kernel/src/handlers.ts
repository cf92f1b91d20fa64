/** The handlers of the kernel's request table (see requests.ts), one per request type. */
import type { ConnectionInfo } from "@folio/protocol/jupyter";
import type { Execution } from "./execute";
import type { History } from "./history";
import { kernelInfo } from "./kernel-info";
import type { LanguageLifecycle } from "./language-lifecycle";
import type { NoticeHandlers, RequestContext, RequestHandlers } from "./requests";
import type { CommManager, CommMessage } from "./comm/comm";

export interface HandlerDeps {
  info: ConnectionInfo;
  language: LanguageLifecycle;
  execution: Execution;
  history: History;
  comms: CommManager;
  interrupt(): void;
  /** Closes the sockets and exits (after the reply is sent). */
  shutdown(): Promise<void>;
}

export function requestHandlers(d: HandlerDeps): RequestHandlers {
  return {
    // Answered at once, without waiting for the type checker (which starts after this reply: kernel.ts):
    // jupyter_client sends kernel_info again after 1 s without a reply, and a client's first cell simply
    // queues behind the checker's start-up.
    kernel_info_request: async () => kernelInfo(),
    connect_request: async () => {
      const { shell_port, iopub_port, stdin_port, hb_port, control_port } = d.info;
      return { status: "ok", shell_port, iopub_port, stdin_port, hb_port, control_port };
    },
    comm_info_request: async ({ target_name }) => ({ status: "ok", comms: d.comms.info(target_name || undefined) }),
    shutdown_request: async ({ restart }, ctx) => {
      ctx.afterReply(() => d.shutdown());
      return { status: "ok", restart: !!restart };
    },
    interrupt_request: async () => {
      d.interrupt();
      return { status: "ok" };
    },
    execute_request: (content, ctx) => d.execution.execute(content, ctx),
    complete_request: async ({ code, cursor_pos }) => {
      const r = await d.language.get().complete(code, cursorIn(code, cursor_pos));
      return { status: "ok", matches: r.matches, cursor_start: r.start, cursor_end: r.end, metadata: {} };
    },
    inspect_request: async ({ code, cursor_pos }) => {
      const r = await d.language.get().inspect(code, cursorIn(code, cursor_pos));
      return {
        status: "ok",
        found: !!r,
        data: r ? { "text/plain": r.plain, "text/markdown": r.markdown } : {},
        metadata: {},
      };
    },
    is_complete_request: async ({ code }) => {
      const r = await d.language.get().isComplete(code);
      return r.status === "incomplete" ? { status: r.status, indent: r.indent ?? "" } : { status: r.status };
    },
    history_request: async (req) => ({ status: "ok", history: d.history.query(req) }),
  };
}

/** A client's cursor, at most the end of the code (a cursor far past it once held the type checker for minutes). */
function cursorIn(code: string, cursor: number | undefined): number {
  return Math.min(cursor ?? code.length, code.length);
}

/** What a comm message carries besides its content. */
export type CommMeta = Omit<CommMessage, "data">;

/**
 * Comm messages from a front end, each handed to the comm registry by `run`, which gives it its own output sink
 * (the kernel's busy/idle surround it as for a request).
 */
export function noticeHandlers(
  run: (handle: (m: CommMeta) => Promise<void>, ctx: RequestContext) => Promise<void>,
  comms: () => CommManager,
): NoticeHandlers {
  return {
    comm_open: (content, ctx) => run((m) => comms().handleOpen(content, m), ctx),
    comm_msg: (content, ctx) => run((m) => comms().handleMsg(content, m), ctx),
    comm_close: (content, ctx) => run((m) => comms().handleClose(content, m), ctx),
  };
}
