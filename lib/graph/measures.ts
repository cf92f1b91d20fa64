/**
 * Graph statistics: homophily of a labelled graph, and oversmoothing measures of node representations
 * (how far deep message passing has pulled all nodes towards one vector).
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import { type Graph, degrees } from "./csr";

/** Edge homophily h = |{(u,v) ∈ E : y_u = y_v}| / |E| (Zhu et al. 2020, arXiv 2006.11468). NaN for an edgeless graph. */
export function edgeHomophily(g: Graph, y: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < g.n; i++)
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) if (y[i] === y[g.indices[p]]) same++;
  return same / g.indices.length;
}

/** Mean degree 2|E| / n. */
export function meanDegree(g: Graph): number {
  return g.indices.length / g.n;
}

/**
 * Dirichlet energy E(X) = (1/n) Σ_i Σ_{j∈N(i)} ‖x_i/√(1+d_i) − x_j/√(1+d_j)‖² of row-major X (n × f)
 * (Cai & Wang 2020, arXiv 2006.13318; Rusch, Bronstein & Mishra 2023, arXiv 2303.10993): zero when the
 * representation is constant up to the degree scaling that GCN propagation converges to.
 */
export function dirichletEnergy(g: Graph, x: ArrayLike<number>, f: number): number {
  const d = degrees(g);
  let e = 0;
  for (let i = 0; i < g.n; i++) {
    const si = 1 / Math.sqrt(1 + d[i]);
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      const j = g.indices[p],
        sj = 1 / Math.sqrt(1 + d[j]);
      for (let k = 0; k < f; k++) {
        const diff = x[i * f + k] * si - x[j * f + k] * sj;
        e += diff * diff;
      }
    }
  }
  return e / g.n;
}

/**
 * Mean average cosine distance over all node pairs, MAD = mean_{i≠j} (1 − cos(x_i, x_j)) (after Chen et al. 2020,
 * arXiv 1909.03211, without their neighbourhood mask). Scale-free, so spike rates and real activations compare;
 * 0 means every node points the same way (fully oversmoothed). An all-zero row counts as distance 1 from everything.
 */
export function meanAverageDistance(x: ArrayLike<number>, n: number, f: number): number {
  const unit = new Float32Array(n * f),
    zero = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < f; k++) s += x[i * f + k] ** 2;
    if (s === 0) {
      zero[i] = 1;
      continue;
    }
    const r = 1 / Math.sqrt(s);
    for (let k = 0; k < f; k++) unit[i * f + k] = x[i * f + k] * r;
  }
  // Σ_{i≠j} cos = ‖Σ_i u_i‖² − Σ_i ‖u_i‖², so the all-pairs mean costs O(n f).
  const sum = new Float64Array(f);
  let nz = 0;
  for (let i = 0; i < n; i++)
    if (!zero[i]) {
      nz++;
      for (let k = 0; k < f; k++) sum[k] += unit[i * f + k];
    }
  let sq = 0;
  for (let k = 0; k < f; k++) sq += sum[k] * sum[k];
  const cosSum = sq - nz;
  return Math.max(0, 1 - cosSum / (n * (n - 1))); // ≥ 0 exactly; rounding can dip below when all rows agree
}
