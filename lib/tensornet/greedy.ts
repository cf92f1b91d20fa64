/**
 * Greedy contraction order (opt_einsum's default heuristic, after Smith & Gray's netcon predecessors): repeatedly
 * contract the pair of current tensors that shares a summed index and minimises size(A·B) − size(A) − size(B),
 * ties broken by the cheaper contraction c(A, B); outer products only when nothing is connected. O(n³) set work,
 * no optimality guarantee.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Network } from "./network";
import { leafIndices, type Tree } from "./tree";

/** A greedy tree: at each step the connected pair that removes the most memory (size(A·B) − size(A) − size(B) smallest). */
export function greedyTree(net: Network): Tree {
  const out = new Set(net.output);
  const prod = (xs: Iterable<string>) => {
    let p = 1;
    for (const e of xs) p *= net.size[e];
    return p;
  };
  // Live tensors: their tree, idx and how many copies of each index they hold (to know when an index closes).
  type Live = { tree: Tree; idx: Set<string>; size: number };
  const uses = new Map<string, number>();
  for (const op of net.inputs) for (const e of op) uses.set(e, (uses.get(e) ?? 0) + 1);
  const live: Live[] = net.inputs.map((_, i) => {
    const idx = new Set(leafIndices(net, i));
    return { tree: i, idx, size: prod(idx) };
  });
  const count = new Map<string, number>(); // live tensors carrying each index
  for (const t of live) for (const e of t.idx) count.set(e, (count.get(e) ?? 0) + 1);
  while (live.length > 1) {
    let best: { i: number; j: number; score: number; cost: number; idx: Set<string> } | null = null;
    for (const connectedOnly of [true, false]) {
      for (let i = 0; i < live.length; i++)
        for (let j = i + 1; j < live.length; j++) {
          const A = live[i],
            B = live[j];
          if (connectedOnly && ![...A.idx].some((e) => B.idx.has(e) && !out.has(e))) continue;
          const union = new Set([...A.idx, ...B.idx]);
          const idx = new Set(
            [...union].filter((e) => out.has(e) || count.get(e)! > (A.idx.has(e) ? 1 : 0) + (B.idx.has(e) ? 1 : 0)),
          );
          const score = prod(idx) - A.size - B.size,
            cost = prod(union);
          if (!best || score < best.score || (score === best.score && cost < best.cost))
            best = { i, j, score, cost, idx };
        }
      if (best) break;
    }
    const { i, j, idx } = best!;
    for (const e of live[i].idx) count.set(e, count.get(e)! - 1);
    for (const e of live[j].idx) count.set(e, count.get(e)! - 1);
    for (const e of idx) count.set(e, count.get(e)! + 1);
    const merged: Live = { tree: [live[i].tree, live[j].tree], idx, size: prod(idx) };
    live.splice(j, 1);
    live.splice(i, 1);
    live.push(merged);
  }
  return live[0].tree;
}
