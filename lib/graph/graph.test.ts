import assert from "node:assert/strict";
import { rng } from "../rng";
import * as tf from "@tensorflow/tfjs";
import { fromEdges, normalizedAdjacency, withSelfLoops, csrToDense, spmm, degrees, edgeCount } from "./csr";
import { sparsePropagator, transposeCsr, spmmBatched } from "./sparse";
import { karateClub } from "./karate";
import { csbm, nodeSplit, addRandomEdges } from "./csbm";
import { edgeHomophily, meanDegree, dirichletEnergy, meanAverageDistance } from "./measures";

const close = (a: number, b: number, tol = 1e-6, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

describe("graph/csr", () => {
  // path 0-1-2 and an isolated node 3; the duplicate (1,0) and the self loop (2,2) must be dropped
  const g = fromEdges(4, [0, 1, 1, 2], [1, 2, 0, 2]);
  it("stores a simple undirected graph", () => {
    assert.deepEqual(Array.from(degrees(g)), [1, 2, 1, 0]);
    assert.equal(edgeCount(g), 2);
  });
  it("builds D^-1/2 (A+I) D^-1/2 on a hand graph", () => {
    const a = csrToDense(normalizedAdjacency(g));
    const s6 = 1 / Math.sqrt(6);
    const want = [0.5, s6, 0, 0, s6, 1 / 3, s6, 0, 0, s6, 0.5, 0, 0, 0, 0, 1];
    want.forEach((w, k) => close(a[k], w, 1e-6, `entry ${k}`));
  });
  it("has √(1+d) as an eigenvector of eigenvalue 1 (independent check of the scaling)", () => {
    const h = fromEdges(6, [0, 0, 0, 1, 2, 4], [1, 2, 3, 2, 5, 5]);
    const v = Array.from(degrees(h), (d) => Math.sqrt(1 + d));
    const av = spmm(normalizedAdjacency(h), v, 1);
    v.forEach((x, i) => close(av[i], x, 1e-5, `node ${i}`));
  });
  it("lists neighbourhoods with self loops (A + I), sorted", () => {
    assert.deepEqual(Array.from(csrToDense(withSelfLoops(g))), [1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(withSelfLoops(g).indices), [0, 1, 0, 1, 2, 1, 2, 3]);
  });
});

describe("graph/sparse", () => {
  // an asymmetric matrix, so that the gradient must use Mᵀ
  const m = {
    n: 3,
    indptr: Int32Array.from([0, 2, 3, 5]),
    indices: Int32Array.from([0, 2, 1, 0, 1]),
    values: Float32Array.from([2, -1, 3, 0.5, 4]),
  };
  const dense = tf.tensor2d(csrToDense(m), [3, 3]);
  it("transposes CSR", () => {
    const t = csrToDense(transposeCsr(m)),
      d = csrToDense(m);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(t[i * 3 + j], d[j * 3 + i]);
  });
  it("propagates every leading index alike, and agrees with spmm", () => {
    const x = rng(3).normalArray(2 * 3 * 4);
    const y = spmmBatched(m, x, 4);
    for (let b = 0; b < 2; b++)
      spmm(m, x.subarray(b * 12, (b + 1) * 12), 4).forEach((v, k) => close(y[b * 12 + k], v, 1e-6));
  });
  it("is a tfjs op whose gradient is Mᵀ dY (checked against autodiff of the dense matMul)", () => {
    const X = tf.variable(tf.tensor3d(rng(4).normalArray(2 * 3 * 4), [2, 3, 4]));
    const W = tf.tensor3d(rng(5).normalArray(2 * 3 * 4), [2, 3, 4]);
    const P = sparsePropagator(m);
    const denseOp = (x: tf.Tensor3D) => tf.stack(tf.unstack(x).map((xt) => tf.matMul(dense, xt as tf.Tensor2D)));
    const a = tf.variableGrads(() => tf.sum(tf.mul(P(X), W)) as tf.Scalar, [X]),
      b = tf.variableGrads(() => tf.sum(tf.mul(denseOp(X), W)) as tf.Scalar, [X]);
    close(a.value.dataSync()[0], b.value.dataSync()[0], 1e-4, "value");
    const ga = a.grads[X.name].dataSync(),
      gb = b.grads[X.name].dataSync();
    ga.forEach((v, k) => close(v, gb[k], 1e-5, `grad ${k}`));
  });
});

describe("graph/karate", () => {
  it("is Zachary's club: 34 members, 78 ties, 17 + 17 after the split, the two leaders apart", () => {
    const k = karateClub();
    assert.equal(k.n, 34);
    assert.equal(edgeCount(k.graph), 78);
    assert.deepEqual(
      [0, 1].map((c) => Array.from(k.y).filter((v) => v === c).length),
      [17, 17],
    );
    assert.equal(k.club[0], "Mr. Hi");
    assert.equal(k.club[33], "Officer");
    // node 0 (Mr. Hi) and node 33 (the officer) are the two highest-degree members
    const d = Array.from(degrees(k.graph));
    assert.deepEqual([d[0], d[33]], [16, 17]);
    assert.equal(
      k.x.reduce((a, b) => a + b, 0),
      34,
    );
  });
});

describe("graph/csbm", () => {
  for (const h of [0.8, 0.1]) {
    it(`realises homophily ${h} and mean degree 8 within sampling error`, () => {
      const d = csbm({ n: 1200, classes: 4, features: 8, degree: 8, homophily: h, rng: rng(3) });
      const m = edgeCount(d.graph);
      const se = Math.sqrt((h * (1 - h)) / m);
      close(edgeHomophily(d.graph, d.y), h, 4 * se, "homophily");
      close(meanDegree(d.graph), 8, (4 * (2 * Math.sqrt(m))) / 1200, "degree");
      const counts = [0, 0, 0, 0];
      d.y.forEach((c) => counts[c]++);
      assert.deepEqual(counts, [300, 300, 300, 300]);
    });
  }
  it("draws Gaussian class means of the requested norm", () => {
    const d = csbm({
      n: 2000,
      classes: 2,
      features: 16,
      degree: 4,
      homophily: 0.5,
      feature: { kind: "gaussian", mu: 2 },
      rng: rng(5),
    });
    for (let c = 0; c < 2; c++) {
      const mean = new Float64Array(16);
      let cnt = 0;
      for (let i = 0; i < d.n; i++)
        if (d.y[i] === c) {
          cnt++;
          for (let k = 0; k < 16; k++) mean[k] += d.x[i * 16 + k];
        }
      // ‖sample mean‖² = ‖μ‖² + f/cnt on average (noise variance 1 per coordinate)
      const sq = mean.reduce((s, v) => s + (v / cnt) ** 2, 0);
      close(sq - 16 / cnt, 4, 0.15, `class ${c}`);
    }
  });
  it("makes sparse binary features with the requested densities", () => {
    const d = csbm({
      n: 800,
      classes: 4,
      features: 200,
      degree: 4,
      homophily: 0.5,
      feature: { kind: "binary", density: 0.02, boost: 5 },
      rng: rng(1),
    });
    const ones = d.x.reduce((s, v) => s + v, 0) / d.x.length;
    // a quarter of the features are on-topic (density·boost), the rest at density
    close(ones, 0.25 * 0.1 + 0.75 * 0.02, 0.003, "density");
    assert.ok(d.x.every((v) => v === 0 || v === 1));
  });
  it("is reproducible from its seed and differs across seeds", () => {
    const o = { n: 300, classes: 3, features: 5, degree: 5, homophily: 0.6 };
    const a = csbm({ ...o, rng: rng(9) }),
      b = csbm({ ...o, rng: rng(9) }),
      c = csbm({ ...o, rng: rng(10) });
    assert.deepEqual(a.graph.indices, b.graph.indices);
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.y, b.y);
    assert.notDeepEqual(a.graph.indices, c.graph.indices);
  });
  it("adds noise edges and splits nodes per class", () => {
    const d = csbm({ n: 400, classes: 4, features: 4, degree: 4, homophily: 0.9, rng: rng(2) });
    const noisy = addRandomEdges(d.graph, 400, rng(4));
    assert.ok(edgeCount(noisy) > edgeCount(d.graph) + 350);
    assert.ok(edgeHomophily(noisy, d.y) < edgeHomophily(d.graph, d.y) - 0.2);
    const s = nodeSplit(d.y, 4, { trainPerClass: 10, valCount: 100, rng: rng(1) });
    assert.equal(s.train.length, 40);
    assert.equal(s.val.length, 100);
    assert.equal(s.test.length, 260);
    for (let c = 0; c < 4; c++) assert.equal(Array.from(s.train).filter((i) => d.y[i] === c).length, 10);
    const all = new Set([...s.train, ...s.val, ...s.test]);
    assert.equal(all.size, 400);
  });
});

describe("graph/measures", () => {
  it("MAD is 0 for identical rows, 1 for orthogonal, 2 for opposite", () => {
    close(meanAverageDistance([1, 2, 1, 2, 1, 2], 3, 2), 0);
    close(meanAverageDistance([1, 0, 0, 3], 2, 2), 1);
    close(meanAverageDistance([1, 1, -2, -2], 2, 2), 2);
  });
  it("MAD matches a brute-force pairwise mean", () => {
    const r = rng(11),
      n = 7,
      f = 3,
      x = r.normalArray(n * f);
    let s = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i !== j) {
          let dot = 0,
            a = 0,
            b = 0;
          for (let k = 0; k < f; k++) {
            dot += x[i * f + k] * x[j * f + k];
            a += x[i * f + k] ** 2;
            b += x[j * f + k] ** 2;
          }
          s += 1 - dot / Math.sqrt(a * b);
        }
    close(meanAverageDistance(x, n, f), s / (n * (n - 1)), 1e-5);
  });
  it("Dirichlet energy: hand value, and zero on the fixed point of propagation", () => {
    const g = fromEdges(2, [0], [1]);
    close(dirichletEnergy(g, [1, 0], 1), 0.5);
    const h = fromEdges(5, [0, 0, 1, 3], [1, 2, 2, 4]);
    const fixed = Array.from(degrees(h), (d) => 3 * Math.sqrt(1 + d));
    close(dirichletEnergy(h, fixed, 1), 0, 1e-9);
    assert.ok(dirichletEnergy(h, [1, -1, 1, -1, 1], 1) > 0.5);
  });
});
