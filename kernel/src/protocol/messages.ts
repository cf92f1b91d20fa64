/** Content shapes of the requests Folio answers and the one rule that names every reply. */

export type Status = "ok" | "error" | "aborted";

export interface ErrorContent { ename: string; evalue: string; traceback: string[] }

/** Replies carry `status`; an error reply adds ename/evalue/traceback (messaging spec, "Request-Reply"). */
export type Reply<C> = ({ status: "ok" } & C) | ({ status: "error" } & ErrorContent) | { status: "aborted" };

/** `x_request` → `x_reply`: the only place a reply's type is derived. */
export function replyType(requestType: string): string {
  return requestType.endsWith("_request") ? requestType.slice(0, -"_request".length) + "_reply" : `${requestType}_reply`;
}

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}
export interface CompleteRequest { code: string; cursor_pos: number }
export interface InspectRequest { code: string; cursor_pos: number; detail_level?: 0 | 1 }
export interface IsCompleteRequest { code: string }
export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}
export interface ShutdownRequest { restart?: boolean }
