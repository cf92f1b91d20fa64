import assert from "node:assert/strict";
import { History, SESSION, globMatch } from "../src/history";

describe("kernel history", () => {
  it("matches globs like sqlite's GLOB, and a hostile pattern in linear time", () => {
    const cases: [string, string, boolean][] = [
      ["*", "", true],
      ["a?c", "abc", true],
      ["a?c", "ac", false],
      ["const h? = *", "const h1 = 1;", true],
      ["*x", "abc", false],
      ["a*b*c", "aXbYc", true],
      ["a*b*c", "aXbY", false],
      ["[", "[", true],
    ];
    for (const [p, t, want] of cases) assert.equal(globMatch(p, t), want, `${p} ~ ${t}`);
    // a backtracking regex takes exponential time on this; the matcher takes 200 × 20000 steps
    assert.equal(globMatch(`${"*a".repeat(200)}b`, "a".repeat(20000)), false);
  });

  it("answers tail, range and search", () => {
    const h = new History();
    for (const [i, code] of ["1 + 1", "const a = 2;", "1 + 1", "a * 3"].entries())
      h.add(i + 1, code).output = `out${i + 1}`;
    assert.deepEqual(h.query({ hist_access_type: "tail", n: 2 }), [
      [SESSION, 3, "1 + 1"],
      [SESSION, 4, "a * 3"],
    ]);
    assert.deepEqual(h.query({ hist_access_type: "tail", n: 0 }), []);
    assert.deepEqual(h.query({ hist_access_type: "range", session: 0, start: 2, stop: 3, output: true }), [
      [SESSION, 2, ["const a = 2;", "out2"]],
    ]);
    assert.deepEqual(h.query({ hist_access_type: "range", session: 7 }), [], "another session has nothing");
    assert.deepEqual(h.query({ hist_access_type: "search", pattern: "1 + ?", unique: true }), [[SESSION, 3, "1 + 1"]]);
  });
});
