import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend, tf } from "../tensor";
import { attention } from "./attention";
import { markovSource, sampleSource } from "./corpus";
import { mchnUpdate } from "./energy";
import { disposeLM, evalLoss, initTinyLM, tokenLosses, toWindows, trainLM } from "./transformer";

describe("hopfield/transformer", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("tfjs attention (float32) matches the float64 Hopfield update with Q = ξ, K = V = X", () => {
    const r = rng(41);
    const X = Array.from({ length: 9 }, () => Array.from({ length: 6 }, () => r.normal()));
    const xi = Array.from({ length: 6 }, () => r.normal());
    const got = tf.tidy(() => {
      const K = tf.tensor3d([X]),
        q = tf.tensor3d([[xi]]);
      return Array.from(tf.matMul(tf.softmax(tf.matMul(q, tf.transpose(K, [0, 2, 1])).mul(0.7)), K).dataSync());
    });
    const want = mchnUpdate(X, xi, 0.7),
      ref = attention([xi], X, X, 0.7)[0];
    want.forEach((v, i) => {
      assert.ok(Math.abs(v - got[i]) < 1e-5);
      assert.ok(Math.abs(v - ref[i]) < 1e-12);
    });
  });

  it("training lowers the loss of a tiny LM towards (not below) its entropy rate, and leaves another live model alone", async () => {
    const r = rng(42);
    const src = markovSource({ vocab: 8, order: 1, branching: 2, rng: r.derive("src") });
    const w = toWindows(sampleSource(src, 20_000, r.derive("tokens")), 8);
    const m = initTinyLM({ vocab: 8, context: 8, dModel: 16, layers: 1 }, r.derive("m")),
      other = initTinyLM({ vocab: 8, context: 8, dModel: 8, layers: 1 }, r.derive("other"));
    const before = evalLoss(m, w),
      otherBefore = evalLoss(other, w);
    await trainLM(m, w, { steps: 150, batch: 32, lr: 0.01, rng: r.derive("batches") });
    const after = evalLoss(m, w);
    assert.ok(after < before - 0.5, `${before} → ${after}`);
    assert.ok(after > src.entropyRate - 0.05 && after < src.entropyRate + 0.3, `after ${after}, H ${src.entropyRate}`);
    assert.equal(evalLoss(other, w), otherBefore);
    // per-token losses average to the loss
    assert.ok(
      Math.abs(
        tf.tidy(
          () =>
            tokenLosses(m, w.slice([0, 0], [256, -1]) as tf.Tensor2D)
              .mean()
              .dataSync()[0],
        ) - evalLoss(m, w.slice([0, 0], [256, -1]) as tf.Tensor2D),
      ) < 1e-5,
    );
    disposeLM(m);
    disposeLM(other);
    w.dispose();
  });
});
