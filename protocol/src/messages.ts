/**
 * The content of Jupyter messages (messaging spec 5.4): each request's shape (type and parser at once), its reply,
 * and the iopub messages a kernel publishes. A kernel checks what it receives with `requests.parse` (and
 * `notices`, `stdinMessages`); a client builds what it sends with the same types. Adding a request is one entry in
 * `REQUESTS` and one in `Replies`.
 * @see https://jupyter-client.readthedocs.io/en/stable/messaging.html
 */
import * as shape from "./shape";

/** A MIME bundle: MIME type → data (a string, or JSON for `application/json`-like types). */
export type MimeBundle = Record<string, unknown>;

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
/** Any request may be answered with an error (messaging spec, "Request-Reply"). */
export type ErrorReply = { status: "error" } & ErrorContent;

/** A cursor: an offset into `code` in Unicode code points (spec ≥ 5.2); never negative. */
const cursor = shape.optional(shape.refine(shape.integer, "a non-negative integer", (n) => n >= 0));
const none = shape.object({});

/** Content shapes of every request Folio answers, keyed by message type. */
export const REQUESTS = {
  kernel_info_request: none,
  connect_request: none,
  comm_info_request: shape.object({ target_name: shape.optional(shape.string) }),
  shutdown_request: shape.object({ restart: shape.optional(shape.boolean) }),
  interrupt_request: none,
  execute_request: shape.object({
    code: shape.string,
    silent: shape.optional(shape.boolean),
    store_history: shape.optional(shape.boolean),
    user_expressions: shape.optional(shape.record(shape.string)),
    allow_stdin: shape.optional(shape.boolean),
    stop_on_error: shape.optional(shape.boolean),
  }),
  complete_request: shape.object({ code: shape.string, cursor_pos: cursor }),
  inspect_request: shape.object({
    code: shape.string,
    cursor_pos: cursor,
    detail_level: shape.optional(shape.literal(0, 1)),
  }),
  is_complete_request: shape.object({ code: shape.string }),
  history_request: shape.object({
    output: shape.optional(shape.boolean),
    raw: shape.optional(shape.boolean),
    hist_access_type: shape.literal("range", "tail", "search"),
    session: shape.optional(shape.integer),
    start: shape.optional(shape.integer),
    stop: shape.optional(shape.integer),
    n: shape.optional(shape.integer),
    pattern: shape.optional(shape.string),
    unique: shape.optional(shape.boolean),
  }),
};

export type RequestType = keyof typeof REQUESTS;
export type Requests = { [K in RequestType]: shape.Infer<(typeof REQUESTS)[K]> };
export type ExecuteRequest = Requests["execute_request"];
export type HistoryRequest = Requests["history_request"];

const commData = shape.optional(shape.record(shape.unknown));

/** Messages a client sends on shell that get no reply: comms (messaging spec, "Custom Messages"). */
export const NOTICES = {
  comm_open: shape.object({
    comm_id: shape.string,
    target_name: shape.string,
    data: commData,
    target_module: shape.optional(shape.string),
  }),
  comm_msg: shape.object({ comm_id: shape.string, data: commData }),
  comm_close: shape.object({ comm_id: shape.string, data: commData }),
};
export type NoticeType = keyof typeof NOTICES;
export type Notices = { [K in NoticeType]: shape.Infer<(typeof NOTICES)[K]> };

/** What a client sends on stdin: the answer to the kernel's input_request. */
export const STDIN = {
  input_reply: shape.object({ value: shape.string }),
};
export type StdinType = keyof typeof STDIN;
export type StdinMessages = { [K in StdinType]: shape.Infer<(typeof STDIN)[K]> };

/** A family of message types, each with its content shape: which types it has, and the typed content of one. */
export interface ShapeTable<T> {
  has(type: string): type is Extract<keyof T, string>;
  /** The content checked against its type's shape; the reason names the wrong field. */
  parse<K extends keyof T>(type: K, content: unknown): shape.Parsed<T[K]>;
}

function shapeTable<T>(shapes: { [K in keyof T]: shape.Shape<T[K]> }): ShapeTable<T> {
  return {
    // own keys only: "constructor" or "__proto__" are not message types
    has: (type): type is Extract<keyof T, string> => Object.hasOwn(shapes, type),
    parse: (type, content) => shapes[type].parse(content, "content"),
  };
}

export const requests = shapeTable<Requests>(REQUESTS);
export const notices = shapeTable<Notices>(NOTICES);
export const stdinMessages = shapeTable<StdinMessages>(STDIN);

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer?: string;
  codemirror_mode?: string | Record<string, unknown>;
  nbconvert_exporter?: string;
}

export type UserExpressionResult = { status: "ok"; data: MimeBundle; metadata: Record<string, unknown> } | ErrorReply;
export interface PagePayload {
  source: "page";
  data: MimeBundle;
  start: number;
}
/** A history row: [session, line, input] or, with `output`, [session, line, [input, output]]. */
export type HistoryRow = [number, number, string | [string, string | null]];

/** Reply content of each request (besides the error reply any request may get). */
export interface Replies {
  kernel_info_request: {
    status: "ok";
    protocol_version: string;
    implementation: string;
    implementation_version: string;
    language_info: LanguageInfo;
    banner: string;
    help_links?: { text: string; url: string }[];
    debugger?: boolean;
    supported_features?: string[];
  };
  connect_request: {
    status: "ok";
    shell_port: number;
    iopub_port: number;
    stdin_port: number;
    hb_port: number;
    control_port: number;
  };
  comm_info_request: { status: "ok"; comms: Record<string, { target_name: string }> };
  shutdown_request: { status: "ok"; restart: boolean };
  interrupt_request: { status: "ok" };
  execute_request:
    | {
        status: "ok";
        execution_count: number;
        payload: PagePayload[];
        user_expressions: Record<string, UserExpressionResult>;
      }
    | ({
        status: "error";
        execution_count: number;
        user_expressions: Record<string, UserExpressionResult>;
      } & ErrorContent)
    /** An execute aborted after an earlier error: no execution count, so front ends leave `In [ ]` (as ipykernel). */
    | { status: "aborted" };
  complete_request: {
    status: "ok";
    matches: string[];
    cursor_start: number;
    cursor_end: number;
    metadata: Record<string, unknown>;
  };
  inspect_request: { status: "ok"; found: boolean; data: MimeBundle; metadata: Record<string, unknown> };
  is_complete_request: { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };
  history_request: { status: "ok"; history: HistoryRow[] };
}

export type Reply<K extends RequestType> = Replies[K] | ErrorReply;

/** `x_request` → `x_reply`: the one place a reply's type is derived. */
export function replyType(requestType: string): string {
  return requestType.endsWith("_request")
    ? `${requestType.slice(0, -"_request".length)}_reply`
    : `${requestType}_reply`;
}

/** iopub content by message type. */
export interface Iopub {
  status: { execution_state: "busy" | "idle" | "starting" };
  execute_input: { code: string; execution_count: number };
  stream: { name: "stdout" | "stderr"; text: string };
  display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update_display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id: string } };
  execute_result: { execution_count: number; data: MimeBundle; metadata: Record<string, unknown> };
  error: ErrorContent;
  clear_output: { wait: boolean };
  /** Sent on every new subscription (JEP 65, spec 5.4): the subscriber knows its iopub is live. */
  iopub_welcome: { subscription: string };
  /** Comms opened, used and closed by the kernel (messaging spec, "Custom Messages"); buffers travel as frames. */
  comm_open: { comm_id: string; target_name: string; data: Record<string, unknown>; target_module?: string };
  comm_msg: { comm_id: string; data: Record<string, unknown> };
  comm_close: { comm_id: string; data: Record<string, unknown> };
}
export type IopubType = keyof Iopub;
