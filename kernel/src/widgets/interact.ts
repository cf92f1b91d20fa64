/**
 * `interact(fn, controls)`: one control per parameter, and an Output that shows `fn(values)` and is replaced each
 * time a control changes (ipywidgets' `interact`). A control is a widget with a `value`, or an abbreviation:
 * `[min, max]` or `[min, max, step]` (an IntSlider if all are integers, else a FloatSlider), a boolean (Checkbox),
 * a string (Text), or a list of options (Dropdown). `fn` may be async; what it returns (a plotly figure, a table,
 * a number) is displayed, and what it prints or displays goes to the same Output; an error is shown there.
 */
import { kernelBridge } from "../comm/bridge";
import { Checkbox, Dropdown, FloatSlider, IntSlider, Text, VBox, type BoxInit, type Options } from "./controls";
import { Output } from "./output";
import { isWidget, type AnyWidget } from "./widget";

/** A control that has a value. */
export type ValueWidget<T = unknown> = AnyWidget & { value: T; observe(name: "value", cb: () => unknown): () => void };
export type Abbreviation =
  | readonly [number, number]
  | readonly [number, number, number]
  | boolean
  | string
  | Options<unknown>;
export type Control = ValueWidget | Abbreviation;

/** The value type a control gives `fn`. */
export type ValueOf<C> =
  C extends Dropdown<infer T>
    ? T
    : C extends { value: infer V }
      ? V
      : C extends readonly [number, number] | readonly [number, number, number]
        ? number
        : C extends boolean
          ? boolean
          : C extends string
            ? string
            : C extends Options<infer T>
              ? T extends readonly [string, infer V]
                ? V
                : T
              : never;
export type Values<C> = { [K in keyof C]: ValueOf<C[K]> };
/** The widget each control became. */
export type Widgets<C> = { [K in keyof C]: C[K] extends AnyWidget ? C[K] : ValueWidget<ValueOf<C[K]>> };

/** The widget for one abbreviation, described by its parameter name. */
export function widgetFor(name: string, c: Control): ValueWidget {
  if (isWidget(c)) return c as ValueWidget;
  const description = name;
  if (typeof c === "boolean") return new Checkbox({ value: c, description }) as unknown as ValueWidget;
  if (typeof c === "string") return new Text({ value: c, description }) as unknown as ValueWidget;
  if (Array.isArray(c) && (c.length === 2 || c.length === 3) && c.every((x) => typeof x === "number")) {
    const [min, max, step] = c as number[];
    if (!(max > min)) throw new RangeError(`interact: ${name}: [min, max] needs min < max, got [${min}, ${max}]`);
    if ([min, max, step ?? 1].every(Number.isInteger)) {
      return new IntSlider({
        min,
        max,
        step: step ?? 1,
        value: Math.round((min + max) / 2),
        description,
      }) as unknown as ValueWidget;
    }
    const s = step ?? (max - min) / 100;
    return new FloatSlider({
      min,
      max,
      step: s,
      value: min + Math.round((max - min) / 2 / s) * s,
      description,
      readout_format: ".3g",
    }) as unknown as ValueWidget;
  }
  if (Array.isArray(c)) return new Dropdown({ options: c as Options<unknown>, description }) as unknown as ValueWidget;
  throw new TypeError(`interact: ${name}: cannot make a control from ${JSON.stringify(c)}`);
}

/** The controls, the output and the box around them. */
export class Interactive<C extends Record<string, Control>> extends VBox {
  readonly controls: Widgets<C>;
  readonly output: Output;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly fn: (values: Values<C>) => unknown,
    controls: C,
    init: BoxInit = {},
  ) {
    const widgets = Object.fromEntries(
      Object.entries(controls).map(([k, c]) => [k, widgetFor(k, c)]),
    ) as unknown as Widgets<C>;
    const output = new Output();
    super([...(Object.values(widgets) as AnyWidget[]), output], { _dom_classes: ["widget-interact"], ...init });
    this.controls = widgets;
    this.output = output;
    for (const w of Object.values(widgets) as ValueWidget[]) w.observe("value", () => this.update());
  }

  /** The controls' current values. */
  values(): Values<C> {
    return Object.fromEntries(
      Object.entries(this.controls).map(([k, w]) => [k, (w as ValueWidget).value]),
    ) as Values<C>;
  }

  /**
   * Runs `fn` again with the current values and replaces the output; settles when its outputs are sent. A
   * synchronous `fn` runs at once (its output is in before the cell or message that changed a control ends); a
   * run asked for while an async one is pending starts after it, with the values of that moment.
   */
  update(): Promise<void> {
    const show = (r: unknown) => {
      if (r !== undefined) this.output.display(kernelBridge()?.render(r) ?? { "text/plain": String(r) });
    };
    const start = (): Promise<void> =>
      Promise.resolve(
        this.output.capture(() => {
          this.output.clear(true);
          const r = this.fn(this.values());
          return r && typeof (r as { then?: unknown }).then === "function" ? Promise.resolve(r).then(show) : show(r);
        }) as unknown,
      ).then(() => undefined);
    const p = this.inflight ? this.inflight.then(start) : start();
    this.inflight = p;
    void p.finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    return p;
  }
}

/** Like `interact`, without displaying: display the returned box yourself (or put it in another box). */
export function interactive<C extends Record<string, Control>>(
  fn: (values: Values<C>) => unknown,
  controls: C,
  init: BoxInit = {},
): Interactive<C> {
  const ui = new Interactive(fn, controls, init);
  void ui.update();
  return ui;
}

/** What `interact` returns: the widget it displayed (a cell ending with it does not display it twice). */
export interface InteractHandle<C extends Record<string, Control>> {
  readonly widget: Interactive<C>;
  readonly controls: Widgets<C>;
  readonly output: Output;
  /** Settles when the first run's outputs are in (await it when `fn` is async). */
  readonly ready: Promise<void>;
  /** Runs `fn` again. */
  update(): Promise<void>;
}

/** Shows a control for each entry of `controls` above the output of `fn(values)`; runs `fn` again whenever a control changes. */
export function interact<C extends Record<string, Control>>(
  fn: (values: Values<C>) => unknown,
  controls: C,
  init: BoxInit = {},
): InteractHandle<C> {
  const ui = new Interactive(fn, controls, init);
  const bridge = kernelBridge();
  const bundle = bridge?.render(ui);
  if (bundle) bridge?.sink()?.display(bundle);
  const ready = ui.update();
  return {
    [Symbol.for("folio.silent")]: true,
    widget: ui,
    controls: ui.controls,
    output: ui.output,
    ready,
    update: () => ui.update(),
  } as InteractHandle<C>;
}
