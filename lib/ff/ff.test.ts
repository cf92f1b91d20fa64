import { strict as assert } from "node:assert";
import { initBackend, tf } from "../tensor";
import { rng } from "../rng";
import { rmsNorm, reluFullGrad, embedLabels, goodness, ffLayerLoss, wrongLabels, createFF, ffTrainStep, ffScores, centroidGoodness, nPairMarginLoss, createDF, dfTrainStep, dfScores, softmaxCrossEntropy, createBP, bpTrainStep, bpScores, accuracy, mcnemarZ } from "./index";

const close = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const arr = (t: tf.Tensor) => Array.from(t.dataSync());

/** Central finite differences of a scalar function of one tensor, entry by entry, in float32. */
function finiteDiff(f: (x: tf.Tensor) => tf.Scalar, x: Float32Array, shape: number[], eps = 1e-2): number[] {
  return Array.from(x, (_, i) => {
    const up = x.slice(), dn = x.slice();
    up[i] += eps; dn[i] -= eps;
    const [a, b] = tf.tidy(() => [f(tf.tensor(up, shape)).dataSync()[0], f(tf.tensor(dn, shape)).dataSync()[0]]);
    return (a - b) / (2 * eps);
  });
}

function assertGradMatches(f: (x: tf.Tensor) => tf.Scalar, x: Float32Array, shape: number[], tol = 2e-2) {
  const g = tf.tidy(() => arr(tf.grad(f)(tf.tensor(x, shape))));
  const fd = finiteDiff(f, x, shape);
  g.forEach((v, i) => close(v, fd[i], tol, `grad[${i}]`));
}

describe("lib/ff", () => {
  before(async () => { await initBackend({ quiet: true }); });

  describe("mechanics", () => {
    it("rmsNorm divides each row by its root mean square", () => {
      const out = arr(rmsNorm(tf.tensor2d([[3, 4], [0, 2]])));
      const r = Math.sqrt(12.5);
      [3 / r, 4 / r, 0, Math.SQRT2].forEach((v, i) => close(out[i], v, 1e-5));
    });

    it("reluFullGrad is ReLU forward and passes the whole gradient back", () => {
      const x = tf.tensor2d([[-1, 2]]);
      assert.deepEqual(arr(reluFullGrad(x)), [0, 2]);
      assert.deepEqual(arr(tf.grad((a: tf.Tensor) => tf.sum(reluFullGrad(a as tf.Tensor2D)))(x)), [1, 1]);
    });

    it("embedLabels replaces the first K pixels by the one-hot label and keeps the rest", () => {
      const x = Float32Array.from({ length: 2 * 12 }, (_, i) => 0.5 + i);
      const e = embedLabels(x, 12, [3, 0], 10);
      assert.deepEqual(Array.from(e.subarray(0, 12)), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10.5, 11.5]);
      assert.deepEqual(Array.from(e.subarray(12, 24)), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 22.5, 23.5]);
    });

    it("mcnemarZ counts the examples only one classifier gets right", () => {
      const y = Int32Array.from([0, 1, 2, 3, 4, 5]);
      const a = Int32Array.from([0, 1, 2, 3, 9, 9]), b = Int32Array.from([0, 9, 9, 9, 4, 9]);
      // only A right: 1, 2, 3 (b = 3); only B right: 4 (c = 1) → z = 2/√4 = 1
      assert.deepEqual(mcnemarZ(a, b, y), { z: 1, onlyA: 3, onlyB: 1 });
    });

    it("wrongLabels never returns the true label and covers all others", () => {
      const r = rng(3), y = new Int32Array(2000).fill(4);
      const w = wrongLabels(y, 10, r);
      assert.ok(w.every((k) => k !== 4 && k >= 0 && k < 10));
      assert.equal(new Set(w).size, 9);
    });
  });

  describe("losses on hand-computed values", () => {
    it("FF: goodness Σh² and the logistic layer loss", () => {
      const h = tf.tensor2d([[1, 2], [0, 3]]);
      assert.deepEqual(arr(goodness(h)), [5, 9]);
      // positive row: softplus(−(5−4)) = log(1+e^−1); negative row: softplus(9−4) = log(1+e^5)
      const want = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(5))) / 2;
      close(ffLayerLoss(h, tf.tensor1d([1, -1]), 4).dataSync()[0], want, 1e-5);
    });

    it("DF: centroid goodness is minus the mean squared distance", () => {
      const G = arr(centroidGoodness(tf.tensor2d([[1, 0], [2, 2]]), tf.tensor2d([[1, 0], [0, 1]])));
      // row 1: d(c0)=0, d(c1)=(1+1)/2; row 2: d(c0)=(1+4)/2, d(c1)=(4+1)/2
      [0, -1, -2.5, -2.5].forEach((v, i) => close(G[i], v, 1e-5));
    });

    it("DF: N-pair margin loss over all wrong classes", () => {
      const G = tf.tensor2d([[0, -1, -2], [0.2, 0.1, 0]]);
      const Y = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
      const l1 = Math.log(1 + Math.exp(2 * (-1 + 0.5)) + Math.exp(2 * (-2 + 0.5)));
      const l2 = Math.log(1 + Math.exp(2 * (0.2 - 0.1 + 0.5)) + Math.exp(2 * (0 - 0.1 + 0.5)));
      close(nPairMarginLoss(G, Y, 2, 0.5).dataSync()[0], (l1 + l2) / 2, 1e-5);
    });

    it("BP: softmax cross-entropy", () => {
      const want = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
      close(softmaxCrossEntropy(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[0, 0, 1]])).dataSync()[0], want, 1e-5);
    });
  });

  describe("gradients against finite differences", () => {
    const r = rng(11);
    it("N-pair margin loss w.r.t. the goodness matrix", () => {
      const Y = tf.tensor2d([[0, 1, 0, 0], [0, 0, 0, 1]]);
      assertGradMatches((G) => nPairMarginLoss(G as tf.Tensor2D, Y, 3, 0.3), r.normalArray(8), [2, 4]);
    });
    it("DF layer loss w.r.t. the weights (through RMS norm, ReLU and the centroid distance)", () => {
      const x = rmsNorm(tf.tensor2d(r.uniformArray(3 * 5), [3, 5]));
      const C = tf.tensor2d(r.normalArray(4 * 3), [4, 3]);
      const Y = tf.tensor2d([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
      const f = (W: tf.Tensor) => nPairMarginLoss(centroidGoodness(rmsNorm(tf.relu(tf.matMul(x, W as tf.Tensor2D)) as tf.Tensor2D), C), Y, 2, 0.5);
      assertGradMatches(f, r.normalArray(20, 0, 0.5), [5, 4]);
    });
    it("DF layer loss w.r.t. the centroids", () => {
      const h = rmsNorm(tf.tensor2d(r.uniformArray(3 * 4), [3, 4]));
      const Y = tf.tensor2d([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
      assertGradMatches((C) => nPairMarginLoss(centroidGoodness(h, C as tf.Tensor2D), Y, 2, 0.5), r.normalArray(12), [4, 3]);
    });
    it("FF layer loss w.r.t. the weights (true ReLU gradient)", () => {
      const x = rmsNorm(tf.tensor2d(r.uniformArray(4 * 6), [4, 6]));
      const sign = tf.tensor1d([1, 1, -1, -1]);
      assertGradMatches((W) => ffLayerLoss(tf.relu(tf.matMul(x, W as tf.Tensor2D)) as tf.Tensor2D, sign, 3), r.normalArray(18, 0, 0.5), [6, 3]);
    });
    it("softmax cross-entropy w.r.t. the logits", () => {
      const Y = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
      assertGradMatches((z) => softmaxCrossEntropy(z as tf.Tensor2D, Y), r.normalArray(6), [2, 3]);
    });
  });

  describe("prediction rules on a tiny constructed network", () => {
    // plain float64 reference of the forward pass: RMS-normalise, ReLU(zW + b) per layer
    const rms = (v: number[]) => { const s = Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length) + 1e-8; return v.map((u) => u / s); };
    const layer = (z: number[], W: number[], b: number[], nOut: number) =>
      Array.from({ length: nOut }, (_, j) => Math.max(0, z.reduce((s, zi, i) => s + zi * W[i * nOut + j], b[j])));
    const set = (v: tf.Variable, data: Float32Array) => v.assign(tf.tensor(data, v.shape));

    it("FF predicts argmax_k of the goodness summed over layers ≥ predictFrom", () => {
      const r = rng(5), D = 13, K = 10, n = 4;
      const m = createFF({ sizes: [D, 6, 5], rng: r, predictFrom: 1 });
      m.layers.forEach((p) => set(p.b, r.normalArray(p.b.size, 0, 0.3)));
      const x = r.uniformArray(n * D);
      const sc = ffScores(m, x, n);
      const Ws = m.layers.map((p) => Array.from(p.W.dataSync())), bs = m.layers.map((p) => Array.from(p.b.dataSync()));
      for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) {
        let z = rms(Array.from(embedLabels(x.subarray(i * D, (i + 1) * D), D, [k], K)));
        const h1 = layer(z, Ws[0], bs[0], 6); z = rms(h1);
        const h2 = layer(z, Ws[1], bs[1], 5);
        close(sc[i * K + k], h2.reduce((s, v) => s + v * v, 0), 1e-4, `score ${i},${k}`); // layer 1 excluded
      }
    });

    it("FF's prediction follows the label pixel the first layer rewards", () => {
      // one layer, one unit reading label pixel 7 only: goodness is highest with label 7 for any image
      const m = createFF({ sizes: [12, 1], rng: rng(1), classes: 10 });
      const W = new Float32Array(12); W[7] = 1;
      set(m.layers[0].W, W);
      const x = rng(2).uniformArray(3 * 12);
      assert.equal(accuracy(m, { x, y: Int32Array.from([7, 7, 7]), n: 3 }), 1);
    });

    it("DF predicts argmax_k of −Σ_l mean‖ĥ_l − c_{l,k}‖²", () => {
      const r = rng(6), D = 7, K = 3, n = 5;
      const m = createDF({ sizes: [D, 4, 3], rng: r, classes: K });
      m.centroids.forEach((C) => set(C, r.normalArray(C.size)));
      const x = r.uniformArray(n * D);
      const sc = dfScores(m, x, n);
      const Ws = m.layers.map((p) => Array.from(p.W.dataSync())), Cs = m.centroids.map((C) => Array.from(C.dataSync()));
      for (let i = 0; i < n; i++) {
        const z1 = rms(layer(rms(Array.from(x.subarray(i * D, (i + 1) * D))), Ws[0], [0, 0, 0, 0], 4));
        const z2 = rms(layer(z1, Ws[1], [0, 0, 0], 3));
        for (let k = 0; k < K; k++) {
          const d = (z: number[], C: number[]) => z.reduce((s, v, j) => s + (v - C[j * K + k]) ** 2, 0) / z.length;
          close(sc[i * K + k], -d(z1, Cs[0]) - d(z2, Cs[1]), 1e-4, `score ${i},${k}`);
        }
      }
    });

    it("DF's prediction is the nearest centroid for a one-layer identity network", () => {
      const m = createDF({ sizes: [2, 2], rng: rng(1), classes: 2 });
      set(m.layers[0].W, Float32Array.from([1, 0, 0, 1]));
      set(m.centroids[0], Float32Array.from([Math.SQRT2, 0, 0, Math.SQRT2])); // c0 = (√2, 0), c1 = (0, √2)
      const x = Float32Array.from([1, 0.1, 0.2, 3, 5, 1]);
      assert.equal(accuracy(m, { x, y: Int32Array.from([0, 1, 0]), n: 3 }), 1);
    });
  });

  describe("training steps", () => {
    // two Gaussian blobs in 16 dimensions (first 10 = label pixels, zero in the data, as in MNIST's corner)
    const blobs = (r: ReturnType<typeof rng>, n: number) => {
      const D = 16, x = new Float32Array(n * D), y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        for (let j = 10; j < D; j++) x[i * D + j] = Math.abs(r.normal((j % 2 === y[i] ? 1 : 0.1), 0.2));
      }
      return { x, y, n };
    };
    for (const kind of ["ff", "df", "bp"] as const) {
      it(`${kind}: learns two separable blobs, lowers its loss, and leaks no tensors`, () => {
        const r = rng(21), data = blobs(r, 64), sizes = [16, 20, 20];
        const m = kind === "ff" ? createFF({ sizes, rng: r, lr: 0.01, classes: 2 }) : kind === "df" ? createDF({ sizes, rng: r, lr: 0.01, classes: 2 }) : createBP({ sizes, rng: r, lr: 0.01, classes: 2 });
        const step = () => kind === "ff" ? ffTrainStep(m as never, data.x, data.y, r) : kind === "df" ? dfTrainStep(m as never, data.x, data.y) : bpTrainStep(m as never, data.x, data.y);
        const first = step();
        const live = tf.memory().numTensors;
        let last = first;
        for (let i = 0; i < 40; i++) last = step();
        assert.equal(tf.memory().numTensors, live, "tensors leaked by a training step");
        assert.ok(last < first, `loss ${first} → ${last}`);
        const before = tf.memory().numTensors;
        const acc = accuracy(m, data);
        assert.equal(tf.memory().numTensors, before, "tensors leaked by scoring");
        assert.ok(acc > 0.95, `accuracy ${acc}`);
      });
    }
    it("bpScores with noise off equals the noiseless logits, and noise changes them reproducibly", () => {
      const r = rng(4), m = createBP({ sizes: [6, 5], rng: r, classes: 3 }), x = r.uniformArray(12);
      const a = bpScores(m, x, 2), b = bpScores(m, x, 2, { noise: { weight: 0, activation: 0 } });
      assert.deepEqual(Array.from(a), Array.from(b));
      const n1 = bpScores(m, x, 2, { noise: { weight: 0.3, activation: 0.3, rng: rng(9) } });
      const n2 = bpScores(m, x, 2, { noise: { weight: 0.3, activation: 0.3, rng: rng(9) } });
      assert.deepEqual(Array.from(n1), Array.from(n2));
      assert.notDeepEqual(Array.from(n1), Array.from(a));
    });
  });
});
