import assert from "node:assert/strict";
import type { Message } from "../src/client";
import { resolveControlChars } from "../src/nbformat";
import { OutputCollector, type CellSink } from "../src/outputs";

let n = 0;
function msg(type: string, content: Record<string, unknown>): Message {
  return {
    ids: [],
    header: {
      msg_id: `m${++n}`,
      session: "s",
      username: "u",
      date: "2024-01-01T00:00:00.000001+00:00",
      msg_type: type,
      version: "5.3",
    },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}
const sink = (): CellSink => ({ outputs: [], execution_count: null, execution: {} });

describe("ci output collection", () => {
  it("merges consecutive streams per name and resolves carriage returns", () => {
    const c = new OutputCollector(),
      s = sink();
    c.begin(0, s);
    c.handle(msg("stream", { name: "stdout", text: "a\n" }));
    c.handle(msg("stream", { name: "stdout", text: "10%\r50%\r100%\n" }));
    c.handle(msg("stream", { name: "stderr", text: "w\n" }));
    c.handle(msg("stream", { name: "stdout", text: "b\n" }));
    c.end();
    assert.deepEqual(s.outputs, [
      { output_type: "stream", name: "stdout", text: "a\n100%\n" },
      { output_type: "stream", name: "stderr", text: "w\n" },
      { output_type: "stream", name: "stdout", text: "b\n" },
    ]);
    assert.equal(resolveControlChars("ab\x08c"), "ac");
  });

  it("applies update_display_data in place, also to an earlier cell, without appending", () => {
    const c = new OutputCollector(),
      s0 = sink(),
      s1 = sink();
    c.begin(0, s0);
    c.handle(msg("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
    c.handle(msg("execute_result", { data: { "text/plain": "42" }, metadata: {}, execution_count: 7 }));
    c.end();
    c.begin(1, s1);
    c.handle(
      msg("update_display_data", { data: { "text/plain": "v2" }, metadata: { m: 1 }, transient: { display_id: "d" } }),
    );
    c.end();
    assert.deepEqual(s0.outputs, [
      { output_type: "display_data", data: { "text/plain": "v2" }, metadata: { m: 1 } },
      { output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 7 },
    ]);
    assert.deepEqual(s1.outputs, []);
    assert.equal(s0.execution_count, 7);
  });

  it("clears at once for clear_output, and only at the next output for clear_output(wait)", () => {
    const c = new OutputCollector(),
      s = sink();
    c.begin(0, s);
    c.handle(msg("stream", { name: "stdout", text: "old\n" }));
    c.handle(msg("clear_output", { wait: true }));
    assert.equal(s.outputs.length, 1, "wait=True keeps the output until the next one arrives");
    c.handle(msg("stream", { name: "stdout", text: "new\n" }));
    assert.deepEqual(s.outputs, [{ output_type: "stream", name: "stdout", text: "new\n" }]);
    c.handle(msg("clear_output", { wait: false }));
    assert.deepEqual(s.outputs, []);
  });

  it("records nbclient's timing keys", () => {
    const c = new OutputCollector(),
      s = sink();
    c.begin(0, s);
    c.handle(msg("status", { execution_state: "busy" }));
    c.handle(msg("execute_input", { code: "1", execution_count: 3 }));
    c.handle(msg("status", { execution_state: "idle" }));
    assert.deepEqual(Object.keys(s.execution).sort(), [
      "iopub.execute_input",
      "iopub.status.busy",
      "iopub.status.idle",
    ]);
    assert.equal(s.execution["iopub.status.busy"], "2024-01-01T00:00:00.000001Z");
    assert.equal(s.execution_count, 3);
  });
});
