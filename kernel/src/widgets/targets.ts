/**
 * The comm targets of the widgets protocol, registered when the kernel starts: `jupyter.widget` (a model a front
 * end creates) and `jupyter.widget.control` (`request_states` → one `update_states` with every model's state,
 * which is how ipywidgets 8 front ends restore widgets when they reconnect to a kernel).
 */
import type { CommManager } from "../comm/comm";
import { allWidgets, serialize, Widget, WIDGET_TARGET, type State } from "./widget";

export const CONTROL_TARGET = "jupyter.widget.control";

export function registerWidgetTargets(comms: CommManager): void {
  comms.registerTarget(WIDGET_TARGET, (comm, msg) => {
    const state = (msg.data.state ?? {}) as State;
    const s = (k: string) => String(state[k] ?? "");
    new Widget(
      {
        model: [s("_model_module"), s("_model_module_version"), s("_model_name")],
        view: [s("_view_module"), s("_view_module_version"), s("_view_name") || null],
      },
      state,
      { comm },
    );
  });
  comms.registerTarget(CONTROL_TARGET, (comm) => {
    comm.onMsg((m) => {
      if (m.data.method !== "request_states") return;
      const { state: states, paths, buffers } = serialize(managerState());
      comm.send({ method: "update_states", states, buffer_paths: paths }, {}, buffers);
    });
  });
}

/** Every model's `{model_name, model_module, model_module_version, state}`, keyed by model id (unserialized). */
export function managerState(): Record<string, State> {
  const out: Record<string, State> = {};
  for (const w of allWidgets()) {
    const state = w.get() as State;
    out[w.id] = {
      model_name: state._model_name,
      model_module: state._model_module,
      model_module_version: state._model_module_version,
      state,
    };
  }
  return out;
}
