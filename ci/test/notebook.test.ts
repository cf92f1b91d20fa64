import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { NotebookError, parseNotebook, serializeNotebook, splitLines } from "../src/nbformat";

describe("ci notebook files", () => {
  it("splits lines exactly as Python's str.splitlines(True), which nbformat writes with", () => {
    const s = "a\nb\r\nc\rd\x0be\u2028f\n\ng";
    const py = spawnSync(
      "python3",
      ["-c", "import json,sys; print(json.dumps(json.loads(sys.argv[1]).splitlines(True)))", JSON.stringify(s)],
      { encoding: "utf8" },
    );
    assert.deepEqual(splitLines(s), JSON.parse(py.stdout));
  });

  it("joins lines on read, adds missing cell ids, and writes sorted keys with a 1-space indent", () => {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 4,
        metadata: {},
        cells: [
          {
            cell_type: "code",
            metadata: {},
            source: ["x\n", "y"],
            outputs: [{ output_type: "stream", name: "stdout", text: ["1\n", "2\n"] }],
            execution_count: 1,
          },
        ],
      }),
    );
    assert.equal(nb.cells[0].source, "x\ny");
    assert.equal((nb.cells[0] as any).outputs[0].text, "1\n2\n");
    assert.match(nb.cells[0].id, /^[0-9a-f]{8}$/);
    assert.equal(nb.nbformat_minor, 5);
    const text = serializeNotebook(nb);
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 1,\n'));
    assert.match(text, /"source": \[\n {4}"x\\n",\n {4}"y"\n {3}\]/);
    assert.ok(text.endsWith("}\n"));
  });

  it("names what is wrong with a file that is not a runnable notebook", () => {
    assert.throws(
      () => parseNotebook("[1,2]"),
      (e: Error) => e instanceof NotebookError && /not an object/.test(e.message),
    );
    assert.throws(
      () => parseNotebook('{"nbformat": 4}'),
      /^Error: invalid nbformat 4: the notebook is missing "metadata"$/,
    );
    const bad = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ id: "a", cell_type: "python", metadata: {}, source: "" }],
    };
    assert.throws(
      () => parseNotebook(JSON.stringify(bad)),
      (e: Error) =>
        e instanceof NotebookError
        && e.cell?.index === 0
        && /cell_type must be one of "raw", "markdown", "code" \(got "python"\)/.test(e.message),
    );
  });
});
