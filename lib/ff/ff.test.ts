import { strict as assert } from "node:assert";
import { initBackend, tf } from "../tensor";
import { rng } from "../rng";
import {
  rmsNorm,
  reluFullGrad,
  embedLabels,
  labelFreeInput,
  allLabelsPreactivation,
  goodness,
  ffLayerLoss,
  wrongLabels,
  createFF,
  ffTrainStep,
  ffScores,
  centroidGoodness,
  nPairMarginLoss,
  createDF,
  dfTrainStep,
  dfScores,
  DF_UPDATES,
  createProto,
  protoTrainStep,
  protoScores,
  softmaxCrossEntropy,
  createBP,
  bpTrainStep,
  bpScores,
  accuracy,
  stepMemory,
  labelCopiesGap,
  pairedMcnemar,
  seedToSeedMcnemar,
  meanDrops,
  type DFModel,
  type DFUpdate,
} from "./index";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const arr = (t: tf.Tensor) => Array.from(t.dataSync());

/** Central finite differences of a scalar function of one tensor, entry by entry, in float32. */
function finiteDiff(f: (x: tf.Tensor) => tf.Scalar, x: Float32Array, shape: number[], eps = 1e-2): number[] {
  return Array.from(x, (_, i) => {
    const up = x.slice(),
      dn = x.slice();
    up[i] += eps;
    dn[i] -= eps;
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
  before(async () => {
    await initBackend({ quiet: true });
  });

  describe("mechanics", () => {
    it("rmsNorm divides each row by its root mean square", () => {
      const out = arr(
        rmsNorm(
          tf.tensor2d([
            [3, 4],
            [0, 2],
          ]),
        ),
      );
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

    it("wrongLabels never returns the true label and covers all others", () => {
      const r = rng(3),
        y = new Int32Array(2000).fill(4);
      const w = wrongLabels(y, 10, r);
      assert.ok(w.every((k) => k !== 4 && k >= 0 && k < 10));
      assert.equal(new Set(w).size, 9);
    });
  });

  describe("losses on hand-computed values", () => {
    it("FF: goodness Σh² and the logistic layer loss", () => {
      const h = tf.tensor2d([
        [1, 2],
        [0, 3],
      ]);
      assert.deepEqual(arr(goodness(h)), [5, 9]);
      // positive row: softplus(−(5−4)) = log(1+e^−1); negative row: softplus(9−4) = log(1+e^5)
      const want = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(5))) / 2;
      close(ffLayerLoss(h, tf.tensor1d([1, -1]), 4).dataSync()[0], want, 1e-5);
    });

    it("prototype learner: centroid goodness is minus the mean squared distance", () => {
      const G = arr(
        centroidGoodness(
          tf.tensor2d([
            [1, 0],
            [2, 2],
          ]),
          tf.tensor2d([
            [1, 0],
            [0, 1],
          ]),
        ),
      );
      // row 1: d(c0)=0, d(c1)=(1+1)/2; row 2: d(c0)=(1+4)/2, d(c1)=(4+1)/2
      [0, -1, -2.5, -2.5].forEach((v, i) => close(G[i], v, 1e-5));
    });

    it("DF: N-pair margin loss over all wrong classes", () => {
      const G = tf.tensor2d([
        [0, -1, -2],
        [0.2, 0.1, 0],
      ]);
      const Y = tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]);
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
      const Y = tf.tensor2d([
        [0, 1, 0, 0],
        [0, 0, 0, 1],
      ]);
      assertGradMatches((G) => nPairMarginLoss(G as tf.Tensor2D, Y, 3, 0.3), r.normalArray(8), [2, 4]);
    });
    it("prototype layer loss w.r.t. the weights (through RMS norm, ReLU and the centroid distance)", () => {
      const x = rmsNorm(tf.tensor2d(r.uniformArray(3 * 5), [3, 5]));
      const C = tf.tensor2d(r.normalArray(4 * 3), [4, 3]);
      const Y = tf.tensor2d([
        [1, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
      const f = (W: tf.Tensor) =>
        nPairMarginLoss(
          centroidGoodness(rmsNorm(tf.relu(tf.matMul(x, W as tf.Tensor2D)) as tf.Tensor2D), C),
          Y,
          2,
          0.5,
        );
      assertGradMatches(f, r.normalArray(20, 0, 0.5), [5, 4]);
    });
    it("prototype layer loss w.r.t. the centroids", () => {
      const h = rmsNorm(tf.tensor2d(r.uniformArray(3 * 4), [3, 4]));
      const Y = tf.tensor2d([
        [1, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
      assertGradMatches(
        (C) => nPairMarginLoss(centroidGoodness(h, C as tf.Tensor2D), Y, 2, 0.5),
        r.normalArray(12),
        [4, 3],
      );
    });
    it("FF layer loss w.r.t. the weights (true ReLU gradient)", () => {
      const x = rmsNorm(tf.tensor2d(r.uniformArray(4 * 6), [4, 6]));
      const sign = tf.tensor1d([1, 1, -1, -1]);
      assertGradMatches(
        (W) => ffLayerLoss(tf.relu(tf.matMul(x, W as tf.Tensor2D)) as tf.Tensor2D, sign, 3),
        r.normalArray(18, 0, 0.5),
        [6, 3],
      );
    });
    it("softmax cross-entropy w.r.t. the logits", () => {
      const Y = tf.tensor2d([
        [0, 1, 0],
        [1, 0, 0],
      ]);
      assertGradMatches((z) => softmaxCrossEntropy(z as tf.Tensor2D, Y), r.normalArray(6), [2, 3]);
    });
  });

  describe("prediction rules on a tiny constructed network", () => {
    // plain float64 reference of the forward pass: RMS-normalise, ReLU(zW + b) per layer
    const rms = (v: number[]) => {
      const s = Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length) + 1e-8;
      return v.map((u) => u / s);
    };
    const layer = (z: number[], W: number[], b: number[], nOut: number) =>
      Array.from({ length: nOut }, (_, j) =>
        Math.max(
          0,
          z.reduce((s, zi, i) => s + zi * W[i * nOut + j], b[j]),
        ),
      );
    const set = (v: tf.Variable, data: Float32Array) => v.assign(tf.tensor(data, v.shape));

    it("FF predicts argmax_k of the goodness summed over layers ≥ predictFrom", () => {
      const r = rng(5),
        D = 13,
        K = 10,
        n = 4;
      const m = createFF({ sizes: [D, 6, 5], rng: r, predictFrom: 1 });
      m.layers.forEach((p) => set(p.b, r.normalArray(p.b.size, 0, 0.3)));
      const x = r.uniformArray(n * D);
      const sc = ffScores(m, x, n);
      const Ws = m.layers.map((p) => Array.from(p.W.dataSync())),
        bs = m.layers.map((p) => Array.from(p.b.dataSync()));
      for (let i = 0; i < n; i++)
        for (let k = 0; k < K; k++) {
          let z = rms(Array.from(embedLabels(x.subarray(i * D, (i + 1) * D), D, [k], K)));
          const h1 = layer(z, Ws[0], bs[0], 6);
          z = rms(h1);
          const h2 = layer(z, Ws[1], bs[1], 5);
          close(
            sc[i * K + k],
            h2.reduce((s, v) => s + v * v, 0),
            1e-4,
            `score ${i},${k}`,
          ); // layer 1 excluded
        }
    });

    it("FF's prediction follows the label pixel the first layer rewards", () => {
      // one layer, one unit reading label pixel 7 only: goodness is highest with label 7 for any image
      const m = createFF({ sizes: [12, 1], rng: rng(1), classes: 10 });
      const W = new Float32Array(12);
      W[7] = 1;
      set(m.layers[0].W, W);
      const x = rng(2).uniformArray(3 * 12);
      assert.equal(accuracy(m, { x, y: Int32Array.from([7, 7, 7]), n: 3 }), 1);
    });

    it("the prototype learner predicts argmax_k of −Σ_l mean‖ĥ_l − c_{l,k}‖²", () => {
      const r = rng(6),
        D = 7,
        K = 3,
        n = 5;
      const m = createProto({ sizes: [D, 4, 3], rng: r, classes: K });
      m.centroids.forEach((C) => set(C, r.normalArray(C.size)));
      const x = r.uniformArray(n * D);
      const sc = protoScores(m, x, n);
      const Ws = m.layers.map((p) => Array.from(p.W.dataSync())),
        Cs = m.centroids.map((C) => Array.from(C.dataSync()));
      for (let i = 0; i < n; i++) {
        const z1 = rms(layer(rms(Array.from(x.subarray(i * D, (i + 1) * D))), Ws[0], [0, 0, 0, 0], 4));
        const z2 = rms(layer(z1, Ws[1], [0, 0, 0], 3));
        for (let k = 0; k < K; k++) {
          const d = (z: number[], C: number[]) => z.reduce((s, v, j) => s + (v - C[j * K + k]) ** 2, 0) / z.length;
          close(sc[i * K + k], -d(z1, Cs[0]) - d(z2, Cs[1]), 1e-4, `score ${i},${k}`);
        }
      }
    });

    it("the prototype learner's prediction is the nearest centroid for a one-layer identity network", () => {
      const m = createProto({ sizes: [2, 2], rng: rng(1), classes: 2 });
      set(m.layers[0].W, Float32Array.from([1, 0, 0, 1]));
      set(m.centroids[0], Float32Array.from([Math.SQRT2, 0, 0, Math.SQRT2])); // c0 = (√2, 0), c1 = (0, √2)
      const x = Float32Array.from([1, 0.1, 0.2, 3, 5, 1]);
      assert.equal(accuracy(m, { x, y: Int32Array.from([0, 1, 0]), n: 3 }), 1);
    });

    it("DF predicts argmax_k of Σ_{l ≥ predictFrom} mean_j h_{l,j}² on the label-embedded input", () => {
      const r = rng(8),
        D = 14,
        K = 10,
        n = 3;
      for (const predictFrom of [0, 1]) {
        const m = createDF({ sizes: [D, 6, 5], rng: r, predictFrom });
        m.layers.forEach((p) => set(p.b, r.normalArray(p.b.size, 0, 0.3)));
        const x = r.uniformArray(n * D);
        const sc = dfScores(m, x, n);
        const Ws = m.layers.map((p) => Array.from(p.W.dataSync())),
          bs = m.layers.map((p) => Array.from(p.b.dataSync()));
        const ms = (h: number[]) => h.reduce((s, v) => s + v * v, 0) / h.length;
        for (let i = 0; i < n; i++)
          for (let k = 0; k < K; k++) {
            const h1 = layer(rms(Array.from(embedLabels(x.subarray(i * D, (i + 1) * D), D, [k], K))), Ws[0], bs[0], 6);
            const h2 = layer(rms(h1), Ws[1], bs[1], 5);
            close(sc[i * K + k], (predictFrom === 0 ? ms(h1) : 0) + ms(h2), 1e-4, `score ${i},${k}`);
          }
      }
    });
  });

  describe("DF on the label-embedded input", () => {
    it("the one-pass first layer equals K RMS-normalised embedded copies times W, plus b", () => {
      const r = rng(12),
        n = 4,
        D = 20,
        K = 10,
        H = 7;
      const x = r.uniformArray(n * D),
        W = tf.tensor2d(r.normalArray(D * H), [D, H]),
        b = tf.tensor1d(r.normalArray(H));
      const { xHat, invR } = labelFreeInput(x, n, K);
      const fast = arr(allLabelsPreactivation(tf.tensor2d(xHat, [n, D]), tf.tensor2d(invR, [n, 1]), W, b, K));
      for (let i = 0; i < n; i++)
        for (let k = 0; k < K; k++) {
          const copy = rmsNorm(tf.tensor2d(embedLabels(x.subarray(i * D, (i + 1) * D), D, [k], K), [1, D]));
          arr(tf.add(tf.matMul(copy, W), b)).forEach((v, j) =>
            close(fast[(i * K + k) * H + j], v, 1e-5, `z[${i},${k},${j}]`),
          );
        }
    });

    it("labelCopiesGap is float rounding for any weights", () => {
      const r = rng(14),
        x = r.uniformArray(6 * 30),
        W = tf.tensor2d(r.normalArray(30 * 5), [30, 5]),
        b = tf.tensor1d(r.normalArray(5));
      assert.ok(labelCopiesGap(x, 6, W, b, 10) < 1e-5);
    });

    // Each update rule's step, with plain SGD at rate 1, must move W_l by minus the gradient of the layer losses it
    // names, taken on one full graph built from explicitly embedded copies (an independent path through layer 1):
    // greedy ∂L_l/∂W_l, DF-O ∂(L_l + L_{l+1})/∂W_l, DF-R ∂L(g_l + Σ_{j<l} g_j)/∂W_l, global ∂(Σ_j L_j)/∂W_l.
    for (const update of DF_UPDATES) {
      it(`${update}: one step moves each layer by the gradient of the losses the rule names`, () => {
        const r = rng(13),
          n = 5,
          D = 14,
          K = 10,
          sizes = [D, 8, 7, 6];
        const m: DFModel = createDF({ sizes, rng: r, update, alpha: 3, margin: 0.4 });
        m.optimizers = m.layers.map(() => tf.train.sgd(1));
        const x = r.uniformArray(n * D),
          y = Int32Array.from([0, 3, 9, 3, 1]);
        const W0 = m.layers.map((p) => p.W.clone());
        const Y = tf.oneHot(tf.tensor1d(y, "int32"), K).toFloat() as tf.Tensor2D;
        const copies = tf.tensor2d(
          Float32Array.from({ length: n * K * D }, (_, t) => {
            const row = Math.floor(t / D),
              i = Math.floor(row / K),
              k = row % K,
              j = t % D;
            return j < K ? (j === k ? 1 : 0) : x[i * D + j];
          }),
          [n * K, D],
        );
        // per-layer goodness matrices g_l [n, K] as functions of all weights
        const gs = (Ws: tf.Tensor[]) => {
          let z = rmsNorm(copies);
          return Ws.map((W, l) => {
            const h = tf.relu(tf.add(tf.matMul(z, W as tf.Tensor2D), m.layers[l].b)) as tf.Tensor2D;
            z = rmsNorm(h);
            return tf.reshape(tf.mean(tf.square(h), -1), [n, K]) as tf.Tensor2D;
          });
        };
        const Lof = (g: tf.Tensor2D) => nPairMarginLoss(g, Y, 3, 0.4);
        const want = W0.map((_, l) =>
          arr(
            tf.grad((Wl: tf.Tensor) => {
              const g = gs(W0.map((w, j) => (j === l ? Wl : w))),
                L = sizes.length - 1;
              if (update === "greedy") return Lof(g[l]);
              if (update === "overlap") return l + 1 < L ? (tf.add(Lof(g[l]), Lof(g[l + 1])) as tf.Scalar) : Lof(g[l]);
              if (update === "residual") return Lof(g.slice(0, l + 1).reduce((a, b) => tf.add(a, b) as tf.Tensor2D));
              return g.reduce((s, gl) => tf.add(s, Lof(gl)) as tf.Scalar, tf.scalar(0));
            })(W0[l]),
          ),
        );
        dfTrainStep(m, x, y);
        m.layers.forEach((p, l) =>
          arr(tf.sub(W0[l], p.W)).forEach((v, j) => close(v, want[l][j], 2e-4, `ΔW${l}[${j}]`)),
        );
      });
    }
  });

  describe("comparisons over paired seeds", () => {
    const y = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    // a fake run whose predictions are right on the first `right` test digits
    const run = (name: string, seed: number, right: number) => {
      const p = Int32Array.from(y, (v, i) => (i < right ? v : (v + 1) % 4));
      return {
        name,
        seed,
        model: undefined as never,
        result: {
          history: [{ epoch: 1, loss: 0, seconds: 0, testAccuracy: right / 40 }],
          peakStepBytes: 0,
          peakStepTensorBytes: 0,
          predictions: p,
          testAccuracy: right / 40,
          predictionsAt: new Map([[1, p]]),
        },
      };
    };
    it("pairedMcnemar pairs runs by seed and counts the digits only one side gets right", () => {
      const a = [run("A", 0, 30), run("A", 1, 20)],
        b = [run("B", 0, 10), run("B", 1, 20)];
      // seed 0: A alone right on 20 digits, B alone on none → z = 20/√20; seed 1: identical → 0
      assert.deepEqual(pairedMcnemar(a, b, y), [Math.sqrt(20), 0]);
      assert.throws(() => pairedMcnemar(a, [b[1], b[0]], y), /not paired by seed/);
    });
    it("seedToSeedMcnemar gives |z| for every pair of seeds", () => {
      assert.deepEqual(seedToSeedMcnemar([run("A", 0, 10), run("A", 1, 14), run("A", 2, 10)], y), [2, 0, 2]);
    });
    it("meanDrops averages clean minus noisy accuracy per run", () => {
      const drops = meanDrops([run("A", 0, 30)], y, [[0.5, 0.25]]);
      close(drops[0], 0.75 - 0.375, 1e-12);
    });
  });

  describe("step memory", () => {
    it("layer-local learners' working memory stays flat with depth while backprop's grows; DF's global control grows too", () => {
      const mem = (kind: "bp" | "ff" | "proto" | "df", L: number, opts = {}) =>
        stepMemory(kind, [64, ...Array(L).fill(32)], 16, rng(1), 1, opts);
      const bpGrowth = mem("bp", 8) - mem("bp", 3);
      assert.ok(bpGrowth > 0.8 * mem("bp", 3), "backprop's step memory grows with depth");
      for (const [kind, opts] of [
        ["ff", {}],
        ["proto", {}],
        ["df", { update: "greedy" }],
        ["df", { update: "overlap" }],
        ["df", { update: "residual" }],
      ] as const) {
        const a = mem(kind, 3, opts),
          b = mem(kind, 8, opts);
        assert.ok(
          Math.abs(b - a) <= 0.05 * bpGrowth,
          `${kind} ${JSON.stringify(opts)}: ${a} → ${b} bytes (backprop +${bpGrowth})`,
        );
      }
      assert.ok(
        mem("df", 8, { update: "global" }) > 1.8 * mem("df", 3, { update: "global" }),
        "DF trained end to end grows like backprop",
      );
      assert.ok(
        mem("proto", 8, { endToEnd: true }) > 1.8 * mem("proto", 3, { endToEnd: true }),
        "the prototype learner trained end to end grows like backprop",
      );
    });
  });

  describe("training steps", () => {
    // two Gaussian blobs in 16 dimensions (first 10 = label pixels, zero in the data, as in MNIST's corner)
    const blobs = (r: ReturnType<typeof rng>, n: number) => {
      const D = 16,
        x = new Float32Array(n * D),
        y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        for (let j = 10; j < D; j++) x[i * D + j] = Math.abs(r.normal(j % 2 === y[i] ? 1 : 0.1, 0.2));
      }
      return { x, y, n };
    };
    const learners = ["ff", "proto", "proto-e2e", "bp", ...DF_UPDATES.map((u) => `df-${u}`)] as const;
    for (const kind of learners) {
      it(`${kind}: learns two separable blobs, lowers its loss, and leaks no tensors`, () => {
        const r = rng(21),
          data = blobs(r, 64),
          sizes = [16, 20, 20, 20];
        const update = kind.startsWith("df-") ? (kind.slice(3) as DFUpdate) : undefined;
        const m =
          kind === "ff"
            ? createFF({ sizes, rng: r, lr: 0.01, classes: 2 })
            : update
              ? createDF({ sizes, rng: r, lr: 0.01, classes: 2, update })
              : kind.startsWith("proto")
                ? createProto({ sizes, rng: r, lr: 0.01, classes: 2, endToEnd: kind === "proto-e2e" })
                : createBP({ sizes, rng: r, lr: 0.01, classes: 2 });
        const step = () =>
          kind === "ff"
            ? ffTrainStep(m as never, data.x, data.y, r)
            : update
              ? dfTrainStep(m as never, data.x, data.y)
              : kind.startsWith("proto")
                ? protoTrainStep(m as never, data.x, data.y)
                : bpTrainStep(m as never, data.x, data.y);
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
      const r = rng(4),
        m = createBP({ sizes: [6, 5], rng: r, classes: 3 }),
        x = r.uniformArray(12);
      const a = bpScores(m, x, 2),
        b = bpScores(m, x, 2, { noise: { weight: 0, activation: 0 } });
      assert.deepEqual(Array.from(a), Array.from(b));
      const n1 = bpScores(m, x, 2, { noise: { weight: 0.3, activation: 0.3, rng: rng(9) } });
      const n2 = bpScores(m, x, 2, { noise: { weight: 0.3, activation: 0.3, rng: rng(9) } });
      assert.deepEqual(Array.from(n1), Array.from(n2));
      assert.notDeepEqual(Array.from(n1), Array.from(a));
    });
  });
});
