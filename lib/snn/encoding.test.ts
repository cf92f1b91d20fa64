import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { rateEncode, latencyEncode, encodeBatch } from "./encoding";

describe("spike encoders", () => {
  it("rate coding: the seeded Bernoulli rate is p within 4 standard errors, per input", () => {
    const x = [0, 0.1, 0.3, 0.7, 1];
    const T = 4000;
    const s = rateEncode(x, T, rng(7));
    x.forEach((p, i) => {
      let c = 0;
      for (let t = 0; t < T; t++) c += s[t * x.length + i];
      const se = Math.sqrt((p * (1 - p)) / T);
      assert.ok(Math.abs(c / T - p) <= 4 * se + 1e-12, `input ${i}: rate ${c / T} vs ${p}`);
    });
  });

  it("rate coding is reproducible from the seed and changes with it", () => {
    const x = new Float32Array(50).fill(0.5);
    assert.deepEqual(rateEncode(x, 10, rng(3)), rateEncode(x, 10, rng(3)));
    assert.notDeepEqual(rateEncode(x, 10, rng(3)), rateEncode(x, 10, rng(4)));
  });

  it("latency coding: one spike at round((1 − x)(T − 1)), none under threshold", () => {
    const x = [1, 0.5, 0, 0.25];
    const T = 11,
      s = latencyEncode(x, T);
    const times = x.map((_, i) => {
      const t: number[] = [];
      for (let k = 0; k < T; k++) if (s[k * x.length + i]) t.push(k);
      return t;
    });
    assert.deepEqual(times, [[0], [5], [], [8]]); // 0.75·10 = 7.5 → 8
  });

  it("encodeBatch lays rows out time-major [T, rows, d]", () => {
    const x = Float32Array.from([1, 0, 0, 1]); // two rows of d = 2
    const out = encodeBatch(x, 2, 2, 3, (row) => latencyEncode(row, 3));
    // row 0 = [1,0] spikes input 0 at t=0; row 1 = [0,1] spikes input 1 at t=0
    assert.deepEqual(Array.from(out), [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
