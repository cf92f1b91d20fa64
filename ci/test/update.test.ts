/** What --update writes back: unchanged cells and widget ids kept as stored (no kernel needed). */
import assert from "node:assert/strict";
import { keepUnchanged } from "../src/update";
import { WIDGET_STATE_MIME } from "../src/widgets";
import { notebook } from "./helpers";

const VIEW = "application/vnd.jupyter.widget-view+json";

/** A notebook whose cell 1 shows a VBox (`box`) of a slider (`slider`) at `value`, plus a text cell printing `text`. */
function withWidgets(box: string, slider: string, value: number, text: string, stamp: string): any {
  const nb = notebook(["print(text)", "show()"]);
  nb.cells[0].outputs = [{ output_type: "stream", name: "stdout", text }];
  nb.cells[1].outputs = [
    {
      output_type: "display_data",
      metadata: {},
      data: { [VIEW]: { model_id: box, version_major: 2, version_minor: 0 }, "text/plain": "VBox()" },
    },
  ];
  nb.cells.forEach((c: any, i: number) => {
    c.execution_count = i + 1;
    c.metadata.execution = { "iopub.execute_input": stamp };
  });
  const model = (name: string, module: string, state: Record<string, unknown>) => ({
    model_name: name,
    model_module: module,
    model_module_version: "2.0.0",
    state,
  });
  nb.metadata.widgets = {
    [WIDGET_STATE_MIME]: {
      version_major: 2,
      version_minor: 0,
      state: {
        [slider]: model("IntSliderModel", "@jupyter-widgets/controls", { value }),
        [box]: model("VBoxModel", "@jupyter-widgets/controls", { children: [`IPY_MODEL_${slider}`] }),
      },
    },
  };
  return nb;
}

describe("ci --update keeps what did not change", () => {
  it("keeps a cell whose progress bar differs only in its elapsed time, not one whose count or status changed", () => {
    const bar = (secs: string, status: string) => {
      const nb = notebook(["train()"]);
      nb.cells[0].execution_count = 1;
      nb.cells[0].metadata.execution = { "iopub.execute_input": secs };
      nb.cells[0].outputs = [
        {
          output_type: "display_data",
          metadata: { folio: { progress: true } },
          data: {
            "text/plain": `train |███| 3/3 [${secs}s] ${status}`,
            "text/html": `<div>train <progress value="3" max="3"></progress> 3/3 [${secs}s] ${status}</div>`,
          },
        },
      ];
      return nb;
    };
    const stored = bar("12.3", "loss 0.5");
    assert.deepEqual(keepUnchanged(stored, bar("9.8", "loss 0.5")), stored);
    assert.match(
      JSON.stringify((keepUnchanged(stored, bar("9.8", "loss 0.4")).cells[0] as any).outputs),
      /9\.8s\] loss 0\.4/,
    );
    const plain = notebook(["elapsed()"]);
    plain.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "took [12.3s]\n" }];
    const rerun = notebook(["elapsed()"]);
    rerun.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "took [9.8s]\n" }];
    assert.equal(
      (keepUnchanged(plain, rerun).cells[0] as any).outputs[0].text,
      "took [9.8s]\n",
      "only progress bars are compared without times",
    );
  });
  it("keeps unchanged cells as stored and renames fresh widget ids to the stored ones", () => {
    const stored = withWidgets("b0", "s0", 3, "a\n", "2026-01-01");
    const same = keepUnchanged(stored, withWidgets("b1", "s1", 3, "a\n", "2026-12-01"));
    assert.deepEqual(same, stored, "nothing changed: the stored notebook, timestamps and ids included");

    // the text changed, the widgets did not: cell 0 is the new one, cell 1 and the ids are kept
    const text = keepUnchanged(stored, withWidgets("b1", "s1", 3, "b\n", "2026-12-01"));
    assert.equal(text.cells[0].metadata.execution?.["iopub.execute_input" as never], "2026-12-01");
    assert.deepEqual(text.cells[1], stored.cells[1]);
    assert.deepEqual(text.metadata.widgets, stored.metadata.widgets);

    // the slider's value changed: its new state is saved under its stored id, and the view still points at the stored box
    const moved = keepUnchanged(stored, withWidgets("b1", "s1", 5, "a\n", "2026-12-01"));
    const state = (moved.metadata.widgets as any)[WIDGET_STATE_MIME].state;
    assert.deepEqual(Object.keys(state).sort(), ["b0", "s0"]);
    assert.equal(state.s0.state.value, 5);
    assert.deepEqual(moved.cells[1], stored.cells[1]);

    // a different kind of widget is not renamed to a stored id
    const other = withWidgets("b1", "s1", 3, "a\n", "2026-12-01");
    other.metadata.widgets[WIDGET_STATE_MIME].state.b1.model_name = "HBoxModel";
    const kept = keepUnchanged(stored, other);
    assert.ok("b1" in (kept.metadata.widgets as any)[WIDGET_STATE_MIME].state);
    assert.equal(kept.cells[1].cell_type === "code" && (kept.cells[1].outputs[0] as any).data[VIEW].model_id, "b1");
  });
});
