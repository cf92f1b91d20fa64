import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend, tf } from "../tensor";
import { markovSource, sampleSource } from "./corpus";
import {
  fitBeta,
  lastLayerStates,
  memoryReading,
  memoryLoss,
  nearestPatterns,
  squaredDistances,
  type States,
} from "./memory";
import { disposeLM, initTinyLM, lmHidden, toWindows } from "./transformer";

const states = (rows: number[][], y: number[]): States => ({
  X: Float32Array.from(rows.flat()),
  y: Int32Array.from(y),
  n: rows.length,
  d: rows[0].length,
});

describe("hopfield/memory", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("squared distances, nearest patterns and the radius on a hand case", () => {
    const S = states(
        [
          [0, 0],
          [3, 4],
          [10, 0],
        ],
        [1, 2, 1],
      ),
      Q = states(
        [
          [3, 3],
          [9, 1],
        ],
        [2, 2],
      );
    assert.deepEqual(Array.from(squaredDistances(Q, S)), [18, 1, 58, 82, 45, 2]);
    const { r, sameNext } = nearestPatterns(Q, S);
    assert.deepEqual(Array.from(r), [1, Math.SQRT2]);
    assert.deepEqual(Array.from(sameNext), [1, 0]);
    assert.deepEqual(Array.from(nearestPatterns(S, S, undefined, true).r), [5, 5, Math.sqrt(65)]);
  });

  it("the memory read-out: a sharp memory pays −log(1 − ε + ε/V) on a hit and −log(ε/V) on a miss", () => {
    const S = states(
        [
          [0, 0],
          [10, 0],
        ],
        [0, 1],
      ),
      V = 4,
      eps = 0.01;
    const hit = memoryLoss(states([[0.1, 0]], [0]), S, V, 100, eps),
      miss = memoryLoss(states([[0.1, 0]], [1]), S, V, 100, eps);
    assert.ok(
      Math.abs(hit + Math.log(1 - eps + eps / V)) < 1e-9 && Math.abs(miss + Math.log(eps / V)) < 1e-6,
      `${hit} ${miss}`,
    );
    // β → 0: every stored token weighs 1/n
    assert.ok(
      Math.abs(memoryLoss(states([[5, 0]], [0]), S, V, 1e-12, eps) + Math.log((1 - eps) * 0.5 + eps / V)) < 1e-9,
    );
    const beta = fitBeta(
      states(
        [
          [0, 0],
          [0.1, 0],
          [10, 0],
          [10.1, 0],
        ],
        [0, 0, 1, 1],
      ),
      V,
      eps,
    );
    assert.ok(Number.isFinite(beta) && beta > 0);
  });

  it("last-layer states are the final representations of every position, with the next tokens", () => {
    const src = markovSource({ vocab: 5, order: 1, branching: 2, rng: rng(81) });
    const w = toWindows(sampleSource(src, 300, rng(82)), 4),
      m = initTinyLM({ vocab: 5, context: 4, dModel: 6, layers: 1 }, rng(83));
    const s = lastLayerStates(m, w, 3);
    assert.equal(s.n, 12);
    assert.equal(s.d, 6);
    const want = tf.tidy(() => lmHidden(m, w.slice([0, 0], [3, 4]) as tf.Tensor2D).dataSync());
    assert.ok(Array.from(want).every((v, i) => Math.abs(v - s.X[i]) < 1e-6));
    assert.deepEqual(Array.from(s.y), Array.from(w.slice([0, 1], [3, 4]).dataSync()));
    disposeLM(m);
    w.dispose();
  });

  it("the memory reading of a model against itself gives equal trained and initial numbers", () => {
    const src = markovSource({ vocab: 5, order: 1, branching: 2, rng: rng(85) });
    const train = toWindows(sampleSource(src, 600, rng(86)), 4),
      held = toWindows(sampleSource(src, 300, rng(87)), 4);
    const m = initTinyLM({ vocab: 5, context: 4, dModel: 6, layers: 1 }, rng(88));
    const r = memoryReading(m, m, train, held, { stored: 40, queries: 10 });
    assert.equal(r.r, r.r0);
    assert.equal(r.memLoss, r.memLoss0);
    assert.ok(r.r >= 0 && r.sep >= 0 && r.memLoss > 0 && r.beta > 0); // identical short contexts have identical states
    disposeLM(m);
    train.dispose();
    held.dispose();
  });
});
