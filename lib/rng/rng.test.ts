import assert from "node:assert/strict";
import { mix32, rng } from "./index";

describe("rng", () => {
  it("is reproducible per seed and differs across seeds", () => {
    const a = rng(42),
      b = rng(42),
      c = rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.nextU32()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c.nextU32()),
    );
  });
  it("mix32 is a bijection on a sample (no collisions among 10^5 inputs)", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100000; i++) seen.add(mix32(i));
    assert.equal(seen.size, 100000);
  });
  it("uniform has mean 1/2 and variance 1/12; normal has mean 0 and variance 1", () => {
    const r = rng(1),
      n = 200000;
    let s = 0,
      s2 = 0,
      z = 0,
      z2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += u * u;
      const g = r.normal();
      z += g;
      z2 += g * g;
    }
    assert.ok(Math.abs(s / n - 0.5) < 0.005);
    assert.ok(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12) < 0.002);
    assert.ok(Math.abs(z / n) < 0.01);
    assert.ok(Math.abs(z2 / n - 1) < 0.02);
  });
  it("int(n) covers [0, n) uniformly and permutation is a permutation", () => {
    const r = rng(3),
      counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `${counts}`);
    const p = Array.from(r.permutation(100)).sort((x, y) => x - y);
    assert.deepEqual(
      p,
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
  it("rejects a non-integer seed", () => assert.throws(() => rng(0.5), /integer/));
  it("derive(label) is pure: the same stream whatever was drawn before, distinct across labels and parents", () => {
    const k = rng(7);
    const first = k.derive("train").nextU32();
    k.nextU32();
    k.normal();
    k.derive("other");
    assert.equal(k.derive("train").nextU32(), first);
    assert.notEqual(k.derive("test").nextU32(), first);
    assert.notEqual(rng(8).derive("train").nextU32(), first);
    assert.equal(k.derive(3).nextU32(), k.derive("3").nextU32());
    const labels = new Set(Array.from({ length: 10000 }, (_, i) => k.derive(`seed/${i}`).seed));
    assert.equal(labels.size, 10000, "no collisions among 10^4 labels");
  });
});
