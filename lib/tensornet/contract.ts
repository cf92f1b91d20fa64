/**
 * Executing a contraction tree on tfjs tensors, so a user checks the numbers as well as the costs: each pairwise
 * step is a transpose to [batch, free, summed] / [batch, summed, free], a reshape to rank 3 and one batched matMul.
 * A naive reference einsum on Float64Arrays (loops over every index assignment) is the check.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import { tf } from "../tensor";
import type { Network } from "./network";
import { validateTree, type Tree } from "./tree";

interface Labeled {
  t: tf.Tensor;
  idx: string[];
}

/** Transposes x (indices idx) to the order `to` (a permutation of idx). */
function permute(x: Labeled, to: string[]): tf.Tensor {
  const perm = to.map((e) => x.idx.indexOf(e));
  return perm.every((p, k) => p === k) ? x.t : tf.transpose(x.t, perm);
}

/** Sums x over the indices not in `keep`. */
function sumOut(x: Labeled, keep: (e: string) => boolean): Labeled {
  const axes = x.idx.map((e, k) => (keep(e) ? -1 : k)).filter((k) => k >= 0);
  if (axes.length === 0) return x;
  return { t: tf.sum(x.t, axes), idx: x.idx.filter((e) => keep(e)) };
}

/**
 * Contracts the network's tensors in the order of `tree` and returns the result with axes in `net.output` order.
 * Shapes must match `net.size`. Intermediates are freed as soon as they are used.
 */
export function contract(net: Network, tree: Tree, tensors: readonly tf.Tensor[]): tf.Tensor {
  const n = net.inputs.length;
  validateTree(tree, n);
  if (tensors.length !== n) throw new Error(`contract: ${n} tensors expected, got ${tensors.length}`);
  tensors.forEach((t, i) => {
    const want = net.inputs[i].map((e) => net.size[e]);
    if (t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k]))
      throw new Error(
        `contract: tensor ${i} has shape [${t.shape}] but indices ${net.inputs[i].join("")} need [${want}]`,
      );
  });
  const out = new Set(net.output);
  const uses = new Map<string, number>();
  for (const op of net.inputs) for (const e of op) uses.set(e, (uses.get(e) ?? 0) + 1);
  return tf.tidy(() => {
    // Returns the labeled tensor of a subtree and how many tensors of the subtree carry each index.
    const walk = (s: Tree): Labeled & { inner: Map<string, number> } => {
      if (typeof s === "number") {
        const inner = new Map(net.inputs[s].map((e) => [e, 1] as [string, number]));
        const x = sumOut({ t: tensors[s], idx: [...net.inputs[s]] }, (e) => out.has(e) || uses.get(e)! > 1);
        return { ...x, inner };
      }
      const A = walk(s[0]),
        B = walk(s[1]);
      const inner = new Map(A.inner);
      for (const [e, c] of B.inner) inner.set(e, (inner.get(e) ?? 0) + c);
      const kept = (e: string) => out.has(e) || uses.get(e)! > inner.get(e)!;
      const inB = new Set(B.idx),
        inA = new Set(A.idx);
      const batch = A.idx.filter((e) => inB.has(e) && kept(e));
      const summed = A.idx.filter((e) => inB.has(e) && !kept(e));
      const freeA = A.idx.filter((e) => !inB.has(e)),
        freeB = B.idx.filter((e) => !inA.has(e));
      const d = (xs: string[]) => xs.reduce((p, e) => p * net.size[e], 1);
      const a3 = tf.reshape(permute(A, [...batch, ...freeA, ...summed]), [d(batch), d(freeA), d(summed)]);
      const b3 = tf.reshape(permute(B, [...batch, ...summed, ...freeB]), [d(batch), d(summed), d(freeB)]);
      const idx = [...batch, ...freeA, ...freeB];
      const t = tf.reshape(
        tf.matMul(a3, b3),
        idx.map((e) => net.size[e]),
      );
      return { t, idx, inner };
    };
    const r = walk(tree);
    return permute(r, [...net.output]);
  });
}

/** Naive einsum on Float64Arrays (row-major): result[out] = Σ over all other indices of Π_i T_i[idx_i]. */
export function einsumReference(net: Network, data: readonly Float64Array[]): Float64Array {
  const all = [...new Set([...net.output, ...net.inputs.flat()])];
  const dims = all.map((e) => net.size[e]);
  const pos = new Map(all.map((e, k) => [e, k]));
  const strides = (idx: readonly string[]) => {
    const s = new Array<number>(idx.length);
    let p = 1;
    for (let k = idx.length - 1; k >= 0; k--) {
      s[k] = p;
      p *= net.size[idx[k]];
    }
    return s;
  };
  const opStrides = net.inputs.map(strides),
    outStrides = strides(net.output);
  let outLen = 1;
  for (const e of net.output) outLen *= net.size[e];
  const res = new Float64Array(outLen);
  const v = new Array<number>(all.length).fill(0);
  for (;;) {
    let prod = 1;
    for (let i = 0; i < net.inputs.length; i++) {
      let off = 0;
      net.inputs[i].forEach((e, k) => {
        off += v[pos.get(e)!] * opStrides[i][k];
      });
      prod *= data[i][off];
    }
    let o = 0;
    net.output.forEach((e, k) => {
      o += v[pos.get(e)!] * outStrides[k];
    });
    res[o] += prod;
    let k = all.length - 1;
    while (k >= 0 && ++v[k] === dims[k]) v[k--] = 0;
    if (k < 0) break;
  }
  return res;
}
