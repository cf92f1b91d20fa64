/**
 * Pairwise contraction trees and their two costs (Xu, Zhang et al. 2023, arXiv 2310.06140):
 *   contracting A with B costs  c(A, B) = Π_{e ∈ idx(A) ∪ idx(B)} d_e  multiply-adds;
 *   OMS cost of a tree = Σ over its contractions of c,   CMS cost = max over its contractions of c.
 * idx(leaf) drops indices no other tensor and not the output carries (they are summed inside the leaf first, free
 * of charge, as opt_einsum does); idx(A·B) keeps the indices of idx(A) ∪ idx(B) still needed by a tensor outside
 * the subtree or by the output. opt_einsum's `opt_cost` counts 2·c for a contraction that sums an index (a
 * multiply and an add): our numbers are multiply-adds, half of opt_einsum's when an index is summed.
 * This module is the plain, Set-based reference the fast solvers are checked against.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Network } from "./network";

/** A contraction tree: a leaf is a tensor's position in `inputs`; a node contracts its two subtrees. */
export type Tree = number | readonly [Tree, Tree];

/** One pairwise contraction of a tree, in execution (post-) order. */
export interface Step {
  left: readonly string[];
  right: readonly string[];
  result: readonly string[];
  /** Π over idx(left) ∪ idx(right). */
  cost: number;
}

/** Both costs of a tree and its contractions in order. */
export interface TreeCost {
  oms: number;
  cms: number;
  steps: Step[];
}

/** Leaves (tensor positions) of a tree, left to right. */
export function leaves(t: Tree): number[] {
  return typeof t === "number" ? [t] : [...leaves(t[0]), ...leaves(t[1])];
}

/** Throws unless `t` uses every tensor of a network with n tensors exactly once. */
export function validateTree(t: Tree, n: number): void {
  const ls = leaves(t);
  const seen = new Uint8Array(n);
  for (const l of ls) {
    if (!Number.isInteger(l) || l < 0 || l >= n)
      throw new Error(`tree leaf ${l} is not a tensor of a network with ${n} tensors`);
    if (seen[l]++) throw new Error(`tree uses tensor ${l} twice`);
  }
  if (ls.length !== n) throw new Error(`tree has ${ls.length} leaves but the network has ${n} tensors`);
}

/** Counts, per index, the tensors that carry it, plus one if the output carries it. */
function useCounts(net: Network): Map<string, number> {
  const uses = new Map<string, number>();
  for (const op of net.inputs) for (const e of op) uses.set(e, (uses.get(e) ?? 0) + 1);
  for (const e of net.output) uses.set(e, (uses.get(e) ?? 0) + 1);
  return uses;
}

/** idx(leaf i): the indices of tensor i that another tensor or the output also carries. */
export function leafIndices(net: Network, i: number): string[] {
  const uses = useCounts(net);
  return net.inputs[i].filter((e) => (uses.get(e) ?? 0) > 1);
}

/**
 * OMS and CMS cost of a tree: Σ and max over its contractions of Π_{e ∈ idx(A) ∪ idx(B)} d_e (multiply-adds).
 * Example: ab,bc,cd->ad with a=b=c=d=10, tree ((0,1),2) costs 1000 + 1000: OMS 2000, CMS 1000.
 */
export function treeCost(net: Network, t: Tree): TreeCost {
  validateTree(t, net.inputs.length);
  const uses = useCounts(net);
  const steps: Step[] = [];
  // Returns idx(subtree) and how often each of its indices is used inside the subtree.
  const walk = (s: Tree): { idx: string[]; inner: Map<string, number> } => {
    if (typeof s === "number") {
      const inner = new Map<string, number>();
      for (const e of net.inputs[s]) inner.set(e, 1);
      return { idx: net.inputs[s].filter((e) => uses.get(e)! > 1), inner };
    }
    const a = walk(s[0]),
      b = walk(s[1]);
    const union = [...a.idx, ...b.idx.filter((e) => !a.idx.includes(e))];
    const inner = new Map(a.inner);
    for (const [e, c] of b.inner) inner.set(e, (inner.get(e) ?? 0) + c);
    const result = union.filter((e) => uses.get(e)! > inner.get(e)!);
    let cost = 1;
    for (const e of union) cost *= net.size[e];
    steps.push({ left: a.idx, right: b.idx, result, cost });
    return { idx: result, inner };
  };
  walk(t);
  let oms = 0,
    cms = 0;
  for (const s of steps) {
    oms += s.cost;
    cms = Math.max(cms, s.cost);
  }
  return { oms, cms, steps };
}

/** True if every contraction of the tree sums or shares at least one non-output index (no outer products). */
export function hasNoOuterProducts(net: Network, t: Tree): boolean {
  const out = new Set(net.output);
  const tensorsOf = (s: Tree) => new Set(leaves(s).flatMap((i) => net.inputs[i]));
  const ok = (s: Tree): boolean => {
    if (typeof s === "number") return true;
    const a = tensorsOf(s[0]),
      b = tensorsOf(s[1]);
    return [...a].some((e) => b.has(e) && !out.has(e)) && ok(s[0]) && ok(s[1]);
  };
  return ok(t);
}

/**
 * opt_einsum's linear path for a tree: a list of pairs of positions in the shrinking operand list, each result
 * appended at the end (e.g. tree ((0,1),2) → [[0,1],[0,1]]).
 */
export function treeToPath(t: Tree): [number, number][] {
  const path: [number, number][] = [];
  const n = leaves(t).length;
  const live: number[] = Array.from({ length: n }, (_, i) => i); // ssa ids in current list order
  let next = n;
  const walk = (s: Tree): number => {
    if (typeof s === "number") return s;
    const a = walk(s[0]),
      b = walk(s[1]);
    const ia = live.indexOf(a),
      ib = live.indexOf(b);
    path.push(ia < ib ? [ia, ib] : [ib, ia]);
    live.splice(Math.max(ia, ib), 1);
    live.splice(Math.min(ia, ib), 1);
    live.push(next);
    return next++;
  };
  walk(t);
  return path;
}

/**
 * The tree of an opt_einsum path over n tensors (the inverse of `treeToPath`): each entry lists positions in the
 * current operand list, whose operands are removed and their contraction appended at the end; an entry of one
 * position (opt_einsum's single-operand step) only moves that operand to the end.
 * Example: [[0, 1], [0, 1]] over 3 tensors → (2,(0,1)).
 */
export function pathToTree(path: readonly (readonly number[])[], n: number): Tree {
  const live: Tree[] = Array.from({ length: n }, (_, i) => i);
  for (const step of path) {
    if (step.length < 1 || step.length > 2)
      throw new Error(`path step [${step.join(", ")}]: only pairwise (or single-operand) steps are supported`);
    const pos = [...step].sort((a, b) => b - a);
    for (const p of pos)
      if (!(Number.isInteger(p) && p >= 0 && p < live.length))
        throw new Error(`path step [${step.join(", ")}] refers to operand ${p} of ${live.length}`);
    const picked = pos.map((p) => live.splice(p, 1)[0]).reverse();
    live.push(picked.length === 1 ? picked[0] : [picked[0], picked[1]]);
  }
  if (live.length !== 1) throw new Error(`path leaves ${live.length} operands, not one`);
  return live[0];
}

/** A tree as nested parentheses, e.g. "((0,1),2)". */
export function treeToString(t: Tree): string {
  return typeof t === "number" ? String(t) : `(${treeToString(t[0])},${treeToString(t[1])})`;
}
