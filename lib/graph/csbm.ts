/**
 * The contextual stochastic block model (CSBM; Deshpande, Sen, Montanari & Mossel 2018, arXiv 1807.09596):
 * a stochastic block model whose nodes also carry class-dependent features. It stands in for citation graphs
 * (Cora, Citeseer, Pubmed), which cannot be downloaded here, with homophily and degree set by hand.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import type { Rng } from "../rng";
import { type Graph, fromEdges, edgeList } from "./csr";

/** A node-classification data set: graph, row-major features x (n × f), labels y in 0..classes-1. */
export interface GraphData {
  graph: Graph;
  x: Float32Array;
  y: Int32Array;
  n: number;
  f: number;
  classes: number;
}

export interface CsbmOptions {
  n: number;
  classes: number;
  /** Feature dimension f. */
  features: number;
  /** Expected mean degree d̄. */
  degree: number;
  /** Expected edge homophily h: the fraction of edges joining two nodes of the same class (1/classes is random). */
  homophily: number;
  /**
   * Gaussian features x_i = μ_{y_i} + ε, ε ~ N(0, I), with random class means of norm `mu` (the default, mu = 1.5);
   * or sparse binary "bag of words" features: feature k belongs to topic k mod classes, and
   * P(x_ik = 1) = density·boost on the node's own topic, density elsewhere.
   */
  feature?: { kind: "gaussian"; mu: number } | { kind: "binary"; density: number; boost: number };
  rng: Rng;
}

/**
 * Samples a CSBM graph: labels balanced and shuffled, each pair (i, j) linked independently with
 * p_in = h·d̄ / (n/C − 1) within a class and p_out = (1 − h)·d̄ / (n − n/C) across, so E[deg] = d̄ and E[homophily] = h.
 */
export function csbm(o: CsbmOptions): GraphData {
  const { n, classes: C, features: f, degree, homophily: h, rng } = o;
  if (n > 6000) throw new Error(`csbm samples all n²/2 pairs; n = ${n} is too large for that`);
  if (h < 0 || h > 1) throw new Error(`csbm: homophily ${h} outside [0, 1]`);
  const rg = rng.derive("edges"),
    rf = rng.derive("features"),
    rl = rng.derive("labels");
  const y = new Int32Array(n);
  const perm = rl.permutation(n);
  for (let k = 0; k < n; k++) y[perm[k]] = k % C;
  const size = n / C;
  const pIn = (h * degree) / (size - 1),
    pOut = ((1 - h) * degree) / (n - size);
  if (pIn > 1 || pOut > 1)
    throw new Error(`csbm: degree ${degree} with homophily ${h} needs edge probabilities above 1`);
  const src: number[] = [],
    dst: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (rg.uniform() < (y[i] === y[j] ? pIn : pOut)) {
        src.push(i);
        dst.push(j);
      }
  const graph = fromEdges(n, src, dst);
  const x = new Float32Array(n * f);
  const feat = o.feature ?? { kind: "gaussian", mu: 1.5 };
  if (feat.kind === "gaussian") {
    const means: Float32Array[] = [];
    for (let c = 0; c < C; c++) {
      const m = rf.normalArray(f);
      const norm = Math.hypot(...m);
      means.push(m.map((v) => (v * feat.mu) / norm));
    }
    for (let i = 0; i < n; i++) for (let k = 0; k < f; k++) x[i * f + k] = means[y[i]][k] + rf.normal();
  } else {
    const topic = rf.permutation(f);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) {
        const p = topic[k] % C === y[i] ? feat.density * feat.boost : feat.density;
        x[i * f + k] = rf.uniform() < p ? 1 : 0;
      }
  }
  return { graph, x, y, n, f, classes: C };
}

/** The graph with `m` extra edges between uniformly random node pairs (noise edges; mostly cross-class when C is large). */
export function addRandomEdges(g: Graph, m: number, rng: Rng): Graph {
  const { src, dst } = edgeList(g);
  const s = Array.from(src),
    d = Array.from(dst);
  for (let k = 0; k < m; k++) {
    s.push(rng.int(g.n));
    d.push(rng.int(g.n));
  }
  return fromEdges(g.n, s, d);
}

/** Index sets and 0/1 masks of a semi-supervised split (the Planetoid protocol: a few labelled nodes per class). */
export interface NodeSplit {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  trainMask: Float32Array;
  valMask: Float32Array;
  testMask: Float32Array;
}

/** Seeded split: `trainPerClass` labelled nodes of each class, then `valCount` validation nodes, the rest (or `testCount`) for test. */
export function nodeSplit(
  y: Int32Array,
  classes: number,
  o: { trainPerClass: number; valCount: number; testCount?: number; rng: Rng },
): NodeSplit {
  const n = y.length,
    order = o.rng.permutation(n);
  const taken = new Array(classes).fill(0),
    train: number[] = [],
    rest: number[] = [];
  for (const i of order) {
    if (taken[y[i]] < o.trainPerClass) {
      taken[y[i]]++;
      train.push(i);
    } else rest.push(i);
  }
  const val = rest.slice(0, o.valCount),
    test = rest.slice(o.valCount, o.testCount !== undefined ? o.valCount + o.testCount : undefined);
  const mask = (idx: number[]) => {
    const m = new Float32Array(n);
    for (const i of idx) m[i] = 1;
    return m;
  };
  return {
    train: Int32Array.from(train),
    val: Int32Array.from(val),
    test: Int32Array.from(test),
    trainMask: mask(train),
    valMask: mask(val),
    testMask: mask(test),
  };
}
