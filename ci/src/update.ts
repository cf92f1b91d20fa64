/**
 * What `folio run --update` writes back: the executed notebook, except that every cell whose outputs did not
 * change is the stored cell as it was (its metadata.execution timestamps too), and widget models whose state did
 * not change keep their stored ids. A re-run that changed nothing is then no git diff at all, and one that
 * changed a cell is a diff of that cell only (as `jupyter nbconvert --execute --inplace` is not, nor papermill).
 */
import { isDeepStrictEqual } from "node:util";
import type { Cell, Notebook } from "./nbformat";
import { WIDGET_STATE_MIME, type WidgetState } from "./widgets";

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const REF = "IPY_MODEL_";

function widgetState(nb: Notebook): WidgetState["state"] {
  return (nb.metadata.widgets as Record<string, WidgetState> | undefined)?.[WIDGET_STATE_MIME]?.state ?? {};
}

/** Every string in `v`, depth first, in order (object keys in their order). */
function* strings(v: unknown): Generator<string> {
  if (typeof v === "string") yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v && typeof v === "object") for (const x of Object.values(v)) yield* strings(x);
}

/**
 * The widget models of a notebook in an order that depends on what they are, not on their random ids: the
 * views in the outputs, cell by cell, each followed by the models its state refers to (`IPY_MODEL_<id>`, depth
 * first), then the models nothing shows, in the order they were saved.
 */
function modelOrder(nb: Notebook): string[] {
  const state = widgetState(nb);
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !(id in state)) return;
    seen.add(id);
    for (const s of strings(state[id].state)) if (s.startsWith(REF)) visit(s.slice(REF.length));
  };
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    for (const o of c.outputs) {
      const view = "data" in o ? (o.data?.[VIEW_MIME] as { model_id?: unknown } | undefined) : undefined;
      if (typeof view?.model_id === "string") visit(view.model_id);
    }
  }
  for (const id of Object.keys(state)) visit(id);
  return [...seen];
}

/**
 * New model id → stored model id, pairing the models of both runs in `modelOrder` where they are the same kind of
 * widget (a renaming only: which stored id a model gets changes no state). Empty when a fresh id would collide.
 */
function widgetRenaming(stored: Notebook, executed: Notebook): Map<string, string> {
  const [olds, news] = [modelOrder(stored), modelOrder(executed)];
  const [os, ns] = [widgetState(stored), widgetState(executed)];
  const kind = (m: WidgetState["state"][string]) => `${m.model_module}/${m.model_name}`;
  const map = new Map<string, string>();
  for (let i = 0; i < Math.min(olds.length, news.length); i++)
    if (kind(os[olds[i]]) === kind(ns[news[i]])) map.set(news[i], olds[i]);
  const targets = new Set(map.values());
  if (news.some((id) => !map.has(id) && targets.has(id))) return new Map();
  return map;
}

/** `v` with every model id renamed: `model_id` values, `IPY_MODEL_` references and the keys of the saved state. */
function rename<T>(v: T, map: ReadonlyMap<string, string>): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === "string")
      return map.get(x) ?? (x.startsWith(REF) && map.has(x.slice(REF.length)) ? REF + map.get(x.slice(REF.length)) : x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === "object")
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [map.get(k) ?? k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}

/** Elapsed times in a progress bar's text (`[12.3s]`), which differ on every run. */
const ELAPSED = /\[\d+(?:\.\d+)?s\]/g;

/**
 * Outputs as compared for "unchanged": a progress bar (an output marked `metadata.folio.progress`, as
 * @folio/lib/display's are) without its elapsed times, so a re-run whose bars reached the same counts and
 * statuses keeps the stored cell; everything else exactly.
 */
function comparable(outputs: readonly unknown[]): unknown[] {
  return outputs.map((o) => {
    const out = o as { metadata?: { folio?: { progress?: boolean } }; data?: Record<string, unknown> };
    if (!out.metadata?.folio?.progress || !out.data) return o;
    const data = Object.fromEntries(
      Object.entries(out.data).map(([k, v]) => [
        k,
        typeof v === "string"
          ? v.replace(ELAPSED, "[…s]")
          : Array.isArray(v)
            ? v.map((x) => (typeof x === "string" ? x.replace(ELAPSED, "[…s]") : x))
            : v,
      ]),
    );
    return { ...out, data };
  });
}

/** The stored cell when it is the same cell with the same outputs and execution count, else the executed one. */
function keptCell(stored: Cell | undefined, executed: Cell): Cell {
  if (
    stored?.cell_type !== "code"
    || executed.cell_type !== "code"
    || stored.id !== executed.id
    || stored.source !== executed.source
  )
    return executed;
  return stored.execution_count === executed.execution_count
    && isDeepStrictEqual(comparable(stored.outputs), comparable(executed.outputs))
    ? stored
    : executed;
}

/** The notebook `--update` writes: `executed` with unchanged cells and widget ids as in `stored` (neither is modified). */
export function keepUnchanged(stored: Notebook, executed: Notebook): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(executed));
  const map = widgetRenaming(stored, out);
  if (map.size) {
    // only where ids live: the views in the outputs and the saved state (a cell's text is never touched)
    for (const c of out.cells)
      if (c.cell_type === "code")
        for (const o of c.outputs)
          if ("data" in o && o.data?.[VIEW_MIME]) o.data[VIEW_MIME] = rename(o.data[VIEW_MIME], map);
    const widgets = out.metadata.widgets as Record<string, unknown> | undefined;
    if (widgets?.[WIDGET_STATE_MIME]) widgets[WIDGET_STATE_MIME] = rename(widgets[WIDGET_STATE_MIME], map);
  }
  out.cells = out.cells.map((c, i) => keptCell(stored.cells[i], c));
  return JSON.parse(JSON.stringify(out));
}
