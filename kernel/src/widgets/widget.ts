/**
 * A widget model on the kernel side of the Jupyter widgets protocol 2.1.0 (ipywidgets 8; jupyter-widgets
 * `packages/schema/messages.md`): its state is synced with every front end over one comm to the `jupyter.widget`
 * target.
 *
 * - opened with `comm_open {state, buffer_paths}` and `metadata.version = "2.1.0"`; a state value that is a widget
 *   travels as the string `"IPY_MODEL_<id>"`, so the widgets it refers to (children, layout, style) are opened
 *   first (they are constructed first);
 * - `update {state, buffer_paths}` both ways; a front end's update is echoed to all front ends (`echo_update`,
 *   parented to the front end's message) before it is applied, and a value the kernel's observers leave as the
 *   front end sent it is not sent back;
 * - `request_state` is answered with an `update` of the whole state; `custom` carries free-form content;
 * - binary values (ArrayBuffer views) anywhere in the state travel as buffers, located by `buffer_paths`.
 *
 * Outside a kernel a widget still works (state, observers), it just has no front end to talk to.
 */
import { kernelBridge } from "../comm/bridge";
import type { Comm, CommMessage } from "../comm/comm";
import type { MimeBundle } from "@folio/protocol/jupyter";

export const PROTOCOL_VERSION = "2.1.0";
export const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const WIDGET_TARGET = "jupyter.widget";
const REF = "IPY_MODEL_";
const BRAND = Symbol.for("folio.widget");
const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export type State = Record<string, unknown>;
export type Path = (string | number)[];

/** The model and view a front end instantiates (`_model_module`, `_model_name`, ...). */
export interface ModelSpec {
  model: [module: string, version: string, name: string];
  view: [module: string, version: string, name: string | null];
}
export const CONTROLS: [string, string] = ["@jupyter-widgets/controls", "2.0.0"];
export const BASE: [string, string] = ["@jupyter-widgets/base", "2.0.0"];

/** One attribute's change, as observers receive it. */
// biome-ignore lint/suspicious/noExplicitAny: any state: Widget<unknown> would reject every concrete widget
export type AnyWidget = Widget<any>;
export interface Change<T = unknown, W = AnyWidget> {
  name: string;
  old: T;
  new: T;
  owner: W;
}

/** Is `x` a widget (of any copy of this module)? */
export function isWidget(x: unknown): x is AnyWidget {
  return typeof x === "object" && x !== null && (x as { [BRAND]?: boolean })[BRAND] === true;
}

/** Models created outside a kernel, or before their comm opened: found by id all the same. */
const detached = new Map<string, AnyWidget>();

/** The widget with this model id, if the kernel (or this module) knows it. */
export function widgetById(id: string): AnyWidget | undefined {
  const owner = kernelBridge()?.comms.get(id)?.owner;
  return isWidget(owner) ? owner : detached.get(id);
}

/** Every open widget's model, for `update_states` and saved state. */
export function allWidgets(): AnyWidget[] {
  const b = kernelBridge();
  if (!b) return [...detached.values()];
  return Object.keys(b.comms.info(WIDGET_TARGET))
    .map((id) => b.comms.get(id)?.owner)
    .filter(isWidget);
}

/** `S`: the synced state; `O`: what `observe` can watch (the state, plus attributes derived from it). */
export class Widget<S extends object = State, O extends object = S> {
  readonly [BRAND] = true;
  readonly id: string;
  protected readonly state: S;
  private readonly comm: Comm | undefined;
  private readonly observers = new Map<string, ((c: Change<never, never>) => void | Promise<void>)[]>();
  private readonly customHandlers: ((content: unknown, buffers: Uint8Array[]) => void | Promise<void>)[] = [];
  /** Values the front end just sent, while they are applied: observers that keep them do not echo them back. */
  private lock: State | undefined;
  /** Changes made while applying a front end's update, sent as one update at the end. */
  private held: Set<string> | undefined;

  constructor(spec: ModelSpec, state: S, opts: { comm?: Comm } = {}) {
    const [mm, mv, mn] = spec.model,
      [vm, vv, vn] = spec.view;
    this.state = {
      _model_module: mm,
      _model_module_version: mv,
      _model_name: mn,
      _view_module: vm,
      _view_module_version: vv,
      _view_name: vn,
      ...state,
    } as S;
    const bridge = kernelBridge();
    if (opts.comm) {
      this.comm = opts.comm;
    } else if (bridge) {
      const { state: json, paths, buffers } = serialize(this.raw);
      this.comm = bridge.comms.open(
        WIDGET_TARGET,
        { state: json, buffer_paths: paths },
        { version: PROTOCOL_VERSION },
        buffers,
      );
    }
    this.id = this.comm?.id ?? `detached-${detached.size + 1}-${Date.now().toString(36)}`;
    if (this.comm) {
      this.comm.owner = this;
      this.comm.onMsg((m) => this.receive(m));
      this.comm.onClose(() => {
        detached.delete(this.id);
      });
    } else {
      detached.set(this.id, this);
    }
  }

  /** The model's whole state as it is synced (JSON values, widgets as widgets, binary values as views). */
  get(): Readonly<S>;
  get<K extends keyof S & string>(name: K): S[K];
  get(name?: string): unknown {
    return name === undefined ? { ...this.state } : this.raw[name];
  }

  /** The state as a plain record (for code that does not know S). */
  protected get raw(): State {
    return this.state as unknown as State;
  }

  /** Sets attributes: observers run, then front ends get one `update` with what changed. */
  set(changes: Partial<S>): void {
    const changed: string[] = [];
    const events: Change[] = [];
    for (const [k, v] of Object.entries(changes)) {
      const old = this.raw[k];
      if (sameValue(old, v)) continue;
      this.raw[k] = v;
      changed.push(k);
      events.push({ name: k, old, new: v, owner: this });
    }
    const toSend = changed.filter((k) => !(this.lock && k in this.lock && sameValue(this.lock[k], this.raw[k])));
    if (this.held) toSend.forEach((k) => this.held!.add(k));
    else this.sendState(toSend);
    for (const e of events) this.notify(e);
  }

  /**
   * Calls `callback` when attribute `name` changes (from the kernel or a front end); returns a function that
   * removes it. A callback that throws or rejects is reported on stderr (or in the Output capturing it).
   */
  observe<K extends keyof O & string>(
    name: K,
    callback: (change: Change<O[K], this>) => void | Promise<void>,
  ): () => void {
    const list = this.observers.get(name) ?? [];
    list.push(callback as (c: Change<never, never>) => void);
    this.observers.set(name, list);
    return () => {
      const l = this.observers.get(name);
      if (l) l.splice(l.indexOf(callback as never), 1);
    };
  }

  /** Sends a `custom` message to the front-end model. */
  send(content: unknown, buffers: Uint8Array[] = []): void {
    this.comm?.send({ method: "custom", content }, {}, buffers);
  }

  /** Calls `handler` for each `custom` message from a front end. */
  onCustom(handler: (content: unknown, buffers: Uint8Array[]) => void | Promise<void>): void {
    this.customHandlers.push(handler);
  }

  /** Handles a `custom` message as if a front end had sent it; settles when its handlers are done. */
  protected async receiveCustom(content: unknown, buffers: Uint8Array[] = []): Promise<void> {
    await Promise.all(this.customHandlers.map((h) => runCallback(() => h(content, buffers))));
  }

  /** Closes the comm: front ends drop the model and its views. */
  close(): void {
    this.comm?.close();
    detached.delete(this.id);
  }

  /** What a front end shows (`application/vnd.jupyter.widget-view+json`, with a text/plain fallback). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { [VIEW_MIME]: { model_id: this.id, version_major: 2, version_minor: 0 }, "text/plain": this.toString() };
  }

  toString(): string {
    const name = String(this.raw._model_name).replace(/Model$/, "");
    const v = this.raw.value;
    return v === undefined ? `${name}()` : `${name}(value=${JSON.stringify(v)})`;
  }

  /** The synced state as JSON with its buffers (what `update_states` and saved notebooks carry). */
  serialized(): { state: State; paths: Path[]; buffers: Uint8Array[] } {
    return serialize(this.raw);
  }

  /** @internal observers run in order; an async one is awaited so its outputs come before the message's idle. */
  protected notify(e: Change): void {
    for (const cb of this.observers.get(e.name) ?? []) this.track(runCallback(() => cb(e as Change<never, never>)));
  }

  /** Callbacks started while a front end's message is handled (awaited before that message counts as done). */
  private pending: Promise<void>[] | undefined;
  private track(p: Promise<void>): void {
    this.pending?.push(p);
  }

  private sendState(keys: string[]): void {
    if (!this.comm || !keys.length) return;
    const part: State = {};
    for (const k of keys) part[k] = this.raw[k];
    const { state, paths, buffers } = serialize(part);
    this.comm.send({ method: "update", state, buffer_paths: paths }, {}, buffers);
  }

  /** A front end's message on this widget's comm. */
  private async receive(m: CommMessage): Promise<void> {
    this.pending = [];
    try {
      this.dispatch(m);
    } finally {
      const started = this.pending;
      this.pending = undefined;
      await Promise.all(started);
    }
  }

  private dispatch(m: CommMessage): void {
    const method = m.data.method;
    if (method === "update") {
      const state = deserialize(
        insertBuffers((m.data.state ?? {}) as State, (m.data.buffer_paths ?? []) as Path[], m.buffers),
      );
      // Echo first, so every front end orders this change before whatever the observers send (protocol 2.1.0).
      const echo = Object.keys(state).filter((k) => this.echoes(k));
      if (echo.length && this.comm) {
        const part: State = {};
        for (const k of echo) part[k] = (m.data.state as State)[k];
        this.comm.send(
          {
            method: "echo_update",
            state: part,
            buffer_paths: ((m.data.buffer_paths ?? []) as Path[]).filter((p) => echo.includes(String(p[0]))),
          },
          {},
          m.buffers,
        );
      }
      this.lock = state;
      this.held = new Set();
      try {
        this.applyFromFrontEnd(state);
      } finally {
        this.lock = undefined;
        const held = [...this.held];
        this.held = undefined;
        this.sendState(held);
      }
    } else if (method === "request_state") {
      this.sendState(Object.keys(this.raw));
    } else if (method === "custom") {
      for (const h of this.customHandlers) this.track(runCallback(() => h(m.data.content, m.buffers)));
    }
  }

  /** Applies a front end's update (subclasses map synced attributes to derived ones, such as a selection's value). */
  protected applyFromFrontEnd(state: State): void {
    this.set(state as Partial<S>);
  }

  /** Attributes echoed back to every front end (a button's clicks are custom messages, not state). */
  protected echoes(name: string): boolean {
    return !name.startsWith("_");
  }
}

/** Runs one callback; its error goes to the current output (an Output widget or the message's stderr). */
function runCallback(f: () => void | Promise<void>): Promise<void> {
  const report = (e: unknown) => {
    const b = kernelBridge();
    const err = b?.error(e) ?? { traceback: [String((e as Error)?.stack ?? e)] };
    const sink = b?.sink();
    if (sink && "error" in sink && typeof (sink as { error?: unknown }).error === "function")
      (sink as unknown as { error(x: unknown): void }).error(err);
    else if (sink) sink.stream("stderr", `${err.traceback.join("\n")}\n`);
    else console.error(err.traceback.join("\n"));
  };
  try {
    const r = f();
    return r && typeof (r as Promise<void>).then === "function"
      ? (r as Promise<void>).then(() => undefined, report)
      : Promise.resolve();
  } catch (e) {
    report(e);
    return Promise.resolve();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return false;
}

const isBinary = (x: unknown): x is ArrayBufferView | ArrayBuffer => ArrayBuffer.isView(x) || x instanceof ArrayBuffer;
const bytes = (x: ArrayBufferView | ArrayBuffer): Uint8Array =>
  x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

/**
 * State → JSON: widgets become `"IPY_MODEL_<id>"`, binary values are taken out (removed from an object, `null` in
 * an array) and listed with their paths, as ipywidgets' `_remove_buffers` does.
 */
export function serialize(state: State): { state: State; paths: Path[]; buffers: Uint8Array[] } {
  const paths: Path[] = [],
    buffers: Uint8Array[] = [];
  const walk = (v: unknown, at: Path): unknown => {
    if (isWidget(v)) return REF + v.id;
    if (isBinary(v)) {
      paths.push(at);
      buffers.push(bytes(v));
      return undefined;
    }
    if (Array.isArray(v))
      return v.map((x, i) => {
        const y = walk(x, [...at, i]);
        return y === undefined ? null : y;
      });
    if (typeof v === "object" && v !== null) {
      const o: State = {};
      for (const [k, x] of Object.entries(v)) {
        const y = walk(x, [...at, k]);
        if (y !== undefined) o[k] = y;
      }
      return o;
    }
    return v;
  };
  const out: State = {};
  for (const [k, v] of Object.entries(state)) {
    const y = walk(v, [k]);
    if (y !== undefined) out[k] = y;
  }
  return { state: out, paths, buffers };
}

/** Puts received buffers back at their paths (the inverse of the removal above). */
export function insertBuffers(state: State, paths: Path[], buffers: Uint8Array[]): State {
  const root: State = structuredClone(state);
  paths.forEach((p, i) => {
    let o: Record<string | number, unknown> = root;
    for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    if (o && buffers[i]) o[p[p.length - 1]] = buffers[i];
  });
  return root;
}

/** `"IPY_MODEL_<id>"` strings that name a known widget become the widget. */
function deserialize(state: State): State {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string" && v.startsWith(REF)) return widgetById(v.slice(REF.length)) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null && !isBinary(v))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(state) as State;
}
