/**
 * Brute force over every pairwise contraction tree: the test oracle for the exact solvers. A network of n tensors
 * has (2n−3)!! trees (n = 7: 10 395; n = 8: 135 135), all listed here, each with its OMS and CMS cost
 * accumulated along the enumeration; nothing is pruned and no optimum of a part is reused.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Network } from "./network";
import type { Tree } from "./tree";

/** Largest network brute force accepts. */
export const BRUTE_MAX_TENSORS = 9;

interface Enumerated {
  tree: Tree;
  oms: number;
  cms: number;
}

/**
 * Every contraction tree of a network with its costs; with `outer: false`, only trees in which each contraction
 * shares a non-output index. Throws above BRUTE_MAX_TENSORS tensors.
 */
export function allTrees(net: Network, opts: { outer?: boolean } = {}): Enumerated[] {
  const outer = opts.outer ?? true;
  const n = net.inputs.length;
  if (n > BRUTE_MAX_TENSORS)
    throw new Error(`brute force enumerates (2n-3)!! trees: refusing n = ${n} > ${BRUTE_MAX_TENSORS}`);
  const out = new Set(net.output);
  const members = (mask: number) => Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1);
  const allIdx = (mask: number) => new Set(members(mask).flatMap((i) => net.inputs[i]));
  // idx(S): indices on tensors of S that the output or a tensor outside S also carries.
  const idx = (mask: number): Set<string> => {
    const inside = allIdx(mask),
      outside = allIdx(((1 << n) - 1) & ~mask);
    return new Set([...inside].filter((e) => out.has(e) || outside.has(e)));
  };
  const memo = new Map<number, Enumerated[]>();
  const trees = (mask: number): Enumerated[] => {
    const hit = memo.get(mask);
    if (hit) return hit;
    const ms = members(mask);
    let res: Enumerated[] = [];
    if (ms.length === 1) res = [{ tree: ms[0], oms: 0, cms: 0 }];
    else {
      const first = 1 << ms[0],
        rest = mask & ~first;
      // left = first ∪ A for every A ⊆ rest with rest \ A non-empty
      for (let a = rest; ; a = (a - 1) & rest) {
        const left = first | a,
          right = rest & ~a;
        if (right !== 0) {
          const iL = idx(left),
            iR = idx(right);
          const shared = [...iL].some((e) => iR.has(e) && !out.has(e));
          if (outer || shared) {
            const union = new Set([...iL, ...iR]);
            let c = 1;
            for (const e of union) c *= net.size[e];
            for (const l of trees(left))
              for (const r of trees(right)) {
                res.push({ tree: [l.tree, r.tree], oms: l.oms + r.oms + c, cms: Math.max(l.cms, r.cms, c) });
              }
          }
        }
        if (a === 0) break;
      }
    }
    memo.set(mask, res);
    return res;
  };
  return trees((1 << n) - 1);
}

/** The best tree by brute force for one objective (ties broken by the other); null if none qualifies. */
export function bruteForce(net: Network, objective: "oms" | "cms", opts: { outer?: boolean } = {}): Enumerated | null {
  let best: Enumerated | null = null;
  for (const t of allTrees(net, opts)) {
    const k = objective === "oms" ? [t.oms, t.cms] : [t.cms, t.oms];
    const b = best && (objective === "oms" ? [best.oms, best.cms] : [best.cms, best.oms]);
    if (!b || k[0] < b[0] || (k[0] === b[0] && k[1] < b[1])) best = t;
  }
  return best;
}
