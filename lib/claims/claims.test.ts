import assert from "node:assert/strict";
import { claimBook, ClaimFailed, claimsTableBundle, fmt, pct } from "./index";

describe("claims", () => {
  const quiet = <T>(f: () => T): T => { const log = console.log; console.log = () => {}; try { return f(); } finally { console.log = log; } };
  it("records a holding claim and throws ClaimFailed for one that fails", () => {
    const book = claimBook("00-test");
    quiet(() => book.check("a", "two exceeds one", { paper: "2 > 1", ours: 2, holds: 2 > 1 }));
    assert.throws(() => quiet(() => book.check("b", "one exceeds two", { paper: "1 > 2", ours: "1", holds: false })), ClaimFailed);
    assert.deepEqual(book.records.map((r) => [r.id, r.holds]), [["a", true], ["b", false]]);
  });
  it("a re-run claim replaces the earlier record", () => {
    const book = claimBook("00-test");
    quiet(() => book.check("a", "x", { paper: "p", ours: 1, holds: true }));
    quiet(() => book.check("a", "x", { paper: "p", ours: 2, holds: true }));
    assert.equal(book.records.length, 1);
    assert.equal(book.records[0].ours, "2.000");
  });
  it("the table escapes HTML and pipes", () => {
    const t = claimsTableBundle([{ paper: "p", id: "i", claim: "a|b <c>", paperFigure: "1", ours: "2", holds: true }]);
    assert.match(t["text/markdown"], /a\\\|b <c>/);
    assert.match(t["text/html"], /a\|b &lt;c&gt;/);
  });
  it("formats numbers", () => {
    assert.equal(fmt(0.12345), "0.123");
    assert.equal(fmt(1.5e-5), "1.50e-5");
    assert.equal(pct(0.9876), "98.8%");
  });
});
