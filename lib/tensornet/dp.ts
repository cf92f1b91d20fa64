/**
 * Exact contraction order by dynamic programming over subsets of tensors, for either objective:
 *   OMS: best(S) = min over splits S = S₁ ⊔ S₂ of best(S₁) + best(S₂) + c(S₁, S₂)
 *   CMS: best(S) = min over splits of max(best(S₁), best(S₂), c(S₁, S₂)),   c(S₁, S₂) = Π_{e ∈ idx(S₁) ∪ idx(S₂)} d_e.
 * Subsets are built by size (breadth-first, as in Pfeifer, Haegeman & Verstraete 2014, "netcon", arXiv 1304.6112,
 * and opt_einsum's DynamicProgramming), and only subsets whose cost stays below a cap μ are kept; when the whole
 * network is not reached the cap grows to max(ξ·μ, the cheapest rejected cost) (netcon's rule, ξ = the smallest
 * bond dimension, at least 2). Any optimal tree has all its partial costs ≤ its total, so the first cap that
 * reaches the whole network yields a provably optimal tree. By default only pairs sharing a summed index are
 * contracted (no outer products); connected components are solved apart and joined smallest-first.
 *
 * Speed: a subset is a bitmask in a 32-bit int, its open indices a bitset of 32-bit words, subsets live in typed
 * arrays addressed by an open-addressing hash table of int keys; no strings or objects in the inner loop.
 * Costs are exact integers up to 2^53 (doubles).
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Network } from "./network";
import { DP_WIDE_MAX_TENSORS, solveDPWide } from "./dpwide";
import { grown } from "./arrays";
import { greedyTree } from "./greedy";
import { treeCost, type Tree } from "./tree";

export type Objective = "oms" | "cms";

/** Options shared by the exact solvers. */
export interface DPOptions {
  /** Also consider contracting pairs that share no summed index (outer products); slower, rarely better. */
  outer?: boolean;
  /** Initial cost cap μ; defaults to a lower bound of the optimum (largest tensor or output size). */
  cap?: number;
  /**
   * "best-first" (default): subsets in order of cost (Knuth 1977), candidates above the greedy tree's cost dropped;
   * "capped": netcon/opt_einsum breadth-first sweeps by subset size, repeated with a growing cap.
   */
  search?: "best-first" | "capped";
  /** Only trees whose every contraction costs at most this many multiply-adds (a CMS budget for an OMS search). */
  maxStep?: number;
  /** Use the two-word subset masks of dpwide.ts even for ≤ 32 tensors (automatic above 32). */
  wide?: boolean;
}

/** The optimum with the search's statistics. */
export interface DPResult {
  tree: Tree;
  /** Optimal OMS or CMS cost (the objective), multiply-adds. */
  cost: number;
  objective: Objective;
  /** Cap iterations summed over components, and subsets stored at the end. */
  iterations: number;
  subsets: number;
  /** Subsets expanded (best-first: left the queue; capped: stored at the last sweep). */
  expanded: number;
}

const NO_TREE =
  "DP: no contraction tree meets the constraints (a maxStep budget below the CMS optimum, or a network that needs outer products: pass { outer: true })";

/** Largest network the exact DP accepts: one 32-bit word per subset up to 32 tensors, two words up to 64. */
export const DP_MAX_TENSORS = DP_WIDE_MAX_TENSORS;

/** A network in bitset form: edge e has tensor mask tmask[e], open flag, dimension; tensor i has leg words. */
interface Compiled {
  n: number;
  W: number;
  legs: Int32Array;
  size: Float64Array;
  nbr: Int32Array;
  tmask: Int32Array;
  open: Uint8Array;
  dim: Float64Array;
}

function compile(net: Network): Compiled {
  const n = net.inputs.length;
  if (n > 32) throw new Error(`the one-word DP handles at most 32 tensors; got ${n}`);
  const out = new Set(net.output);
  const uses = new Map<string, number>();
  for (const op of net.inputs) for (const e of op) uses.set(e, (uses.get(e) ?? 0) + 1);
  const edgeId = new Map<string, number>();
  for (const op of net.inputs)
    for (const e of op) if (!edgeId.has(e) && uses.get(e)! + (out.has(e) ? 1 : 0) > 1) edgeId.set(e, edgeId.size);
  const E = edgeId.size,
    W = Math.max(1, Math.ceil(E / 32));
  const tmask = new Int32Array(W * 32),
    open = new Uint8Array(W * 32),
    dim = new Float64Array(W * 32).fill(1);
  const legs = new Int32Array(n * W),
    size = new Float64Array(n).fill(1),
    nbr = new Int32Array(n);
  net.inputs.forEach((op, i) => {
    for (const e of op) {
      const k = edgeId.get(e);
      if (k === undefined) continue;
      legs[i * W + (k >> 5)] |= 1 << (k & 31);
      tmask[k] |= 1 << i;
      size[i] *= net.size[e];
    }
  });
  for (const [e, k] of edgeId) {
    open[k] = out.has(e) ? 1 : 0;
    dim[k] = net.size[e];
  }
  for (let k = 0; k < E; k++)
    if (!open[k]) for (let i = 0; i < n; i++) if ((tmask[k] >> i) & 1) nbr[i] |= tmask[k] & ~(1 << i);
  return { n, W, legs, size, nbr, tmask, open, dim };
}

/** Connected components of the tensors under "shares a summed index", as masks. */
function components(c: Compiled): number[] {
  const comps: number[] = [];
  let left = c.n === 32 ? -1 : (1 << c.n) - 1;
  while (left !== 0) {
    let comp = left & -left,
      frontier = comp;
    while (frontier !== 0) {
      const i = 31 - Math.clz32(frontier & -frontier);
      frontier &= frontier - 1;
      const add = c.nbr[i] & ~comp;
      comp |= add;
      frontier |= add;
    }
    comps.push(comp);
    left &= ~comp;
  }
  return comps;
}

/** Growable struct-of-arrays store of subsets with an int-keyed open-addressing index. */
class SubsetStore {
  cap = 0;
  count = 0;
  mask = new Int32Array(0);
  nb = new Int32Array(0);
  left = new Int32Array(0);
  right = new Int32Array(0);
  size = new Float64Array(0);
  cost = new Float64Array(0);
  tie = new Float64Array(0);
  legs = new Int32Array(0);
  done = new Uint8Array(0);
  private keys = new Int32Array(0);
  private vals = new Int32Array(0);
  private hmask = 0;
  private shift = 32;
  constructor(
    readonly W: number,
    initial = 1 << 12,
  ) {
    this.grow(initial);
  }

  private grow(cap: number): void {
    const W = this.W;
    this.mask = grown(this.mask, cap);
    this.nb = grown(this.nb, cap);
    this.left = grown(this.left, cap);
    this.right = grown(this.right, cap);
    this.size = grown(this.size, cap);
    this.cost = grown(this.cost, cap);
    this.tie = grown(this.tie, cap);
    this.legs = grown(this.legs, cap * W);
    this.done = grown(this.done, cap);
    this.cap = cap;
    const hcap = cap * 2;
    this.keys = new Int32Array(hcap);
    this.vals = new Int32Array(hcap);
    this.hmask = hcap - 1;
    this.shift = 32 - Math.log2(hcap);
    for (let id = 0; id < this.count; id++) this.insertKey(this.mask[id], id);
  }

  private insertKey(m: number, id: number): void {
    let h = Math.imul(m, 0x9e3779b1) >>> this.shift;
    while (this.keys[h] !== 0) h = (h + 1) & this.hmask;
    this.keys[h] = m;
    this.vals[h] = id;
  }

  /** The id of subset m, or −1. */
  find(m: number): number {
    let h = Math.imul(m, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = this.keys[h];
      if (k === m) return this.vals[h];
      if (k === 0) return -1;
      h = (h + 1) & this.hmask;
    }
  }

  add(m: number): number {
    if (this.count === this.cap) this.grow(this.cap * 2);
    const id = this.count++;
    this.mask[id] = m;
    this.insertKey(m, id);
    return id;
  }
}

/** A growable int list (the subsets of one size). */
class IntList {
  data = new Int32Array(64);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const b = new Int32Array(this.data.length * 2);
      b.set(this.data);
      this.data = b;
    }
    this.data[this.length++] = x;
  }
}

/**
 * The greedy tree (same rule and tie-breaks as `greedyTree`: the connected pair minimising size(A·B) − size(A) −
 * size(B), then the cheaper contraction) on the tensors of mask g, in bitset form; with its OMS and CMS cost.
 */
function greedyCompiled(c: Compiled, g: number): { tree: Tree; oms: number; cms: number } {
  const W = c.W;
  const trees: Tree[] = [],
    masks: number[] = [],
    sizes: number[] = [],
    nbs: number[] = [];
  const legs: Int32Array[] = [];
  for (let i = 0; i < c.n; i++)
    if ((g >> i) & 1) {
      trees.push(i);
      masks.push(1 << i);
      sizes.push(c.size[i]);
      nbs.push(c.nbr[i]);
      legs.push(c.legs.slice(i * W, i * W + W));
    }
  let oms = 0,
    cms = 0;
  const sharedInfo = (a: number, b: number) => {
    const s = masks[a] | masks[b];
    let pShared = 1,
      pClosed = 1;
    const closedW = new Int32Array(W);
    for (let w = 0; w < W; w++) {
      for (let sh = legs[a][w] & legs[b][w]; sh !== 0; sh &= sh - 1) {
        const k = (w << 5) + 31 - Math.clz32(sh & -sh);
        pShared *= c.dim[k];
        if (c.open[k] === 0 && (c.tmask[k] & ~s) === 0) {
          pClosed *= c.dim[k];
          closedW[w] |= sh & -sh;
        }
      }
    }
    const cc = (sizes[a] * sizes[b]) / pShared;
    return { cc, sz: cc / pClosed, closedW };
  };
  while (trees.length > 1) {
    let bi = -1,
      bj = -1,
      bScore = Infinity,
      bCost = Infinity;
    for (const connectedOnly of [true, false]) {
      for (let i = 0; i < trees.length; i++)
        for (let j = i + 1; j < trees.length; j++) {
          if (connectedOnly && (nbs[i] & masks[j]) === 0) continue;
          const { cc, sz } = sharedInfo(i, j);
          const score = sz - sizes[i] - sizes[j];
          if (score < bScore || (score === bScore && cc < bCost)) {
            bi = i;
            bj = j;
            bScore = score;
            bCost = cc;
          }
        }
      if (bi >= 0) break;
    }
    const { cc, sz, closedW } = sharedInfo(bi, bj);
    oms += cc;
    cms = Math.max(cms, cc);
    const merged = new Int32Array(W);
    for (let w = 0; w < W; w++) merged[w] = (legs[bi][w] | legs[bj][w]) & ~closedW[w];
    const t: Tree = [trees[bi], trees[bj]],
      m = masks[bi] | masks[bj],
      nb = nbs[bi] | nbs[bj];
    for (const arr of [trees, masks, sizes, nbs, legs] as unknown[][]) {
      arr.splice(bj, 1);
      arr.splice(bi, 1);
    }
    trees.push(t);
    masks.push(m);
    sizes.push(sz);
    nbs.push(nb);
    legs.push(merged);
  }
  return { tree: trees[0], oms, cms };
}

/** The greedy contraction tree in bitset form (the same tree as `greedyTree`); above 32 tensors, `greedyTree` itself. */
export function greedyFast(net: Network): Tree {
  if (net.inputs.length > 32) return greedyTree(net);
  const c = compile(net);
  return greedyCompiled(c, c.n === 32 ? -1 : (1 << c.n) - 1).tree;
}

/** netcon's cap growth factor ξ: the smallest bond dimension in component g, at least 2. */
function growthFactor(c: Compiled, g: number): number {
  let minDim = Infinity;
  for (let k = 0; k < c.W * 32; k++) if ((c.tmask[k] & g) !== 0) minDim = Math.min(minDim, c.dim[k]);
  return Math.max(Number.isFinite(minDim) ? minDim : 2, 2);
}

/** Exact DP restricted to the tensors in mask g; returns the store id of the full subset. */
function solveComponent(
  c: Compiled,
  g: number,
  objective: Objective,
  outer: boolean,
  cap0: number | undefined,
  maxStep: number,
  st: SubsetStore,
  stats: { iterations: number; expanded: number },
): number {
  const W = c.W,
    dim = c.dim,
    tmask = c.tmask,
    open = c.open;
  const members: number[] = [];
  for (let i = 0; i < c.n; i++) if ((g >> i) & 1) members.push(i);
  const N = members.length;
  const byIds: IntList[] = Array.from({ length: N + 1 }, () => new IntList());
  const byMask: IntList[] = Array.from({ length: N + 1 }, () => new IntList());
  let maxLeaf = 1,
    minDim = Infinity,
    outSize = 1;
  for (const i of members) {
    const id = st.add(1 << i);
    st.nb[id] = c.nbr[i];
    st.size[id] = c.size[i];
    st.cost[id] = 0;
    st.tie[id] = 0;
    st.left[id] = -1 - i;
    st.right[id] = -1;
    for (let w = 0; w < W; w++) st.legs[id * W + w] = c.legs[i * W + w];
    byIds[1].push(id);
    byMask[1].push(1 << i);
    maxLeaf = Math.max(maxLeaf, c.size[i]);
  }
  for (let k = 0; k < W * 32; k++) {
    if ((tmask[k] & g) === 0) continue;
    minDim = Math.min(minDim, dim[k]);
    if (open[k] || (tmask[k] & ~g) !== 0) outSize *= dim[k];
  }
  if (N === 1) return byIds[1].data[0];
  let cap = cap0 ?? Math.max(maxLeaf, outSize);
  const xi = Math.max(Number.isFinite(minDim) ? minDim : 2, 2);
  const oms = objective === "oms";
  for (;;) {
    stats.iterations++;
    let minRejected = Infinity;
    for (let n = 2; n <= N; n++) {
      const outIds = byIds[n],
        outMasks = byMask[n];
      for (let m = 1; m <= n >> 1; m++) {
        const ids1 = byIds[m].data,
          len1 = byIds[m].length;
        const ids2 = byIds[n - m].data,
          masks2 = byMask[n - m].data,
          len2 = byIds[n - m].length;
        const same = m === n - m;
        for (let ia = 0; ia < len1; ia++) {
          const a = ids1[ia];
          const m1 = st.mask[a],
            nb1 = st.nb[a],
            c1 = st.cost[a],
            t1 = st.tie[a],
            sz1 = st.size[a];
          const aw = a * W;
          for (let ib = same ? ia + 1 : 0; ib < len2; ib++) {
            const m2 = masks2[ib];
            if ((m1 & m2) !== 0) continue;
            if (!outer && (nb1 & m2) === 0) continue;
            const b = ids2[ib];
            const bw = b * W;
            let pShared = 1;
            for (let w = 0; w < W; w++) {
              let sh = st.legs[aw + w] & st.legs[bw + w];
              while (sh !== 0) {
                const low = sh & -sh;
                pShared *= dim[(w << 5) + 31 - Math.clz32(low)];
                sh ^= low;
              }
            }
            const cc = (sz1 * st.size[b]) / pShared;
            if (cc > maxStep) continue;
            let total: number, tie: number;
            if (oms) {
              total = c1 + st.cost[b] + cc;
              if (total > cap) {
                if (total < minRejected) minRejected = total;
                continue;
              }
              const c2 = st.tie[b];
              tie = Math.max(t1, c2, cc);
            } else {
              if (cc > cap) {
                if (cc < minRejected) minRejected = cc;
                continue;
              }
              const c2 = st.cost[b];
              total = Math.max(c1, c2, cc);
              tie = t1 + st.tie[b] + cc;
            }
            const s = m1 | m2;
            let id = st.find(s);
            if (id < 0) {
              id = st.add(s);
              st.nb[id] = nb1 | st.nb[b];
              const iw = id * W;
              let sz = 1;
              for (let w = 0; w < W; w++) {
                const la = st.legs[aw + w],
                  lb = st.legs[bw + w];
                let legs = la | lb,
                  sh = la & lb;
                while (sh !== 0) {
                  const low = sh & -sh;
                  const k = (w << 5) + 31 - Math.clz32(low);
                  if (open[k] === 0 && (tmask[k] & ~s) === 0) legs ^= low;
                  sh ^= low;
                }
                st.legs[iw + w] = legs;
                for (let x = legs; x !== 0; x &= x - 1) sz *= dim[(w << 5) + 31 - Math.clz32(x & -x)];
              }
              st.size[id] = sz;
              st.cost[id] = total;
              st.tie[id] = tie;
              st.left[id] = a;
              st.right[id] = b;
              outIds.push(id);
              outMasks.push(s);
            } else if (total < st.cost[id] || (total === st.cost[id] && tie < st.tie[id])) {
              st.cost[id] = total;
              st.tie[id] = tie;
              st.left[id] = a;
              st.right[id] = b;
            }
          }
        }
      }
    }
    const full = st.find(g);
    if (full >= 0) return full;
    if (!Number.isFinite(minRejected)) throw new Error(NO_TREE);
    cap = Math.max(minRejected, cap * xi);
  }
}

/** A binary min-heap of (f, cost, tie, id) in typed arrays, lexicographic; stale entries are skipped by the caller. */
class Heap {
  f = new Float64Array(1024);
  cost = new Float64Array(1024);
  tie = new Float64Array(1024);
  id = new Int32Array(1024);
  length = 0;
  private less(i: number, j: number): boolean {
    const fi = this.f[i],
      fj = this.f[j];
    if (fi !== fj) return fi < fj;
    const ci = this.cost[i],
      cj = this.cost[j];
    return ci < cj || (ci === cj && this.tie[i] < this.tie[j]);
  }
  private swap(i: number, j: number): void {
    let t = this.f[i];
    this.f[i] = this.f[j];
    this.f[j] = t;
    t = this.cost[i];
    this.cost[i] = this.cost[j];
    this.cost[j] = t;
    t = this.tie[i];
    this.tie[i] = this.tie[j];
    this.tie[j] = t;
    const u = this.id[i];
    this.id[i] = this.id[j];
    this.id[j] = u;
  }
  push(f: number, cost: number, tie: number, id: number): void {
    if (this.length === this.id.length) {
      const n = this.length * 2;
      const g = (a: Float64Array) => {
        const b = new Float64Array(n);
        b.set(a);
        return b;
      };
      this.f = g(this.f);
      this.cost = g(this.cost);
      this.tie = g(this.tie);
      const d = new Int32Array(n);
      d.set(this.id);
      this.id = d;
    }
    let i = this.length++;
    this.f[i] = f;
    this.cost[i] = cost;
    this.tie[i] = tie;
    this.id[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the minimum; read it at index `length` afterwards. */
  pop(): void {
    const last = --this.length;
    this.swap(0, last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}

/** Adds the leaves of component g to the store; returns their ids. */
function addLeaves(c: Compiled, g: number, st: SubsetStore): number[] {
  const ids: number[] = [];
  for (let i = 0; i < c.n; i++) {
    if (((g >> i) & 1) === 0) continue;
    const id = st.add(1 << i);
    st.nb[id] = c.nbr[i];
    st.size[id] = c.size[i];
    st.cost[id] = 0;
    st.tie[id] = 0;
    st.left[id] = -1 - i;
    st.right[id] = -1;
    for (let w = 0; w < c.W; w++) st.legs[id * c.W + w] = c.legs[i * c.W + w];
    ids.push(id);
  }
  return ids;
}

/**
 * Best-first exact DP (Knuth's 1977 generalisation of Dijkstra to superior functions, with an A*-style bound):
 * subsets leave a priority queue in order of f(S) = cost(S) ⊕ size(S) (⊕ = + for OMS, max for CMS), and each
 * finished subset is joined with every finished disjoint neighbour. size(S) = Π_{e ∈ idx(S)} d_e bounds the one
 * contraction S must still take part in, so f(S) ≤ the cost of any tree containing S, and f grows strictly (OMS)
 * or weakly with cost as tie-break (CMS) from parts to wholes: a subset leaves the queue with its optimal cost.
 * Candidates with f above the cap μ are dropped; returns −1 (and the least dropped f) when μ is below the optimum.
 */
function solveBestFirst(
  c: Compiled,
  g: number,
  objective: Objective,
  outer: boolean,
  cap: number,
  maxStep: number,
  st: SubsetStore,
  stats: { iterations: number; expanded: number },
): { id: number; minRejected: number } {
  const W = c.W,
    dim = c.dim,
    tmask = c.tmask,
    open = c.open;
  const heap = new Heap();
  for (const id of addLeaves(c, g, st)) heap.push(st.size[id], 0, 0, id);
  const fin = new IntList(),
    finMask = new IntList();
  const closedW = new Int32Array(W);
  const oms = objective === "oms";
  let minRejected = Infinity;
  let bound = cap;
  let legs = st.legs,
    size = st.size,
    cost = st.cost,
    ties = st.tie;
  stats.iterations++;
  while (heap.length > 0) {
    heap.pop();
    const a = heap.id[heap.length];
    if (st.done[a] === 1 || heap.cost[heap.length] !== cost[a] || heap.tie[heap.length] !== ties[a]) continue;
    st.done[a] = 1;
    stats.expanded++;
    const m1 = st.mask[a];
    if (m1 === g) return { id: a, minRejected };
    const nb1 = st.nb[a],
      c1 = cost[a],
      t1 = ties[a],
      sz1 = size[a];
    const aw = a * W;
    const fm = finMask.data,
      fi = fin.data,
      F = fin.length;
    for (let j = 0; j < F; j++) {
      const m2 = fm[j];
      if ((m1 & m2) !== 0) continue;
      if (!outer && (nb1 & m2) === 0) continue;
      const b = fi[j];
      const s = m1 | m2;
      // Cheap bound first: the contraction costs at least the larger operand, and leaves at least one entry.
      const sz2 = size[b],
        c2 = cost[b];
      const lower = oms ? c1 + c2 + Math.max(sz1, sz2) + (s === g ? 0 : 1) : Math.max(sz1, sz2);
      if (lower > bound) {
        if (lower < minRejected) minRejected = lower;
        continue;
      }
      const bw = b * W,
        notS = ~s;
      // Shared legs are summed in this contraction (pShared) and vanish from the result when closed (pClosed).
      let pShared = 1,
        pClosed = 1;
      for (let w = 0; w < W; w++) {
        let sh = legs[aw + w] & legs[bw + w],
          closed = 0;
        while (sh !== 0) {
          const low = sh & -sh;
          const k = (w << 5) + 31 - Math.clz32(low);
          const d = dim[k];
          pShared *= d;
          if (open[k] === 0 && (tmask[k] & notS) === 0) {
            pClosed *= d;
            closed |= low;
          }
          sh ^= low;
        }
        closedW[w] = closed;
      }
      const cc = (sz1 * sz2) / pShared;
      if (cc > maxStep) continue;
      const szS = cc / pClosed;
      let total: number, tie: number, f: number;
      if (oms) {
        total = c1 + c2 + cc;
        f = s === g ? total : total + szS;
        const t2 = ties[b];
        tie = Math.max(t1, t2, cc);
      } else {
        total = Math.max(c1, c2, cc);
        f = Math.max(total, szS);
        tie = t1 + ties[b] + cc;
      }
      if (f > bound) {
        if (f < minRejected) minRejected = f;
        continue;
      }
      let id = st.find(s);
      if (id < 0) {
        id = st.add(s);
        legs = st.legs;
        size = st.size;
        cost = st.cost;
        ties = st.tie;
        st.nb[id] = nb1 | st.nb[b];
        size[id] = szS;
        const iw = id * W;
        for (let w = 0; w < W; w++) legs[iw + w] = (legs[aw + w] | legs[bw + w]) & ~closedW[w];
      } else if (st.done[id] === 1 || total > cost[id] || (total === cost[id] && tie >= ties[id])) continue;
      cost[id] = total;
      ties[id] = tie;
      st.left[id] = a;
      st.right[id] = b;
      heap.push(f, total, tie, id);
      if (s === g && total < bound) bound = total; // a complete tree: a tighter bound
    }
    fin.push(a);
    finMask.push(m1);
  }
  return { id: -1, minRejected };
}

function treeOf(st: SubsetStore, id: number): Tree {
  const l = st.left[id];
  if (l < 0) return -1 - l;
  return [treeOf(st, l), treeOf(st, st.right[id])];
}

/**
 * Optimal contraction tree for OMS (Σ of contraction costs) or CMS (max contraction cost), by the capped subset DP.
 * Example: ab,bc,cd,de,ef,fg->ag with sizes 30,35,15,5,10,20,25 (a..g): OMS optimum 15125 multiply-adds.
 */
export function solveDP(net: Network, objective: Objective, opts: DPOptions = {}): DPResult {
  if (net.inputs.length > 32 || opts.wide) {
    if (opts.search === "capped")
      throw new Error(
        `the capped search uses one-word subsets (at most 32 tensors); got ${net.inputs.length}${opts.wide ? " with wide: true" : ""}`,
      );
    return { ...solveDPWide(net, objective, opts), objective };
  }
  const c = compile(net);
  const outer = opts.outer ?? false;
  const maxStep = opts.maxStep ?? Infinity;
  const comps = outer ? [c.n === 32 ? -1 : (1 << c.n) - 1] : components(c);
  const st = new SubsetStore(c.W);
  const stats = { iterations: 0, expanded: 0 };
  const search = opts.search ?? "best-first";
  let store = st;
  const parts = comps.map((g) => {
    let id: number;
    if (search === "capped") id = solveComponent(c, g, objective, outer, opts.cap, maxStep, store, stats);
    else {
      // The cap defaults to the greedy tree's cost, an upper bound, so one best-first pass suffices. A smaller
      // user cap grows by netcon's rule, μ ← max(ξ·μ, least rejected f), until the search succeeds.
      // (the greedy tree may break a maxStep budget, so it bounds nothing then)
      let cap = opts.cap ?? (c.n > 2 && maxStep === Infinity ? greedyCompiled(c, g)[objective] : Infinity);
      const xi = growthFactor(c, g);
      for (;;) {
        store = new SubsetStore(c.W);
        const r = solveBestFirst(c, g, objective, outer, cap, maxStep, store, stats);
        if (r.id >= 0) {
          id = r.id;
          break;
        }
        if (!Number.isFinite(r.minRejected)) throw new Error(NO_TREE);
        cap = Math.max(r.minRejected, cap * xi);
      }
    }
    return { tree: treeOf(store, id), size: store.size[id], cost: store.cost[id] };
  });
  // Components share no summed index: join them by outer products, smallest result first (as opt_einsum does).
  parts.sort((x, y) => x.size - y.size);
  let tree = parts[0].tree;
  for (let k = 1; k < parts.length; k++) tree = [tree, parts[k].tree];
  let cost = parts[0].cost;
  if (parts.length > 1) {
    const tc = treeCost(net, tree);
    cost = objective === "oms" ? tc.oms : tc.cms;
  }
  if (search === "capped") stats.expanded = store.count;
  return { tree, cost, objective, iterations: stats.iterations, subsets: store.count, expanded: stats.expanded };
}
