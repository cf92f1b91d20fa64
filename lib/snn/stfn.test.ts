import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { stfn, stfnInit } from "./stfn";

const close = (a: number, b: number, tol: number, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

describe("snn/stfn", () => {
  const T = 4,
    N = 3,
    C = 5;
  const r = rng(1);
  // node 0: spikes (0/1), node 1: large real input with an offset, node 2: constant
  const x = new Float32Array(T * N * C);
  for (let t = 0; t < T; t++)
    for (let c = 0; c < C; c++) {
      x[(t * N + 0) * C + c] = r.bernoulli(0.3) ? 1 : 0;
      x[(t * N + 1) * C + c] = 10 + 4 * r.normal();
      x[(t * N + 2) * C + c] = 7;
    }
  const S = tf.tensor3d(x, [T, N, C]);
  // independent per-node statistics over the C·T entries, in plain arithmetic
  const stats = [0, 1, 2].map((v) => {
    const vals: number[] = [];
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) vals.push(x[(t * N + v) * C + c]);
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    return { m, v: vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length };
  });

  it("gives each node mean 0 and standard deviation ρ·V_th over its C×T entries (λ = 1, γ = 0)", () => {
    const p = stfnInit(C);
    const y = stfn(S, p, { vTh: 0.5, rho: 2 }).arraySync();
    for (const v of [0, 1]) {
      const vals: number[] = [];
      for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) vals.push(y[t][v][c]);
      const m = vals.reduce((a, b) => a + b, 0) / vals.length;
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
      close(m, 0, 1e-5, `node ${v} mean`);
      close(sd, 1 * Math.sqrt(stats[v].v / (stats[v].v + 1e-5)), 1e-4, `node ${v} sd`);
    }
    // a constant node carries no information: it maps to γ = 0, not to NaN
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) close(y[t][2][c], 0, 1e-6, "constant node");
  });

  it("applies the learned per-channel scale λ and shift γ to the standardised input", () => {
    const lambda = tf.tensor1d([1, 2, -1, 0.5, 3]),
      gamma = tf.tensor1d([0, 0.5, 1, -2, 0.1]);
    const y = stfn(S, { lambda, gamma }, { vTh: 1.5 }).arraySync();
    const lam = [1, 2, -1, 0.5, 3],
      gam = [0, 0.5, 1, -2, 0.1];
    for (let t = 0; t < T; t++)
      for (let v = 0; v < N; v++)
        for (let c = 0; c < C; c++) {
          const hat = (1.5 * (x[(t * N + v) * C + c] - stats[v].m)) / Math.sqrt(stats[v].v + 1e-5);
          close(y[t][v][c], lam[c] * hat + gam[c], 1e-3, `(${t},${v},${c})`);
        }
  });

  it("passes gradients to λ and γ (∂ΣY/∂γ_c = T·N)", () => {
    const p = stfnInit(C);
    const g = tf.variableGrads(() => tf.sum(stfn(S, p, { vTh: 1 })) as tf.Scalar, [p.lambda, p.gamma]);
    Array.from(g.grads[p.gamma.name].dataSync()).forEach((v) => close(v, T * N, 1e-4, "dγ"));
    // Σ over a node's standardised entries is 0, so ∂ΣY/∂λ_c sums per-channel parts that cancel across channels
    close(
      Array.from(g.grads[p.lambda.name].dataSync()).reduce((a, b) => a + b, 0),
      0,
      1e-3,
      "Σ dλ",
    );
  });
});
