import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { fromEdges, normalizedAdjacency, spmm } from "../graph/csr";
import { propagator, spikingGraphConv, gcn, initSpikingGcn, spikingGcn } from "./graph-conv";

const close = (a: number, b: number, tol: number, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

describe("snn/graph-conv", () => {
  const g = fromEdges(4, [0, 1, 2], [1, 2, 3]); // path 0-1-2-3
  const Ahat = normalizedAdjacency(g);
  const A = propagator(g);

  it("propagates every time step by Â (checked against the CSR product)", () => {
    const T = 3,
      C = 2,
      x = rng(2).normalArray(T * 4 * C);
    const y = A(tf.tensor3d(x, [T, 4, C])).dataSync();
    for (let t = 0; t < T; t++) {
      const want = spmm(Ahat, x.subarray(t * 4 * C, (t + 1) * 4 * C), C);
      want.forEach((w, k) => close(y[t * 4 * C + k], w, 1e-5, `t=${t} k=${k}`));
    }
  });

  it("fires where the propagated input reaches threshold (no leak: k = 0, W = I)", () => {
    // node 0 spikes at every step, the others are silent; Â_00 = 1/2, Â_10 = 1/√6 ≈ 0.41
    const S = tf.tensor3d([1, 0, 0, 0, 1, 0, 0, 0], [2, 4, 1]);
    const W = tf.tensor2d([[1]]);
    const lif = { kTau: 0, uTh: 0.45, reset: "hard" as const };
    assert.deepEqual(Array.from(spikingGraphConv(A, S, W, undefined, lif).spikes.dataSync()), [1, 0, 0, 0, 1, 0, 0, 0]);
    // with full integration (k = 1) node 1 reaches 2·0.408 ≥ 0.45 at the second step; node 0 fires then resets
    const lif1 = { kTau: 1, uTh: 0.45, reset: "hard" as const };
    assert.deepEqual(
      Array.from(spikingGraphConv(A, S, W, undefined, lif1).spikes.dataSync()),
      [1, 0, 0, 0, 1, 1, 0, 0],
    );
  });

  it("GCN layer is ReLU(Â X W + b)", () => {
    const X = tf.tensor2d([1, -2, 0.5, 3, -1, 0, 2, 1], [4, 2]);
    const p = {
      W: [
        tf.variable(
          tf.tensor2d([
            [1, 0],
            [0, -1],
          ]),
        ),
      ],
      b: [tf.variable(tf.tensor1d([0.1, 0]))],
      Wout: tf.variable(tf.eye(2)),
      bout: tf.variable(tf.zeros([2]) as tf.Tensor1D),
    };
    const h = gcn(p, A, X).hidden[0].dataSync();
    const xw = [1, 2, 0.5, -3, -1, 0, 2, -1];
    const want = spmm(Ahat, xw, 2).map((v, k) => Math.max(0, v + (k % 2 === 0 ? 0.1 : 0)));
    want.forEach((w, k) => close(h[k], w, 1e-5, `k=${k}`));
  });

  it("spiking GCN produces binary spikes, rates in [0,1] and trainable logits", () => {
    const cfg = {
      inDim: 3,
      hidden: 4,
      classes: 2,
      layers: 3,
      lif: { kTau: 0.5, uTh: 1, reset: "hard" as const },
      stfn: true,
    };
    const p = initSpikingGcn(cfg, rng(1));
    const S0 = tf.tensor3d(
      rng(3)
        .uniformArray(5 * 4 * 3)
        .map((v) => (v < 0.4 ? 1 : 0)),
      [5, 4, 3],
    );
    const out = spikingGcn(p, cfg, A, S0);
    assert.deepEqual(out.logits.shape, [4, 2]);
    assert.equal(out.spikes.length, 3);
    for (const s of out.spikes) assert.ok(Array.from(s.dataSync()).every((v) => v === 0 || v === 1));
    const g = tf.variableGrads(() => tf.sum(tf.square(spikingGcn(p, cfg, A, S0).logits)) as tf.Scalar, [p.W[0]]);
    assert.ok(
      Array.from(g.grads[p.W[0].name].dataSync()).some((v) => v !== 0),
      "surrogate gradient reaches the first layer",
    );
  });
});
