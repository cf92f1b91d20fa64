import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { fromEdges, withSelfLoops, csrToDense } from "../graph/csr";
import {
  graphAttention,
  attentionLayout,
  attentionWeights,
  sameClassAttention,
  initGat,
  gatForward,
  gatVariables,
  type AttentionScore,
} from "./graph-attention";

const close = (a: number, b: number, tol: number, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

/** The dense reference: masked row softmax over N(i) ∪ {i} written with tfjs ops, differentiated by tfjs autodiff. */
function denseAttention(
  H: tf.Tensor3D,
  aL: tf.Tensor2D,
  aR: tf.Tensor2D,
  mask: tf.Tensor2D,
  score: AttentionScore,
  slope = 0.2,
): { out: tf.Tensor3D; alpha: tf.Tensor4D } {
  const [T, N, F] = H.shape,
    heads = aL.shape[0],
    Ch = aL.shape[1];
  const Hh = tf.transpose(tf.reshape(H, [T, N, heads, Ch]), [0, 2, 1, 3]); // [T, heads, N, Ch]
  let e: tf.Tensor;
  if (score === "gat") {
    const sL = tf.sum(tf.mul(Hh, tf.reshape(aL, [1, heads, 1, Ch])), -1),
      sR = tf.sum(tf.mul(Hh, tf.reshape(aR, [1, heads, 1, Ch])), -1);
    e = tf.leakyRelu(tf.add(tf.expandDims(sL, 3), tf.expandDims(sR, 2)), slope);
  } else {
    e = tf.matMul(
      tf.mul(Hh, tf.reshape(aL, [1, heads, 1, Ch])) as tf.Tensor4D,
      tf.transpose(Hh, [0, 1, 3, 2]) as tf.Tensor4D,
    );
  }
  const alpha = tf.softmax(tf.add(e, mask), -1) as tf.Tensor4D;
  const out = tf.reshape(tf.transpose(tf.matMul(alpha, Hh as tf.Tensor4D), [0, 2, 1, 3]), [T, N, F]) as tf.Tensor3D;
  return { out, alpha };
}

describe("snn/graph-attention (sparse op)", () => {
  const g = fromEdges(5, [0, 0, 1, 3], [1, 2, 2, 4]);
  const pat = withSelfLoops(g),
    dense = csrToDense(pat);
  const mask = tf.tensor2d(
    dense.map((v) => (v ? 0 : -1e9)),
    [5, 5],
  );
  const heads = 2,
    Ch = 3,
    T = 2,
    r = rng(4);
  const H = tf.variable(tf.tensor3d(r.normalArray(T * 5 * heads * Ch), [T, 5, heads * Ch]));
  const aL = tf.variable(tf.tensor2d(r.normalArray(heads * Ch), [heads, Ch])),
    aR = tf.variable(tf.tensor2d(r.normalArray(heads * Ch), [heads, Ch]));
  const up = tf.tensor3d(r.normalArray(T * 5 * heads * Ch), [T, 5, heads * Ch]); // a random upstream gradient

  for (const score of ["gat", "bilinear"] as const) {
    const L = attentionLayout(g, heads, score);
    it(`${score}: α vanishes outside N(i) ∪ {i}, rows sum to one, and α and Σ α h equal the dense masked softmax`, () => {
      const ref = denseAttention(H, aL, aR, mask, score),
        al = ref.alpha.arraySync();
      const sparse = attentionWeights(L, H, { aL, aR }),
        nnz = pat.indptr[5];
      for (let t = 0; t < T; t++)
        for (let k = 0; k < heads; k++)
          for (let i = 0; i < 5; i++) {
            let s = 0;
            for (let p = pat.indptr[i]; p < pat.indptr[i + 1]; p++) {
              s += sparse[(t * heads + k) * nnz + p];
              close(sparse[(t * heads + k) * nnz + p], al[t][k][i][pat.indices[p]], 1e-5, `α ${t},${k},${i}`);
            }
            close(s, 1, 1e-5, "row sum");
            for (let j = 0; j < 5; j++) if (!dense[i * 5 + j]) assert.ok(al[t][k][i][j] < 1e-12);
          }
      const o = graphAttention(L, H, { aL, aR }).dataSync(),
        od = ref.out.dataSync();
      o.forEach((v, q) => close(v, od[q], 1e-5, `out ${q}`));
    });
    it(`${score}: the hand-written gradient equals tfjs autodiff of the dense form (H, a_l, a_r)`, () => {
      const vars = score === "gat" ? [H, aL, aR] : [H, aL];
      const gs = tf.variableGrads(() => tf.sum(tf.mul(graphAttention(L, H, { aL, aR }), up)) as tf.Scalar, vars).grads;
      const gd = tf.variableGrads(
        () => tf.sum(tf.mul(denseAttention(H, aL, aR, mask, score).out, up)) as tf.Scalar,
        vars,
      ).grads;
      for (const v of vars) {
        const a = gs[v.name].dataSync(),
          b = gd[v.name].dataSync();
        assert.ok(
          b.some((x) => x !== 0),
          `${v.name} has a gradient`,
        );
        a.forEach((x, q) => close(x, b[q], 1e-4, `${v.name}[${q}]`));
      }
    });
  }

  it("measures the attention share on same-class neighbours against uniform weights", () => {
    // star 0–1, 0–2; node 0's weights: self 0.3333, node 1 (same class) 0.6, node 2 (other) 0.0667
    const p = withSelfLoops(fromEdges(3, [0, 0], [1, 2]));
    // rows: 0 → [0, 1, 2]; 1 → [0, 1]; 2 → [0, 2]
    const alpha = Float32Array.from([0.3333, 0.6, 0.0667, 0, 1, 0.5, 0.5]);
    const s = sameClassAttention(alpha, p, [0, 0, 1]);
    // node 1: its only neighbour (0, same class) got α = 0, so it falls back to the uniform share 1; node 2: 0
    close(s.attention, (0.6 / 0.6667 + 1 + 0) / 3, 1e-3);
    close(s.uniform, (0.5 + 1 + 0) / 3, 1e-9);
    assert.equal(s.nodes, 3);
  });

  it("spiking GAT runs end to end with gradients to the attention vectors", () => {
    const cfg = {
      inDim: 4,
      heads: 2,
      headDim: 3,
      classes: 2,
      layers: 2,
      lif: { kTau: 0.5, uTh: 1, reset: "hard" as const },
      stfn: true,
    };
    const p = initGat(cfg, rng(2));
    const X = tf.tensor3d(
      rng(5)
        .uniformArray(3 * 5 * 4)
        .map((v) => (v < 0.5 ? 1 : 0)),
      [3, 5, 4],
    );
    const f = gatForward(p, cfg, g, X);
    assert.deepEqual(f.logits.shape, [5, 2]);
    assert.deepEqual(f.h[0].shape, [3, 5, 6]);
    const gr = tf.variableGrads(
      () => tf.sum(tf.square(gatForward(p, cfg, g, X).logits)) as tf.Scalar,
      gatVariables(p, cfg),
    );
    assert.ok(
      Array.from(gr.grads[p.att[0].aL.name].dataSync()).some((v) => v !== 0),
      "gradient reaches a_l of layer 1",
    );
  });
});

describe("snn/graph-attention, bilinear score", () => {
  it("scores h_iᵀ diag(a) h_j, so a node can prefer neighbours like itself; the GAT score ranks neighbours alike for all", () => {
    // star: node 0 linked to 1, 2; node 1 looks like node 0, node 2 the opposite
    const star = fromEdges(3, [0, 0], [1, 2]);
    const H = tf.tensor3d([1, 0, 1, 0, -1, 0], [1, 3, 2]);
    const al = attentionWeights(attentionLayout(star, 1, "bilinear"), H, {
      aL: tf.tensor2d([[2, 2]]),
      aR: tf.tensor2d([[0, 0]]),
    });
    // row 0 = edges (0,0), (0,1), (0,2): scores 2, 2, −2
    const z = Math.exp(2) * 2 + Math.exp(-2);
    close(al[0], Math.exp(2) / z, 1e-5);
    close(al[1], Math.exp(2) / z, 1e-5);
    close(al[2], Math.exp(-2) / z, 1e-5);
    // static attention: on the complete graph K3 with self loops, every row ranks node 1 above node 2
    const k3 = fromEdges(3, [0, 0, 1], [1, 2, 2]),
      Lk = attentionLayout(k3, 1, "gat");
    const st = attentionWeights(Lk, H, { aL: tf.tensor2d([[0.3, -1]]), aR: tf.tensor2d([[1, 0.5]]) });
    for (let i = 0; i < 3; i++) assert.ok(st[i * 3 + 1] > st[i * 3 + 2], `row ${i} prefers node 1 like every row`);
  });
});

describe("snn/graph-attention, uniform weights (the no-attention control)", () => {
  it("averages over N(i) ∪ {i} and passes no gradient to a", () => {
    const g = fromEdges(3, [0, 0], [1, 2]),
      L = attentionLayout(g, 1, "uniform");
    const H = tf.variable(tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 3, 2]));
    const a = { aL: tf.variable(tf.tensor2d([[1, 1]])), aR: tf.variable(tf.tensor2d([[1, 1]])) };
    assert.deepEqual(Array.from(graphAttention(L, H, a).dataSync()), [3, 4, 2, 3, 3, 4]);
    const gr = tf.variableGrads(() => tf.sum(graphAttention(L, H, a)) as tf.Scalar, [H, a.aL]).grads;
    assert.deepEqual(Array.from(gr[a.aL.name].dataSync()), [0, 0]);
    // ∂Σout/∂h_0 = 1/3 (own row) + 1/2 + 1/2 (rows of nodes 1 and 2)
    close(gr[H.name].dataSync()[0], 1 / 3 + 1, 1e-6);
  });
});
