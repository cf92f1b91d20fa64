import assert from "node:assert/strict";
import { parseClaimRecord } from "@folio/protocol/claims";
import {
  above,
  claimBook,
  claimBundle,
  ClaimFailed,
  ClaimMisstated,
  claimsTableBundle,
  findingRecord,
  fmt,
  pct,
  test,
} from "./index";

const quiet = <T>(f: () => T): T => {
  const log = console.log;
  console.log = () => {};
  try {
    return f();
  } finally {
    console.log = log;
  }
};

describe("claims", () => {
  const seeds = [0, 1, 2],
    spread = "sd 0.01";
  it("an identity holds or throws ClaimFailed", () => {
    const book = claimBook("00-test");
    quiet(() =>
      book.identity("sum", "softmax sums to one", {
        paper: "Σ = 1",
        ours: 1,
        holds: true,
        why: "normalised by construction",
      }),
    );
    assert.throws(
      () =>
        quiet(() =>
          book.identity("bad", "one exceeds two", { paper: "1 > 2", ours: "1", holds: false, why: "arithmetic" }),
        ),
      ClaimFailed,
    );
    assert.deepEqual(
      book.records.map((r) => [r.id, r.kind, r.holds]),
      [
        ["sum", "identity", true],
        ["bad", "identity", false],
      ],
    );
  });
  it("a finding applies one test to ours and to the control; it throws when the control passes too", () => {
    const book = claimBook("00-test");
    quiet(() =>
      book.finding("gain", "attention helps", {
        paper: "+3 pts",
        ours: 0.04,
        test: above(0.02),
        control: { label: "no attention", ours: 0.001 },
        seeds,
        spread,
      }),
    );
    const r = book.records[0];
    assert.deepEqual([r.holds, r.control?.holds, r.test, r.control?.ours], [true, false, "> 0.02", "0.001"]);
    const e = (() => {
      try {
        quiet(() =>
          book.finding("leaky", "any model helps", {
            paper: "+3 pts",
            ours: 0.04,
            test: above(0.02),
            control: { label: "shuffled labels", ours: 0.03 },
            seeds,
            spread,
          }),
        );
      } catch (x) {
        return x;
      }
    })();
    assert.ok(e instanceof ClaimFailed && /does not discriminate/.test(e.message), String(e));
    assert.throws(
      () =>
        quiet(() =>
          book.finding("lost", "x", {
            paper: "p",
            ours: 0.01,
            test: above(0.02),
            control: { label: "c", ours: 0 },
            seeds,
            spread,
          }),
        ),
      ClaimFailed,
    );
  });
  it("a finding by verdict records the control's own verdict", () => {
    const rec = findingRecord("00-test", "ks", "widths share one distribution", {
      paper: "same distribution",
      ours: "p = 0.4",
      holds: true,
      test: "KS p > 0.05 on all four statistics",
      control: { label: "width 16 vs a shuffled-label network", ours: "p = 1e-9", holds: false },
      seeds,
      spread,
    });
    assert.equal(rec.control?.holds, false);
    assert.equal(rec.test, "KS p > 0.05 on all four statistics");
  });
  it("refuses findings stated without their seeds' spread, or with too few seeds and no reason", () => {
    const base = { paper: "p", ours: 1, test: above(0), control: { label: "c", ours: -1 } };
    assert.throws(() => findingRecord("t", "a", "c", { ...base, seeds: [0, 1, 2] }), ClaimMisstated);
    assert.throws(() => findingRecord("t", "a", "c", { ...base, seeds: [0] }), ClaimMisstated);
    assert.throws(() => findingRecord("t", "a", "c", { ...base, seeds: [1, 1, 2], spread }), ClaimMisstated);
    assert.equal(
      findingRecord("t", "a", "c", { ...base, seeds: [0], note: "one seed: the network takes 9 min to train" }).note,
      "one seed: the network takes 9 min to train",
    );
    assert.deepEqual(findingRecord("t", "a", "c", { ...base, seeds: [] }).seeds, [], "deterministic");
  });
  it("round trip: every record the book publishes parses back identically", () => {
    const book = claimBook("00-test");
    quiet(() => {
      book.identity("i", "x", { paper: "p", ours: 2, holds: true, why: "w" });
      book.finding("f", "y", {
        paper: "p",
        ours: 0.5,
        test: test("p < 0.6", (p) => p < 0.6),
        control: { label: "null", ours: 0.9 },
        seeds,
        spread,
        note: "n",
      });
    });
    for (const r of book.records) {
      const p = parseClaimRecord(JSON.parse(JSON.stringify(r)));
      assert.ok(p.ok, p.ok ? "" : p.reason);
      assert.deepEqual(p.ok && p.record, r);
    }
    assert.deepEqual(parseClaimRecord({ ...book.records[1], control: undefined }), {
      ok: false,
      reason: 'finding "f" has no control',
    });
    assert.equal(parseClaimRecord({ ...book.records[0], kind: undefined }).ok, false);
    assert.equal(parseClaimRecord(null).ok, false);
  });
  it("a re-run claim replaces the earlier record", () => {
    const book = claimBook("00-test");
    quiet(() => book.identity("a", "x", { paper: "p", ours: 1, holds: true, why: "w" }));
    quiet(() => book.identity("a", "x", { paper: "p", ours: 2, holds: true, why: "w" }));
    assert.equal(book.records.length, 1);
    assert.equal(book.records[0].ours, "2.000");
  });
  it("the table puts findings (with control and seeds) before identities, escaping HTML and pipes", () => {
    const book = claimBook("00-test");
    quiet(() => {
      book.identity("i", "a|b <c>", { paper: "1", ours: "2", holds: true, why: "by construction" });
      book.finding("f", "finding", {
        paper: "p",
        ours: 0.5,
        test: above(0.1),
        control: { label: "control", ours: 0 },
        seeds,
        spread,
      });
    });
    const t = claimsTableBundle(book.records);
    assert.ok(t["text/markdown"].indexOf("**Findings**") < t["text/markdown"].indexOf("**Identities"));
    assert.match(t["text/markdown"], /a\\\|b <c>/);
    assert.match(t["text/markdown"], /control: 0\.000 \(fails\) \| 3 seeds \(0, 1, 2\); sd 0\.01 \| holds/);
    assert.match(t["text/html"], /a\|b &lt;c&gt;/);
  });
  it("each claim is also sanitiser-safe HTML (shown where markdown outputs of untrusted notebooks are not), escaped", () => {
    const book = claimBook("00-test");
    quiet(() => book.identity("i<1>", "a <b> & c", { paper: "1", ours: "2", holds: true, why: "by construction" }));
    const html = String(claimBundle(book.records[0])["text/html"]);
    assert.match(
      html,
      /^<div class="folio-claim"><strong>Identity <code>i&lt;1&gt;<\/code><\/strong> ✔ holds: a &lt;b&gt; &amp; c<br>paper: 1 · ours: 2<\/div>$/,
    );
  });
  it("formats numbers", () => {
    assert.equal(fmt(0.12345), "0.123");
    assert.equal(fmt(1.5e-5), "1.50e-5");
    assert.equal(pct(0.9876), "98.8%");
  });
});
