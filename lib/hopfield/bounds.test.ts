import { strict as assert } from "node:assert";
import { rng } from "../rng";
import {
  crossEntropyViaEnergy,
  distanceReadoutCrossEntropy,
  entropyOfCounts,
  meanCrossEntropy,
  memorisationFloor,
} from "./bounds";
import { markovSource, oracleLoss, sampleSource, sourceNextProbs } from "./corpus";
import { halfSqDistances } from "./energy";

describe("hopfield/bounds", () => {
  it("distance read-out cross-entropy = β(d_k − E) and lies in [β(d_k − min d), β(d_k − min d) + log N]", () => {
    const r = rng(31);
    for (let c = 0; c < 200; c++) {
      const n = 2 + r.int(30),
        d = 1 + r.int(8),
        beta = 0.1 + 3 * r.uniform();
      const P = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal(0, 2)));
      const x = Array.from({ length: d }, () => r.normal(0, 2)),
        k = r.int(n);
      // direct softmax, computed without LogSumExp helpers
      const D = halfSqDistances(P, x),
        e = D.map((v) => Math.exp(-beta * (v - Math.min(...D))));
      const direct = -Math.log(e[k] / e.reduce((a, b) => a + b, 0));
      const ce = distanceReadoutCrossEntropy(P, x, k, beta);
      assert.ok(Math.abs(ce - direct) < 1e-9 && Math.abs(crossEntropyViaEnergy(P, x, k, beta) - direct) < 1e-9);
      const gap = beta * (D[k] - Math.min(...D));
      assert.ok(ce >= gap - 1e-12 && ce <= gap + Math.log(n) + 1e-12);
    }
  });

  it("memorisation floor on a hand example: A→x,x,y,y and B→z gives 4·log 2 / 5", () => {
    const pairs = [
      ["A", 0],
      ["A", 0],
      ["A", 1],
      ["A", 1],
      ["B", 2],
    ].map(([context, next]) => ({ context: context as string, next: next as number }));
    assert.ok(Math.abs(memorisationFloor(pairs) - (4 * Math.log(2)) / 5) < 1e-15);
    assert.ok(Math.abs(entropyOfCounts([1, 1, 1, 1]) - Math.log(4)) < 1e-15);
  });

  it("no model's cross-entropy on the pairs falls below the memorisation floor (Gibbs), random models", () => {
    const r = rng(32);
    const pairs = Array.from({ length: 400 }, () => ({ context: String(r.int(12)), next: r.int(5) }));
    const floor = memorisationFloor(pairs);
    for (let c = 0; c < 100; c++) {
      const table = new Map<string, number[]>();
      const q = (ctx: string) => {
        let p = table.get(ctx);
        if (!p) {
          const g = Array.from({ length: 5 }, () => r.uniform() + 1e-3);
          const z = g.reduce((a, b) => a + b);
          table.set(ctx, (p = g.map((v) => v / z)));
        }
        return p;
      };
      assert.ok(meanCrossEntropy(pairs, q) >= floor);
    }
  });

  it("Markov source: branching 1 has zero entropy; a long sample's oracle loss matches the entropy rate", () => {
    const det = markovSource({ vocab: 6, order: 2, branching: 1, rng: rng(33) });
    assert.ok(Math.abs(det.entropyRate) < 1e-12);
    const src = markovSource({ vocab: 8, order: 2, branching: 3, rng: rng(34) });
    const toks = sampleSource(src, 200_000, rng(35));
    let s = 0;
    for (let t = 2; t < toks.length; t++) s -= Math.log(sourceNextProbs(src, toks.subarray(t - 2, t))[toks[t]]);
    const oracle = s / (toks.length - 2);
    assert.ok(Math.abs(oracle - src.entropyRate) < 0.02, `oracle ${oracle} vs H ${src.entropyRate}`);
    assert.ok(src.entropyRate > 0 && src.entropyRate < Math.log(3));
  });

  it("oracleLoss averages −log P over targets with a full history inside each window", () => {
    const src = markovSource({ vocab: 5, order: 2, branching: 2, rng: rng(36) });
    const toks = sampleSource(src, 35, rng(37)),
      T = 6;
    let s = 0,
      n = 0;
    for (let i = 0; i < 5; i++)
      for (let j = 2; j <= T; j++) {
        const t = i * 7 + j;
        s -= Math.log(sourceNextProbs(src, toks.subarray(t - 2, t))[toks[t]]);
        n++;
      }
    assert.ok(Math.abs(oracleLoss(src, toks, T).mean - s / n) < 1e-12);
    const long = oracleLoss(src, sampleSource(src, 100_000, rng(38)), 16);
    assert.ok(
      Math.abs(long.mean - src.entropyRate) < 4 * long.se + 0.01,
      `${long.mean} ± ${long.se} vs ${src.entropyRate}`,
    );
  });
});
