/**
 * Exact treewidth of small graphs and the graph families used to relate CMS to treewidth. For a closed network
 * with every bond of size d, log_d CMS = max over contractions of |idx(A) ∪ idx(B)|, which Markov & Shi
 * (2008, arXiv quant-ph/0511069) show equals tw(L(G)) + 1, the treewidth of the line graph plus one.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */

/** An undirected simple graph: n vertices and an edge list. */
export interface Graph {
  n: number;
  edges: [number, number][];
}

/** The cycle C_n (treewidth 2 for n ≥ 3). */
export function cycleGraph(n: number): Graph {
  return { n, edges: Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]) };
}

/** The r×c grid graph (treewidth min(r, c)); r = 2 is the ladder (treewidth 2). */
export function gridGraph(r: number, c: number): Graph {
  const edges: [number, number][] = [];
  const v = (i: number, j: number) => i * c + j;
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      if (j + 1 < c) edges.push([v(i, j), v(i, j + 1)]);
      if (i + 1 < r) edges.push([v(i, j), v(i + 1, j)]);
    }
  return { n: r * c, edges };
}

/** The complete graph K_n (treewidth n − 1). */
export function completeGraph(n: number): Graph {
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j]);
  return { n, edges };
}

/** The line graph L(G): one vertex per edge of G, adjacent when the edges share an endpoint. */
export function lineGraph(g: Graph): Graph {
  const edges: [number, number][] = [];
  for (let a = 0; a < g.edges.length; a++)
    for (let b = a + 1; b < g.edges.length; b++) {
      const [u, v] = g.edges[a],
        [x, y] = g.edges[b];
      if (u === x || u === y || v === x || v === y) edges.push([a, b]);
    }
  return { n: g.edges.length, edges };
}

/**
 * Exact treewidth by the subset recursion of Bodlaender, Fomin, Koster, Kratsch & Thilikos (2006):
 * TW(S) = min_{v ∈ S} max(TW(S∖v), |Q(S∖v, v)|), Q(S, v) = vertices outside S ∪ {v} reachable from v through S.
 * O(2ⁿ·n²) bit operations: use for n ≤ 22.
 */
export function treewidth(g: Graph): number {
  const n = g.n;
  if (n > 22) throw new Error(`exact treewidth by subset DP is limited to 22 vertices, got ${n}`);
  if (n === 0) return -1;
  const adj = new Int32Array(n);
  for (const [u, v] of g.edges) {
    adj[u] |= 1 << v;
    adj[v] |= 1 << u;
  }
  const full = (1 << n) - 1;
  const tw = new Int8Array(1 << n);
  tw[0] = -1;
  const popcount = (x: number) => {
    let c = 0;
    while (x) {
      x &= x - 1;
      c++;
    }
    return c;
  };
  for (let S = 1; S <= full; S++) {
    let best = 127;
    for (let rest = S; rest !== 0; rest &= rest - 1) {
      const vbit = rest & -rest,
        v = 31 - Math.clz32(vbit);
      const Sv = S ^ vbit;
      if (tw[Sv] >= best) continue;
      // vertices reachable from v through Sv, then those outside Sv ∪ {v}
      let reach = adj[v],
        frontier = adj[v] & Sv,
        seen = frontier;
      while (frontier !== 0) {
        const u = 31 - Math.clz32(frontier & -frontier);
        frontier &= frontier - 1;
        reach |= adj[u];
        const nu = adj[u] & Sv & ~seen;
        seen |= nu;
        frontier |= nu;
      }
      const q = popcount(reach & ~Sv & ~vbit & full);
      const val = Math.max(tw[Sv], q);
      if (val < best) best = val;
    }
    tw[S] = best;
  }
  return tw[full];
}
