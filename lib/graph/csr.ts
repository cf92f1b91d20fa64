/**
 * Undirected graphs in compressed sparse row (CSR) form, and the GCN propagation matrix
 * Â = D̃^{-1/2}(A + I)D̃^{-1/2} with D̃_ii = 1 + deg(i) (Kipf & Welling 2017, arXiv 1609.02907).
 * Typed arrays only: the differentiable sparse product is ./sparse.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */

/** A simple undirected graph: the neighbours of node i are indices[indptr[i] .. indptr[i+1]), sorted, no self loops. */
export interface Graph {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
}

/** A weighted sparse matrix in CSR form (rows may include the diagonal). */
export interface Csr {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Builds a simple undirected graph from an edge list; both directions are stored, duplicates and self loops dropped. */
export function fromEdges(n: number, src: ArrayLike<number>, dst: ArrayLike<number>): Graph {
  if (src.length !== dst.length) throw new Error(`fromEdges: ${src.length} sources but ${dst.length} targets`);
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let e = 0; e < src.length; e++) {
    const u = src[e],
      v = dst[e];
    if (u < 0 || v < 0 || u >= n || v >= n) throw new Error(`fromEdges: edge (${u}, ${v}) outside 0..${n - 1}`);
    if (u === v) continue;
    sets[u].add(v);
    sets[v].add(u);
  }
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + sets[i].size;
  const indices = new Int32Array(indptr[n]);
  for (let i = 0; i < n; i++) indices.set(Int32Array.from(sets[i]).sort(), indptr[i]);
  return { n, indptr, indices };
}

/** Degree of every node (number of distinct neighbours, self excluded). */
export function degrees(g: Graph): Int32Array {
  const d = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) d[i] = g.indptr[i + 1] - g.indptr[i];
  return d;
}

/** Number of undirected edges |E|. */
export function edgeCount(g: Graph): number {
  return g.indices.length / 2;
}

/** The edge list, each undirected edge once as (u < v). */
export function edgeList(g: Graph): { src: Int32Array; dst: Int32Array } {
  const m = edgeCount(g),
    src = new Int32Array(m),
    dst = new Int32Array(m);
  let k = 0;
  for (let i = 0; i < g.n; i++)
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++)
      if (g.indices[p] > i) {
        src[k] = i;
        dst[k] = g.indices[p];
        k++;
      }
  return { src, dst };
}

/** A + I as a 0/1 CSR matrix: row i lists N(i) ∪ {i} in increasing order (the neighbourhoods GCN and GAT aggregate over). */
export function withSelfLoops(g: Graph): Csr {
  const indptr = new Int32Array(g.n + 1);
  for (let i = 0; i < g.n; i++) indptr[i + 1] = indptr[i] + g.indptr[i + 1] - g.indptr[i] + 1;
  const indices = new Int32Array(indptr[g.n]);
  for (let i = 0; i < g.n; i++) {
    let q = indptr[i],
      selfDone = false;
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      const j = g.indices[p];
      if (!selfDone && j > i) {
        indices[q++] = i;
        selfDone = true;
      }
      indices[q++] = j;
    }
    if (!selfDone) indices[q] = i;
  }
  return { n: g.n, indptr, indices, values: new Float32Array(indices.length).fill(1) };
}

/** Â = D̃^{-1/2}(A + I)D̃^{-1/2} as CSR with the self loop in each row: Â_ij = 1/√((1+d_i)(1+d_j)) (Kipf & Welling 2017). */
export function normalizedAdjacency(g: Graph): Csr {
  const d = degrees(g),
    m = withSelfLoops(g);
  for (let i = 0; i < g.n; i++)
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) m.values[p] = 1 / Math.sqrt((1 + d[i]) * (1 + d[m.indices[p]]));
  return m;
}

/** Dense row-major copy (n × n) of a CSR matrix: the tfjs path for small graphs, where a dense matMul is fastest. */
export function csrToDense(m: Csr): Float32Array {
  const out = new Float32Array(m.n * m.n);
  for (let i = 0; i < m.n; i++)
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) out[i * m.n + m.indices[p]] = m.values[p];
  return out;
}

/** Y = M X for a CSR matrix M (n × n) and a row-major X (n × f): sparse propagation without tensors. */
export function spmm(m: Csr, x: ArrayLike<number>, f: number): Float32Array {
  if (x.length !== m.n * f) throw new Error(`spmm: X has ${x.length} entries, expected ${m.n}×${f}`);
  const y = new Float32Array(m.n * f);
  for (let i = 0; i < m.n; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const j = m.indices[p],
        w = m.values[p];
      for (let k = 0; k < f; k++) y[i * f + k] += w * x[j * f + k];
    }
  }
  return y;
}
