import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { lifStep, unroll, denseLif, checkLifParams, resetSwitches, RESETS, type LifParams } from "./lif";
import { fastSigmoid } from "./surrogate";

/** Spike times (1-indexed steps) of one neuron driven by a constant current I for T steps. */
function spikeTimes(p: LifParams, I: number, T: number): number[] {
  return tf.tidy(() => {
    const x = tf.fill([T, 1, 1], I);
    const s = unroll(p, x).spikes.dataSync();
    const out: number[] = [];
    s.forEach((v, t) => {
      if (v === 1) out.push(t + 1);
    });
    return out;
  });
}

describe("lif: dynamics against closed-form traces", () => {
  it("IF, hard reset: u_t = tI fires every ceil(θ/I) steps", () => {
    // θ = 1, I = 1/4: u reaches 1 at t = 4, resets to 0, so spikes at 4, 8, 12, 16, 20
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "hard" }, 0.25, 20), [4, 8, 12, 16, 20]);
    // I = 3/8: u = 0.375, 0.75, 1.125 → spike at 3, period 3
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "hard" }, 0.375, 12), [3, 6, 9, 12]);
  });

  it("IF, soft reset: spike count after t steps is floor(tI/θ), the remainder is kept", () => {
    const I = 0.375,
      T = 24;
    const expected: number[] = [];
    for (let t = 1; t <= T; t++) if (Math.floor((t * I) / 1) > Math.floor(((t - 1) * I) / 1)) expected.push(t);
    assert.deepEqual(expected, [3, 6, 8, 11, 14, 16, 19, 22, 24]); // the hand computation
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "soft" }, I, T), expected);
  });

  it("IF, no reset: fires on every step once u = tI has crossed θ", () => {
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "none" }, 0.25, 8), [4, 5, 6, 7, 8]);
  });

  it("leaky, hard reset: first spike at t* = ceil(log(1 − θ(1−k)/I) / log k), then periodic", () => {
    const k = 0.5,
      I = 0.6,
      th = 1;
    const tStar = Math.ceil(Math.log(1 - (th * (1 - k)) / I) / Math.log(k));
    assert.equal(tStar, 3);
    assert.deepEqual(spikeTimes({ kTau: k, uTh: th, reset: "hard" }, I, 12), [3, 6, 9, 12]);
    // k = 0.9, I = 0.2: t* = ceil(log(0.5)/log(0.9)) = 7
    const t2 = Math.ceil(Math.log(1 - (1 * 0.1) / 0.2) / Math.log(0.9));
    assert.equal(t2, 7);
    assert.deepEqual(spikeTimes({ kTau: 0.9, uTh: 1, reset: "hard" }, 0.2, 14), [7, 14]);
  });

  it("leaky: below the rheobase I < θ(1 − k) it never fires, while IF with the same input does", () => {
    assert.deepEqual(spikeTimes({ kTau: 0.5, uTh: 1, reset: "hard" }, 0.4, 60), []);
    assert.ok(spikeTimes({ kTau: 1, uTh: 1, reset: "hard" }, 0.4, 60).length > 0);
  });

  it("complete leak k_τ = 0: spikes exactly when I ≥ θ", () => {
    assert.deepEqual(spikeTimes({ kTau: 0, uTh: 1, reset: "none" }, 0.99, 5), []);
    assert.deepEqual(spikeTimes({ kTau: 0, uTh: 1, reset: "none" }, 1, 3), [1, 2, 3]);
  });

  it("hard reset to u_reset ≠ 0 and the membrane trace match a hand computation", () => {
    const p: LifParams = { kTau: 0.5, uTh: 1, reset: "hard", uReset: 0.5 };
    const u = tf.tidy(() => Array.from(unroll(p, tf.fill([4, 1, 1], 0.75)).u.dataSync()));
    // u1 = 0.75; u2 = 0.375 + 0.75 = 1.125 (spike, h = 0.5); u3 = 0.25 + 0.75 = 1.0 (spike, h = 0.5); u4 = 1.0
    assert.deepEqual(u, [0.75, 1.125, 1, 1]);
  });

  it("recurrence adds o^{t−1} V to the next step's input", () => {
    const V = tf.tensor2d([[0.5]]);
    // IF, hard, I = 1/4: first spike at 4; then u = 0.25 + 0.5 = 0.75, then 1.0 → spikes every 2 steps
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "hard", V }, 0.25, 10), [4, 6, 8, 10]);
    // inhibitory recurrence delays the next spike: after a spike u = 0.25 − 0.5 = −0.25, then 0, 0.25, 0.5, 0.75, 1.0 at +6
    assert.deepEqual(spikeTimes({ kTau: 1, uTh: 1, reset: "hard", V: tf.tensor2d([[-0.5]]) }, 0.25, 15), [4, 10]);
    V.dispose();
  });

  it("one step is pure: the input state is not changed", () => {
    const s = { h: tf.tensor2d([[0.5, 0.9]]), o: tf.tensor2d([[0, 0]]) };
    const r = lifStep({ kTau: 1, uTh: 1, reset: "soft" }, s, tf.tensor2d([[0.1, 0.2]]));
    assert.deepEqual(Array.from(s.h.dataSync()), [0.5, 0.8999999761581421]);
    assert.deepEqual(Array.from(r.output.dataSync()), [0, 1]);
    assert.ok(Math.abs(r.state.h.dataSync()[1] - 0.1) < 1e-6);
  });

  it("a ResetMix with the switches of each named reset reproduces it, neuron by neuron", () => {
    // three neurons side by side: hard, soft, none; the same drive, u_reset = 0.25 for the hard one
    const I = tf.fill([9, 1, 3], 0.375);
    const mix = { hard: tf.tensor1d([1, 0, 0]), soft: tf.tensor1d([0, 1, 0]) };
    const got = tf.tidy(() => unroll({ kTau: 0.9, uTh: 1, reset: mix, uReset: 0.25 }, I).u.arraySync() as number[][][]);
    RESETS.forEach((reset, j) => {
      const ref = tf.tidy(() =>
        Array.from(unroll({ kTau: 0.9, uTh: 1, reset, uReset: 0.25 }, tf.fill([9, 1, 1], 0.375)).u.dataSync()),
      );
      ref.forEach((v, t) =>
        assert.ok(Math.abs(got[t][0][j] - v) < 1e-6, `${reset} at t=${t}: ${got[t][0][j]} vs ${v}`),
      );
      assert.deepEqual(resetSwitches(reset), [mix.hard.arraySync()[j], mix.soft.arraySync()[j]]);
    });
  });

  it("rejects a leak outside [0,1], a non-positive threshold or an unknown reset", () => {
    assert.throws(() => checkLifParams({ kTau: 1.2, uTh: 1, reset: "hard" }), /k_τ/);
    assert.throws(() => checkLifParams({ kTau: 0.5, uTh: 0, reset: "hard" }), /threshold/);
    assert.throws(() => checkLifParams({ kTau: 0.5, uTh: 1, reset: "zero" as never }), /reset/);
  });
});

describe("lif: backpropagation through time", () => {
  it("one step: d o / d I equals the surrogate derivative at u − θ", () => {
    const sg = fastSigmoid(25);
    const I = tf.tensor2d([[0.8, 1.1]]);
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(
        lifStep({ kTau: 1, uTh: 1, reset: "hard", surrogate: sg }, { h: tf.zeros([1, 2]), o: tf.zeros([1, 2]) }, x)
          .output,
      ),
    )(I);
    const got = Array.from(g.dataSync());
    // 1/(1 + 25·0.2)² = 1/36 and 1/(1 + 25·0.1)² = 1/12.25
    assert.ok(Math.abs(got[0] - 1 / 36) < 1e-6 && Math.abs(got[1] - 1 / 12.25) < 1e-6, String(got));
  });

  it("two IF steps without reset: d o² / d I¹ = σ'(u² − θ) (the membrane carries the gradient back)", () => {
    const sg = fastSigmoid(25);
    const I1 = tf.tensor3d([[[0.3]]]);
    const f = (x: tf.Tensor) =>
      unroll({ kTau: 1, uTh: 1, reset: "none", surrogate: sg }, tf.concat([x, tf.fill([1, 1, 1], 0.5)], 0))
        .spikes.slice([1, 0, 0], [1, 1, 1])
        .sum();
    const g = tf.grad(f)(I1).dataSync()[0];
    // u² = 0.3 + 0.5 = 0.8 → σ'(−0.2) = 1/36; with leak 0.5 it would be halved
    assert.ok(Math.abs(g - 1 / 36) < 1e-6, String(g));
    const fk = (x: tf.Tensor) =>
      unroll({ kTau: 0.5, uTh: 1, reset: "none", surrogate: sg }, tf.concat([x, tf.fill([1, 1, 1], 0.5)], 0))
        .spikes.slice([1, 0, 0], [1, 1, 1])
        .sum();
    const gk = tf.grad(fk)(I1).dataSync()[0];
    // u² = 0.15 + 0.5 = 0.65 → 0.5 · σ'(−0.35) = 0.5/(1 + 8.75)²
    assert.ok(Math.abs(gk - 0.5 / 9.75 ** 2) < 1e-6, String(gk));
  });

  it("detachReset removes the reset path from the gradient", () => {
    const sg = fastSigmoid(25);
    const grad = (detach: boolean) =>
      tf.tidy(
        () =>
          tf
            .grad((x: tf.Tensor) =>
              unroll(
                { kTau: 1, uTh: 1, reset: "soft", surrogate: sg, detachReset: detach },
                tf.concat([x, tf.fill([1, 1, 1], 0.5)], 0),
              )
                .spikes.slice([1, 0, 0], [1, 1, 1])
                .sum(),
            )(tf.tensor3d([[[1.05]]]))
            .dataSync()[0],
      );
    // u¹ = 1.05 spikes, h¹ = 0.05, u² = 0.55. Detached: dh¹/dI¹ = 1 → σ'(−0.45).
    // Attached: dh¹/dI¹ = 1 − θ σ'(0.05) → σ'(−0.45)(1 − σ'(0.05)).
    const s = (x: number) => 1 / (1 + 25 * Math.abs(x)) ** 2;
    assert.ok(Math.abs(grad(true) - s(-0.45)) < 1e-6);
    assert.ok(Math.abs(grad(false) - s(-0.45) * (1 - s(0.05))) < 1e-6);
  });

  it("denseLif trains: a few Adam steps raise the spike count of a target neuron", () => {
    const W = tf.variable(tf.fill([3, 2], 0.1) as tf.Tensor2D);
    const x = tf.ones([5, 4, 3]) as tf.Tensor3D;
    const p: LifParams = { kTau: 0.8, uTh: 1, reset: "hard" };
    const count = () => tf.tidy(() => denseLif(p, W, undefined, x).spikes.sum([0, 1]).dataSync()[0]);
    const before = count();
    const opt = tf.train.adam(0.05);
    for (let i = 0; i < 20; i++)
      opt.minimize(() => tf.neg(tf.mean(denseLif(p, W, undefined, x).spikes.slice([0, 0, 0], [5, 4, 1]))) as tf.Scalar);
    assert.ok(count() > before, `${before} → ${count()}`);
  });
});
