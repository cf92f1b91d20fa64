import assert from "node:assert/strict";
import { formatCell, summarizeBy, tableBundle } from "./index";

describe("table", () => {
  it("formats numbers at fixed significant digits, integers as they are", () => {
    assert.equal(formatCell(0.123456), "0.1235");
    assert.equal(formatCell(12), "12");
    assert.equal(formatCell(1.5e-5), "1.500e-5");
    assert.equal(formatCell(null), "");
    assert.equal(formatCell(2 / 3, 2), "0.67");
  });
  it("renders markdown with right-aligned numeric columns and escaped HTML", () => {
    const b = tableBundle(
      [
        { model: "a|b", acc: 0.91 },
        { model: "<c>", acc: 0.8 },
      ],
      { caption: "acc" },
    );
    assert.match(String(b["text/markdown"]), /\| model \| acc \|\n\|---\|---:\|\n\| a\\\|b \| 0\.91 \|/);
    assert.match(String(b["text/html"]), /&lt;c&gt;/);
  });
  it("summarizeBy pools seeds into mean and sd per group", () => {
    const rows = [0, 1, 2].flatMap((seed) => [
      { model: "A", seed, acc: 0.9 + seed * 0.01 },
      { model: "B", seed, acc: 0.5 },
    ]);
    const s = summarizeBy(rows, ["model"], ["acc"]);
    assert.deepEqual(
      s.map((r) => [r.model, r.n]),
      [
        ["A", 3],
        ["B", 3],
      ],
    );
    assert.ok(Math.abs(Number(s[0].acc) - 0.91) < 1e-12 && Math.abs(Number(s[0]["acc sd"]) - 0.01) < 1e-12);
    assert.equal(s[1]["acc sd"], 0);
  });
});
