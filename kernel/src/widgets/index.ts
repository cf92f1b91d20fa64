/**
 * `@folio/kernel/widgets`: Jupyter widgets (protocol 2.1.0, ipywidgets 8 front ends) for TypeScript cells.
 *
 *   import { IntSlider, interact } from "@folio/kernel/widgets";
 *   const n = new IntSlider({ value: 5, min: 1, max: 20, description: "N" });
 *   n.observe("value", ({ new: v }) => console.log(v));
 *   interact(({ theta }) => figure(theta), { theta: [0, 90] });
 */
export {
  Widget,
  isWidget,
  widgetById,
  allWidgets,
  PROTOCOL_VERSION,
  VIEW_MIME,
  type Change,
  type ModelSpec,
  type State,
} from "./widget";
export {
  Layout,
  Style,
  IntSlider,
  FloatSlider,
  IntRangeSlider,
  Checkbox,
  Text,
  Label,
  HTML,
  Button,
  Dropdown,
  ToggleButtons,
  HBox,
  VBox,
  JsLink,
  type Init,
  type LayoutState,
  type SliderState,
  type CheckboxState,
  type TextState,
  type LabelState,
  type ButtonState,
  type DropdownState,
  type ToggleButtonsState,
  type BoxState,
  type Options,
  type SelectionInit,
} from "./controls";
export { Output, type OutputState, type NbOutput } from "./output";
export {
  interact,
  interactive,
  Interactive,
  widgetFor,
  type Control,
  type Values,
  type ValueOf,
  type InteractHandle,
} from "./interact";
export { link, jslink, jsdlink } from "./link";
export { managerState } from "./targets";
