/**
 * The core controls of `@jupyter-widgets/controls` 2.0.0 and the Layout and Style models of
 * `@jupyter-widgets/base` 2.0.0, with the attribute names and defaults of the model specification
 * (jupyter-widgets `packages/schema/jupyterwidgetmodels.latest.md`). Each attribute is a typed property:
 * reading gives the synced value, assigning sends an `update`.
 */
import { BASE, CONTROLS, isWidget, Widget, type AnyWidget, type Change, type ModelSpec, type State } from "./widget";

/** Constructor options: any synced attribute; a Layout or Style may be given as its attributes. */
export type Init<S> = { [K in keyof S]?: S[K] extends Widget<infer T> ? S[K] | Partial<T> : S[K] };

const controls = (model: string, view: string | null, viewModule: [string, string] = CONTROLS): ModelSpec => ({
  model: [...CONTROLS, model],
  view: [...viewModule, view],
});

/** Properties for every attribute of the default state, defined once on the prototype. */
function accessors(cls: { prototype: object }, keys: string[]): void {
  for (const k of keys) {
    Object.defineProperty(cls.prototype, k, {
      configurable: true,
      get(this: Widget) {
        return this.get(k);
      },
      set(this: Widget, v: unknown) {
        this.set({ [k]: v });
      },
    });
  }
}

// ---------------------------------------------------------------- Layout and Style

type Css = string | null;
/** CSS properties of a widget's box (LayoutModel): `width: "300px"`, `margin: "0 0 0 2em"`, ... */
export interface LayoutState {
  align_content: Css;
  align_items: Css;
  align_self: Css;
  border_bottom: Css;
  border_left: Css;
  border_right: Css;
  border_top: Css;
  bottom: Css;
  display: Css;
  flex: Css;
  flex_flow: Css;
  grid_area: Css;
  grid_auto_columns: Css;
  grid_auto_flow: Css;
  grid_auto_rows: Css;
  grid_column: Css;
  grid_gap: Css;
  grid_row: Css;
  grid_template_areas: Css;
  grid_template_columns: Css;
  grid_template_rows: Css;
  height: Css;
  justify_content: Css;
  justify_items: Css;
  left: Css;
  margin: Css;
  max_height: Css;
  max_width: Css;
  min_height: Css;
  min_width: Css;
  object_fit: Css;
  object_position: Css;
  order: Css;
  overflow: Css;
  padding: Css;
  right: Css;
  top: Css;
  visibility: Css;
  width: Css;
}
const LAYOUT_KEYS = (
  "align_content align_items align_self border_bottom border_left border_right border_top bottom display flex flex_flow "
  + "grid_area grid_auto_columns grid_auto_flow grid_auto_rows grid_column grid_gap grid_row grid_template_areas grid_template_columns "
  + "grid_template_rows height justify_content justify_items left margin max_height max_width min_height min_width object_fit "
  + "object_position order overflow padding right top visibility width"
).split(" ");

export interface Layout extends LayoutState {}
/** The LayoutModel every DOM widget refers to (`layout`). */
export class Layout extends Widget<LayoutState> {
  constructor(init: Partial<LayoutState> = {}) {
    super(
      { model: [...BASE, "LayoutModel"], view: [...BASE, "LayoutView"] },
      { ...(Object.fromEntries(LAYOUT_KEYS.map((k) => [k, null])) as unknown as LayoutState), ...init },
    );
  }
}
accessors(Layout, LAYOUT_KEYS);

/** A style model (`style`): which attributes it has depends on the control (see the `*StyleState` types). */
export class Style<S extends object = State> extends Widget<S> {
  constructor(model: string, defaults: S, init: Partial<S> = {}) {
    super(controls(model, "StyleView", BASE), { ...defaults, ...init });
  }
  /** Style attributes, by name. */
  get attributes(): Readonly<S> {
    return this.get();
  }
}

export interface DescriptionStyleState {
  description_width: string;
}
export interface SliderStyleState extends DescriptionStyleState {
  handle_color: string | null;
}
export interface CheckboxStyleState extends DescriptionStyleState {
  background: string | null;
}
export interface TextStyleState extends DescriptionStyleState {
  background: string | null;
  font_size: string | null;
  text_color: string | null;
}
export interface HTMLStyleState extends TextStyleState {}
export interface FontState {
  font_family: string | null;
  font_size: string | null;
  font_style: string | null;
  font_variant: string | null;
  font_weight: string | null;
  text_color: string | null;
  text_decoration: string | null;
}
export interface LabelStyleState extends DescriptionStyleState, FontState {
  background: string | null;
}
export interface ButtonStyleState extends FontState {
  button_color: string | null;
}
export interface ToggleButtonsStyleState extends DescriptionStyleState {
  button_width: string;
  font_weight: string;
}

const FONT: FontState = {
  font_family: null,
  font_size: null,
  font_style: null,
  font_variant: null,
  font_weight: null,
  text_color: null,
  text_decoration: null,
};
const STYLES = {
  DescriptionStyleModel: (): DescriptionStyleState => ({ description_width: "" }),
  SliderStyleModel: (): SliderStyleState => ({ description_width: "", handle_color: null }),
  CheckboxStyleModel: (): CheckboxStyleState => ({ description_width: "", background: null }),
  TextStyleModel: (): TextStyleState => ({
    description_width: "",
    background: null,
    font_size: null,
    text_color: null,
  }),
  HTMLStyleModel: (): HTMLStyleState => ({
    description_width: "",
    background: null,
    font_size: null,
    text_color: null,
  }),
  LabelStyleModel: (): LabelStyleState => ({ description_width: "", background: null, ...FONT }),
  ButtonStyleModel: (): ButtonStyleState => ({ button_color: null, ...FONT }),
  ToggleButtonsStyleModel: (): ToggleButtonsStyleState => ({
    description_width: "",
    button_width: "",
    font_weight: "",
  }),
};

// ---------------------------------------------------------------- DOM widgets

/** Attributes every DOM widget has (DOMWidgetModel). */
export interface DOMState {
  _dom_classes: string[];
  layout: Layout;
  tabbable: boolean | null;
  tooltip: string | null;
}
/** Attributes of controls with a description label (DescriptionModel). */
export interface DescriptionState<St extends object> extends DOMState {
  description: string;
  description_allow_html: boolean;
  style: Style<St>;
}

/** The initial state: the model's defaults, the caller's values, and a Layout and Style made first if not given. */
function initial<S extends DOMState>(
  defaults: Omit<S, "layout" | "style">,
  init: Init<S>,
  style?: keyof typeof STYLES,
): S {
  const { layout, style: st, ...rest } = init as Init<S> & { style?: unknown };
  const out = {
    ...defaults,
    ...rest,
    layout: isWidget(layout) ? layout : new Layout((layout ?? {}) as Partial<LayoutState>),
  } as unknown as S;
  if (style)
    (out as unknown as State).style = isWidget(st)
      ? st
      : new Style(style, STYLES[style]() as unknown as State, (st ?? {}) as State);
  return out;
}
const DOM = { _dom_classes: [] as string[], tabbable: null, tooltip: null };
const DESCRIPTION = { ...DOM, description: "", description_allow_html: false };
const keysOf = (o: object, extra: string[] = ["layout", "style"]) => [...Object.keys(o), ...extra];

// ---- sliders

export interface SliderState<T, St extends object = SliderStyleState> extends DescriptionState<St> {
  value: T;
  min: number;
  max: number;
  step: number;
  /** "drag-tap" (default), "drag-snap", "tap", "drag", "snap". */
  behavior: string;
  /** Send values while dragging (true), or only on release. */
  continuous_update: boolean;
  disabled: boolean;
  orientation: "horizontal" | "vertical";
  readout: boolean;
  /** d3-format of the readout: "d", ".2f", ... */
  readout_format: string;
}
const SLIDER = {
  ...DESCRIPTION,
  behavior: "drag-tap",
  continuous_update: true,
  disabled: false,
  orientation: "horizontal" as const,
  readout: true,
  min: 0,
  max: 100,
};

export interface IntSlider extends SliderState<number> {}
/** A slider over integers (IntSliderModel). */
export class IntSlider extends Widget<SliderState<number>> {
  constructor(init: Init<SliderState<number>> = {}) {
    super(
      controls("IntSliderModel", "IntSliderView"),
      initial<SliderState<number>>({ ...SLIDER, value: 0, step: 1, readout_format: "d" }, init, "SliderStyleModel"),
    );
  }
}
accessors(IntSlider, keysOf({ ...SLIDER, value: 0, step: 1, readout_format: "d" }));

export interface FloatSlider extends SliderState<number> {}
/** A slider over real numbers (FloatSliderModel). */
export class FloatSlider extends Widget<SliderState<number>> {
  constructor(init: Init<SliderState<number>> = {}) {
    super(
      controls("FloatSliderModel", "FloatSliderView"),
      initial<SliderState<number>>({ ...SLIDER, value: 0, step: 0.1, readout_format: ".2f" }, init, "SliderStyleModel"),
    );
  }
}
accessors(FloatSlider, keysOf({ ...SLIDER, value: 0, step: 0.1, readout_format: ".2f" }));

export interface IntRangeSlider extends SliderState<[number, number]> {}
/** Two handles selecting an integer interval `[lower, upper]` (IntRangeSliderModel). */
export class IntRangeSlider extends Widget<SliderState<[number, number]>> {
  constructor(init: Init<SliderState<[number, number]>> = {}) {
    super(
      controls("IntRangeSliderModel", "IntRangeSliderView"),
      initial<SliderState<[number, number]>>(
        { ...SLIDER, value: [0, 1], step: 1, readout_format: "d" },
        init,
        "SliderStyleModel",
      ),
    );
  }
}
accessors(IntRangeSlider, keysOf({ ...SLIDER, value: 0, step: 1, readout_format: "d" }));

// ---- boolean, text, labels

export interface CheckboxState extends DescriptionState<CheckboxStyleState> {
  value: boolean;
  disabled: boolean;
  indent: boolean;
}
export interface Checkbox extends CheckboxState {}
/** A check box (CheckboxModel). */
export class Checkbox extends Widget<CheckboxState> {
  constructor(init: Init<CheckboxState> = {}) {
    super(
      controls("CheckboxModel", "CheckboxView"),
      initial<CheckboxState>(
        { ...DESCRIPTION, value: false, disabled: false, indent: true },
        init,
        "CheckboxStyleModel",
      ),
    );
  }
}
accessors(Checkbox, keysOf({ ...DESCRIPTION, value: false, disabled: false, indent: true }));

export interface TextState extends DescriptionState<TextStyleState> {
  value: string;
  placeholder: string;
  disabled: boolean;
  continuous_update: boolean;
}
export interface Text extends TextState {}
/** A one-line text field (TextModel). */
export class Text extends Widget<TextState> {
  constructor(init: Init<TextState> = {}) {
    super(
      controls("TextModel", "TextView"),
      initial<TextState>(
        { ...DESCRIPTION, value: "", placeholder: "\u200b", disabled: false, continuous_update: true },
        init,
        "TextStyleModel",
      ),
    );
  }
}
accessors(Text, keysOf({ ...DESCRIPTION, value: "", placeholder: "", disabled: false, continuous_update: true }));

export interface LabelState<St extends object = LabelStyleState> extends DescriptionState<St> {
  value: string;
  placeholder: string;
}
export interface Label extends LabelState {}
/** Plain text (LabelModel). */
export class Label extends Widget<LabelState> {
  constructor(init: Init<LabelState> = {}) {
    super(
      controls("LabelModel", "LabelView"),
      initial<LabelState>({ ...DESCRIPTION, value: "", placeholder: "\u200b" }, init, "LabelStyleModel"),
    );
  }
}
accessors(Label, keysOf({ ...DESCRIPTION, value: "", placeholder: "" }));

export interface HTML extends LabelState<HTMLStyleState> {}
/** An HTML fragment (HTMLModel). */
export class HTML extends Widget<LabelState<HTMLStyleState>> {
  constructor(init: Init<LabelState<HTMLStyleState>> = {}) {
    super(
      controls("HTMLModel", "HTMLView"),
      initial<LabelState<HTMLStyleState>>({ ...DESCRIPTION, value: "", placeholder: "\u200b" }, init, "HTMLStyleModel"),
    );
  }
}
accessors(HTML, keysOf({ ...DESCRIPTION, value: "", placeholder: "" }));

// ---- button

export interface ButtonState extends DOMState {
  description: string;
  button_style: "primary" | "success" | "info" | "warning" | "danger" | "";
  disabled: boolean;
  /** Font Awesome icon name without "fa-". */
  icon: string;
  style: Style<ButtonStyleState>;
}
export interface Button extends ButtonState {}
/** A push button (ButtonModel); `onClick` runs a callback for each click. */
export class Button extends Widget<ButtonState> {
  constructor(init: Init<ButtonState> = {}) {
    super(
      controls("ButtonModel", "ButtonView"),
      initial<ButtonState>(
        { ...DOM, description: "", button_style: "", disabled: false, icon: "" },
        init,
        "ButtonStyleModel",
      ),
    );
  }
  /** Calls `callback` on each click (the front end's `custom` message `{event: "click"}`). */
  onClick(callback: (button: this) => void | Promise<void>): void {
    this.onCustom((content) => ((content as { event?: string })?.event === "click" ? callback(this) : undefined));
  }
  /** Acts as if the button were clicked. */
  click(): Promise<void> {
    return this.receiveCustom({ event: "click" });
  }
}
accessors(Button, keysOf({ ...DOM, description: "", button_style: "", disabled: false, icon: "" }));

// ---- selections

export interface SelectionState<St extends object> extends DescriptionState<St> {
  /** Labels of the options, shown by the front end. */
  _options_labels: string[];
  /** Index of the selected option, or null for none. */
  index: number | null;
  disabled: boolean;
}
export type Options<T> = readonly (T | readonly [label: string, value: T])[];
export type SelectionInit<T, S> = Omit<Init<S>, "_options_labels" | "index"> & {
  options: Options<T>;
  value?: T;
  index?: number | null;
};

/**
 * A choice among options (a value for each label): the front end syncs `index`; `value` and `label` follow it
 * and can be observed like synced attributes.
 */
abstract class Selection<T, S extends SelectionState<object>> extends Widget<
  S,
  S & { value: T | undefined; label: string | undefined }
> {
  private values: T[] = [];
  constructor(
    spec: ModelSpec,
    defaults: Omit<S, "layout" | "style" | "_options_labels" | "index">,
    init: SelectionInit<T, S>,
    style: keyof typeof STYLES,
  ) {
    const { options, value, index, ...rest } = init;
    const parsed = parseOptions(options);
    const i =
      index !== undefined
        ? index
        : value !== undefined
          ? parsed.values.indexOf(value)
          : parsed.values.length
            ? 0
            : null;
    super(
      spec,
      initial<S>(
        { ...defaults, _options_labels: parsed.labels, index: i === -1 ? null : i } as unknown as Omit<
          S,
          "layout" | "style"
        >,
        rest as unknown as Init<S>,
        style,
      ),
    );
    this.values = parsed.values;
  }
  /** The selected option's value (undefined when none is selected). */
  get value(): T | undefined {
    const i = this.get("index");
    return i === null ? undefined : this.values[i];
  }
  set value(v: T | undefined) {
    const i = v === undefined ? -1 : this.values.indexOf(v);
    if (v !== undefined && i < 0) throw new RangeError(`${String(v)} is not one of the options`);
    this.set({ index: i < 0 ? null : i } as Partial<S>);
  }
  /** The selected option's label. */
  get label(): string | undefined {
    const i = this.get("index");
    return i === null ? undefined : this.get("_options_labels")[i];
  }
  /** The options as [label, value] pairs; assigning replaces them and keeps the value if it is still offered. */
  get options(): [string, T][] {
    return this.get("_options_labels").map((l, i) => [l, this.values[i]]);
  }
  set options(options: Options<T>) {
    const keep = this.value;
    const parsed = parseOptions(options);
    this.values = parsed.values;
    const i = keep === undefined ? -1 : parsed.values.indexOf(keep);
    this.set({ _options_labels: parsed.labels, index: i >= 0 ? i : parsed.values.length ? 0 : null } as Partial<S>);
  }
  /** A change of `index` is also a change of the derived `value` and `label`. */
  protected override notify(e: Change): void {
    super.notify(e);
    if (e.name !== "index") return;
    const at = (i: unknown) => (typeof i === "number" ? i : -1);
    super.notify({ name: "value", old: this.values[at(e.old)], new: this.values[at(e.new)], owner: this });
    const labels = this.get("_options_labels");
    super.notify({ name: "label", old: labels[at(e.old)], new: labels[at(e.new)], owner: this });
  }
  override toString(): string {
    return `${String(this.raw._model_name).replace(/Model$/, "")}(value=${JSON.stringify(this.value)})`;
  }
}

function parseOptions<T>(options: Options<T>): { labels: string[]; values: T[] } {
  const labels: string[] = [],
    values: T[] = [];
  for (const o of options) {
    if (Array.isArray(o) && o.length === 2 && typeof o[0] === "string") {
      labels.push(o[0]);
      values.push(o[1] as T);
    } else {
      labels.push(String(o));
      values.push(o as T);
    }
  }
  return { labels, values };
}

const SELECTION = { ...DESCRIPTION, disabled: false };
export interface DropdownState extends SelectionState<DescriptionStyleState> {}
// biome-ignore lint/correctness/noUnusedVariables: a merged interface repeats its class's type parameters
export interface Dropdown<T> extends Omit<DropdownState, "index"> {
  index: number | null;
}
/** A drop-down list (DropdownModel). */
export class Dropdown<T = string> extends Selection<T, DropdownState> {
  constructor(init: SelectionInit<T, DropdownState>) {
    super(controls("DropdownModel", "DropdownView"), SELECTION, init, "DescriptionStyleModel");
  }
}
accessors(Dropdown, keysOf(SELECTION, ["layout", "style", "index"]));

export interface ToggleButtonsState extends SelectionState<ToggleButtonsStyleState> {
  button_style: "primary" | "success" | "info" | "warning" | "danger" | "";
  icons: string[];
  tooltips: string[];
}
// biome-ignore lint/correctness/noUnusedVariables: a merged interface repeats its class's type parameters
export interface ToggleButtons<T> extends Omit<ToggleButtonsState, "index"> {
  index: number | null;
}
/** A row of buttons of which one is pressed (ToggleButtonsModel). */
export class ToggleButtons<T = string> extends Selection<T, ToggleButtonsState> {
  constructor(init: SelectionInit<T, ToggleButtonsState>) {
    super(
      controls("ToggleButtonsModel", "ToggleButtonsView"),
      { ...SELECTION, button_style: "", icons: [], tooltips: [] },
      init,
      "ToggleButtonsStyleModel",
    );
  }
}
accessors(
  ToggleButtons,
  keysOf({ ...SELECTION, button_style: "", icons: [], tooltips: [] }, ["layout", "style", "index"]),
);

// ---- boxes

export interface BoxState extends DOMState {
  children: AnyWidget[];
  box_style: "success" | "info" | "warning" | "danger" | "";
}
export type BoxInit = Init<BoxState>;
const BOX = { ...DOM, children: [] as AnyWidget[], box_style: "" as const };

export interface HBox extends BoxState {}
/** Children side by side (HBoxModel). */
export class HBox extends Widget<BoxState> {
  constructor(children: AnyWidget[] = [], init: BoxInit = {}) {
    super(controls("HBoxModel", "HBoxView"), initial<BoxState>({ ...BOX, children }, init));
  }
}
accessors(HBox, keysOf(BOX, ["layout"]));

export interface VBox extends BoxState {}
/** Children one above the other (VBoxModel). */
export class VBox extends Widget<BoxState> {
  constructor(children: AnyWidget[] = [], init: BoxInit = {}) {
    super(controls("VBoxModel", "VBoxView"), initial<BoxState>({ ...BOX, children }, init));
  }
}
accessors(VBox, keysOf(BOX, ["layout"]));

// ---- links

export interface LinkState {
  source: [AnyWidget, string];
  target: [AnyWidget, string];
}
/**
 * `jslink`: a LinkModel, kept in the front end (it works in a saved notebook or report with no kernel), where
 * `link` (in `link.ts`) syncs through the kernel and so also runs the kernel's observers.
 */
export class JsLink extends Widget<LinkState> {
  constructor(source: [AnyWidget, string], target: [AnyWidget, string], directional = false) {
    super(controls(directional ? "DirectionalLinkModel" : "LinkModel", null), { source, target });
  }
}
