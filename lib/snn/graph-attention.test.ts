import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { fromEdges, neighbourMask } from "../graph/csr";
import { graphAttention, sameClassAttention, initGat, gatForward, gatVariables } from "./graph-attention";

const close = (a: number, b: number, tol: number, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

describe("snn/graph-attention", () => {
  const g = fromEdges(5, [0, 0, 1, 3], [1, 2, 2, 4]);
  const m = neighbourMask(g, true);
  const mask = tf.tensor2d(m.map((v) => (v ? 0 : -1e9)), [5, 5]);
  const heads = 2, Ch = 3, T = 2, r = rng(4);
  const H = r.normalArray(T * 5 * heads * Ch), aL = r.normalArray(heads * Ch), aR = r.normalArray(heads * Ch);
  const { out, alpha } = graphAttention(tf.tensor3d(H, [T, 5, heads * Ch]), { aL: tf.tensor2d(aL, [heads, Ch]), aR: tf.tensor2d(aR, [heads, Ch]) }, mask);
  const al = alpha.arraySync();

  it("attention rows sum to one and vanish outside N(i) ∪ {i}", () => {
    for (let t = 0; t < T; t++) for (let k = 0; k < heads; k++) for (let i = 0; i < 5; i++) {
      close(al[t][k][i].reduce((a, b) => a + b, 0), 1, 1e-5, `row ${t},${k},${i}`);
      for (let j = 0; j < 5; j++) if (!m[i * 5 + j]) assert.equal(al[t][k][i][j], 0);
    }
  });

  it("matches a brute-force softmax of LeakyReLU(a_lᵀh_i + a_rᵀh_j) over neighbours, and Σ α h", () => {
    const o = out.arraySync();
    for (let t = 0; t < T; t++) for (let k = 0; k < heads; k++) for (let i = 0; i < 5; i++) {
      const h = (n: number, c: number) => H[((t * 5 + n) * heads + k) * Ch + c];
      const dot = (v: Float32Array, n: number) => { let s = 0; for (let c = 0; c < Ch; c++) s += v[k * Ch + c] * h(n, c); return s; };
      const nb = [0, 1, 2, 3, 4].filter((j) => m[i * 5 + j]);
      const e = nb.map((j) => { const z = dot(aL, i) + dot(aR, j); return z > 0 ? z : 0.2 * z; });
      const mx = Math.max(...e), w = e.map((z) => Math.exp(z - mx)), s = w.reduce((a, b) => a + b, 0);
      nb.forEach((j, q) => close(al[t][k][i][j], w[q] / s, 1e-5, `α ${t},${k},${i},${j}`));
      for (let c = 0; c < Ch; c++) {
        const want = nb.reduce((acc, j, q) => acc + (w[q] / s) * h(j, c), 0);
        close(o[t][i][k * Ch + c], want, 1e-4, `out ${t},${i},${k},${c}`);
      }
    }
  });

  it("measures the attention share on same-class neighbours against uniform weights", () => {
    // node 0 has neighbours 1 (same class) and 2 (other); α puts 0.9 on node 1
    const a = new Float32Array(25);
    a[0 * 5 + 1] = 0.6; a[0 * 5 + 2] = 0.0667; a[0 * 5 + 0] = 0.3333;
    const y = [0, 0, 1, 1, 1];
    const s = sameClassAttention(a, fromEdges(5, [0, 0], [1, 2]), y);
    // nodes 0, 1, 2 have neighbours; node 1: only neighbour 0 (same), α = 0 → uniform fallback 1; node 2: neighbour 0 (other) → 0
    close(s.attention, (0.6 / 0.6667 + 1 + 0) / 3, 1e-3);
    close(s.uniform, (0.5 + 1 + 0) / 3, 1e-9);
    assert.equal(s.nodes, 3);
  });

  it("spiking GAT runs end to end with gradients to the attention vectors", () => {
    const cfg = { inDim: 4, heads: 2, headDim: 3, classes: 2, layers: 2, lif: { kTau: 0.5, uTh: 1, reset: "hard" as const }, stfn: true };
    const p = initGat(cfg, rng(2));
    const X = tf.tensor3d(rng(5).uniformArray(3 * 5 * 4).map((v) => (v < 0.5 ? 1 : 0)), [3, 5, 4]);
    const f = gatForward(p, cfg, mask, X);
    assert.deepEqual(f.logits.shape, [5, 2]);
    assert.deepEqual(f.alphas[0].shape, [3, 2, 5, 5]);
    const vars = gatVariables(p, cfg);
    const gr = tf.variableGrads(() => tf.sum(tf.square(gatForward(p, cfg, mask, X).logits)) as tf.Scalar, vars);
    assert.ok(Array.from(gr.grads[p.att[0].aL.name].dataSync()).some((v) => v !== 0), "gradient reaches a_l of layer 1");
  });
});

describe("snn/graph-attention, bilinear score", () => {
  it("scores h_iᵀ diag(a) h_j, so a node can prefer neighbours like itself", () => {
    // star: node 0 linked to 1, 2; node 1 looks like node 0, node 2 the opposite
    const g = fromEdges(3, [0, 0], [1, 2]);
    const mask = tf.tensor2d(neighbourMask(g, true).map((v) => (v ? 0 : -1e9)), [3, 3]);
    const H = tf.tensor3d([1, 0, 1, 0, -1, 0], [1, 3, 2]);
    const a = { aL: tf.tensor2d([[2, 2]]), aR: tf.tensor2d([[0, 0]]) };
    const al = graphAttention(H, a, mask, 0.2, "bilinear").alpha.arraySync()[0][0];
    // row 0: scores e_00 = 2, e_01 = 2, e_02 = −2
    const z = Math.exp(2) * 2 + Math.exp(-2);
    close(al[0][0], Math.exp(2) / z, 1e-5); close(al[0][1], Math.exp(2) / z, 1e-5); close(al[0][2], Math.exp(-2) / z, 1e-5);
    // the GAT score with any a ranks neighbour 1 vs 2 the same way for every node (static attention)
    const b = { aL: tf.tensor2d([[0.3, -1]]), aR: tf.tensor2d([[1, 0.5]]) };
    const st = graphAttention(H, b, tf.zeros([3, 3]) as tf.Tensor2D, 0.2, "gat").alpha.arraySync()[0][0];
    for (let i = 0; i < 3; i++) assert.ok(st[i][1] > st[i][2], `row ${i} prefers node 1 like every row`);
  });
});
