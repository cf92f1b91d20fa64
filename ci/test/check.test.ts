import assert from "node:assert/strict";
import * as os from "node:os";
import { compareNotebook, jsonMismatch, sanitize, compileSanitizers, textMismatch, unifiedDiff } from "../src/check";
import { DEFAULT_CONFIG, cellTolerance, notebookTolerance } from "../src/config";
import { formatFailure } from "../src/failure";
import { notebook } from "./helpers";

const tol = { rel: 1e-4, abs: 1e-8 };

describe("ci sanitizers", () => {
  it("replace timestamps, temp paths, addresses and durations", () => {
    assert.equal(sanitize("at 2024-05-01T12:34:56.789Z ok"), "at <TIMESTAMP> ok");
    assert.equal(sanitize("2024-05-01 12:34:56+02:00"), "<TIMESTAMP>");
    assert.equal(sanitize(`wrote ${os.tmpdir()}/folio-x1/a.json done`), "wrote <TMPPATH> done");
    assert.equal(sanitize("<object at 0x7f3a2c1b9e40>"), "<object at <ADDR>>");
    assert.equal(sanitize("took 1.23s, then 45 ms and [3.2s]"), "took <DURATION>, then <DURATION> and [<DURATION>]");
    // not durations: a plain count, a variable name
    assert.equal(sanitize("12 samples, x1s"), "12 samples, x1s");
  });

  it("apply the user's regexes from the config after the built-ins", () => {
    const user = compileSanitizers([{ regex: "run-[a-z0-9]+", replace: "run-ID" }]);
    assert.equal(sanitize("saved run-8f3a at 2024-01-01T00:00:00Z", user), "saved run-ID at <TIMESTAMP>");
  });
});

describe("ci numeric tolerance", () => {
  it("accepts numbers inside text within rel/abs and rejects beyond", () => {
    assert.equal(textMismatch("acc 0.30000000000000004", "acc 0.3", tol), undefined);
    assert.equal(textMismatch("loss = 1.00000", "loss = 1.00005", tol), undefined); // 5e-5 relative
    assert.match(textMismatch("loss = 1.0000", "loss = 1.0002", tol)!, /1\.0000 became 1\.0002/);
    assert.match(textMismatch("acc 0.91", "acc: 0.91", tol)!, /text differs/);
    assert.equal(textMismatch("tiny 1e-12", "tiny 3e-12", tol), undefined); // under abs 1e-8
    assert.match(textMismatch("a 1 2", "a 1 2 3", tol)!, /numbers/);
  });

  it("compares JSON structurally with the same tolerance", () => {
    assert.equal(jsonMismatch({ a: [1, 2.0000001], s: "x 0.5" }, { a: [1, 2], s: "x 0.50000001" }, tol), undefined);
    assert.match(jsonMismatch({ a: [1, 2] }, { a: [1, 2.1] }, tol)!, /\$\.a\[1\]: 2 became 2\.1/);
    assert.match(jsonMismatch({ a: 1 }, { a: 1, b: 2 }, tol)!, /unexpected key "b"/);
    assert.match(jsonMismatch([1, 2], [1], tol)!, /length 2 became 1/);
  });

  it("takes the tolerance from config, then notebook metadata, then cell tags", () => {
    const nbTol = notebookTolerance(DEFAULT_CONFIG, { folio: { tolerance: { rel: 0.01 } } });
    assert.deepEqual(nbTol, { rel: 0.01, abs: DEFAULT_CONFIG.tolerance.abs });
    assert.deepEqual(cellTolerance(nbTol, ["tolerance=0.1", "atol=0.5"]), { rel: 0.1, abs: 0.5 });
    assert.deepEqual(notebookTolerance(DEFAULT_CONFIG, { folio: { tolerance: 0.2 } }), { rel: 0.2, abs: DEFAULT_CONFIG.tolerance.abs });
  });
});

describe("ci diff", () => {
  it("shows a unified diff, aligning lines whose numbers agree within tolerance", () => {
    const d = unifiedDiff("a 1\nb 2\nc 3", "a 1.0000001\nb 2.5\nc 3", { equal: (x, y) => textMismatch(x, y, tol) === undefined });
    assert.equal(d, ["--- stored", "+++ executed", "@@ -1,3 +1,3 @@", " a 1.0000001", "-b 2", "+b 2.5", " c 3"].join("\n"));
    assert.equal(unifiedDiff("same", "same"), "");
    assert.match(unifiedDiff("x", "y", { color: true }), /\x1b\[31m-x\x1b\[0m/);
  });
});

/** A one-cell stored/executed pair whose outputs are `stored` and `executed`. */
function pair(stored: unknown[], executed: unknown[], tags?: string[], metadata: Record<string, unknown> = {}) {
  const a = notebook([{ source: "x", tags }], "python3", metadata), b = notebook([{ source: "x", tags }], "python3", metadata);
  a.cells[0].outputs = stored;
  b.cells[0].outputs = executed;
  return compareNotebook(a, b, { config: DEFAULT_CONFIG });
}
const plotly = (y: number[], title = "t") => ({ output_type: "display_data", metadata: {}, data: { "application/vnd.plotly.v1+json": { data: [{ type: "scatter", x: [0, 1, 2], y }], layout: { title } }, "text/plain": "Figure" } });
const text = (t: string, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({ output_type: "display_data", metadata, data: { "text/plain": t, ...extra } });

describe("ci output comparison", () => {
  it("compares plotly figures by trace data within tolerance, not by layout", () => {
    assert.deepEqual(pair([plotly([1, 2, 3])], [plotly([1, 2.00001, 3], "other title")]), []);
    const f = pair([plotly([1, 2, 3])], [plotly([1, 2.5, 3])]);
    assert.equal(f.length, 1);
    assert.match(formatFailure(f[0]), /cell 1 \(id c0\): output 1 application\/vnd\.plotly\.v1\+json: traces\[0\]\.y\[1\]: 2 became 2\.5/);
  });

  it("skips PNGs and HTML beside text/plain, ignores progress outputs, merges streams", () => {
    const s = [text("a", { "image/png": "AAAA", "text/html": "<b>a</b>" }), { output_type: "stream", name: "stdout", text: "1\n2\n" }];
    const e = [text("bar 3/3 [1.0s]", {}, { folio: { progress: true } }), text("a", { "image/png": "BBBB", "text/html": "<i>a</i>" }),
      { output_type: "stream", name: "stdout", text: "1\n" }, { output_type: "stream", name: "stdout", text: "2\n" }];
    assert.deepEqual(pair(s, e), []);
    assert.equal(pair([text("a")], [text("b")]).length, 1);
  });

  it("honours ignore-output and cell tolerance tags", () => {
    assert.deepEqual(pair([text("0.5")], [text("0.9")], ["ignore-output"]), []);
    assert.deepEqual(pair([text("0.500")], [text("0.505")], ["tolerance=1e-2"]), []);
    assert.equal(pair([text("0.500")], [text("0.505")]).length, 1);
    assert.deepEqual(pair([text("0.500")], [text("0.505")], undefined, { folio: { tolerance: 0.05 } }), []);
  });

  it("reports a changed number of outputs and an error's name and message, not its traceback", () => {
    const err = (v: string, tb: string) => ({ output_type: "error", ename: "ValueError", evalue: v, traceback: [tb] });
    assert.deepEqual(pair([err("bad 1", "line 3")], [err("bad 1", "line 4")]), []);
    const f = pair([text("a")], [text("a"), text("b")]);
    assert.match(formatFailure(f[0]), /1 output stored, 2 produced/);
    assert.match(f[0].detail!.diff!, /^\+\[display_data text\/plain\]$/m);
  });
});
