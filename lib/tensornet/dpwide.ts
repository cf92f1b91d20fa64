/**
 * The best-first exact DP of dp.ts for networks of 33 to 64 tensors: a subset is a pair of 32-bit words (lo, hi)
 * instead of one int (no BigInt, which would allocate in the inner loop). Exact search this wide only finishes on
 * sparse networks (chains, ladders, trees, narrow grids), whose connected subsets are few.
 * Pfeifer, Haegeman & Verstraete 2014 (netcon, arXiv 1304.6112); Knuth 1977 for the best-first order.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import { grown } from "./arrays";
import { greedyTree } from "./greedy";
import type { Network } from "./network";
import { treeCost, type Tree } from "./tree";

/** Largest network the two-word DP accepts. */
export const DP_WIDE_MAX_TENSORS = 64;

interface Wide {
  n: number;
  W: number;
  legs: Int32Array;
  size: Float64Array;
  nbrLo: Int32Array;
  nbrHi: Int32Array;
  tLo: Int32Array;
  tHi: Int32Array;
  open: Uint8Array;
  dim: Float64Array;
}

const bitLo = (i: number) => (i < 32 ? 1 << i : 0);
const bitHi = (i: number) => (i >= 32 ? 1 << (i - 32) : 0);

function compileWide(net: Network): Wide {
  const n = net.inputs.length;
  if (n > DP_WIDE_MAX_TENSORS)
    throw new Error(`the exact DP handles at most ${DP_WIDE_MAX_TENSORS} tensors (two-word subset masks); got ${n}`);
  const out = new Set(net.output);
  const uses = new Map<string, number>();
  for (const op of net.inputs) for (const e of op) uses.set(e, (uses.get(e) ?? 0) + 1);
  const edgeId = new Map<string, number>();
  for (const op of net.inputs)
    for (const e of op) if (!edgeId.has(e) && uses.get(e)! + (out.has(e) ? 1 : 0) > 1) edgeId.set(e, edgeId.size);
  const E = edgeId.size,
    W = Math.max(1, Math.ceil(E / 32));
  const tLo = new Int32Array(W * 32),
    tHi = new Int32Array(W * 32),
    open = new Uint8Array(W * 32),
    dim = new Float64Array(W * 32).fill(1);
  const legs = new Int32Array(n * W),
    size = new Float64Array(n).fill(1),
    nbrLo = new Int32Array(n),
    nbrHi = new Int32Array(n);
  net.inputs.forEach((op, i) => {
    for (const e of op) {
      const k = edgeId.get(e);
      if (k === undefined) continue;
      legs[i * W + (k >> 5)] |= 1 << (k & 31);
      tLo[k] |= bitLo(i);
      tHi[k] |= bitHi(i);
      size[i] *= net.size[e];
    }
  });
  for (const [e, k] of edgeId) {
    open[k] = out.has(e) ? 1 : 0;
    dim[k] = net.size[e];
  }
  for (let k = 0; k < E; k++)
    if (!open[k])
      for (let i = 0; i < n; i++)
        if ((tLo[k] & bitLo(i)) | (tHi[k] & bitHi(i))) {
          nbrLo[i] |= tLo[k] & ~bitLo(i);
          nbrHi[i] |= tHi[k] & ~bitHi(i);
        }
  return { n, W, legs, size, nbrLo, nbrHi, tLo, tHi, open, dim };
}

/** Tensor indices of a two-word mask. */
function members(lo: number, hi: number): number[] {
  const r: number[] = [];
  for (let x = lo; x !== 0; x &= x - 1) r.push(31 - Math.clz32(x & -x));
  for (let x = hi; x !== 0; x &= x - 1) r.push(32 + 31 - Math.clz32(x & -x));
  return r;
}

function componentsWide(c: Wide, outer: boolean): [number, number][] {
  let leftLo = c.n >= 32 ? -1 : (1 << c.n) - 1,
    leftHi = c.n <= 32 ? 0 : c.n === 64 ? -1 : (1 << (c.n - 32)) - 1;
  if (outer) return [[leftLo, leftHi]];
  const comps: [number, number][] = [];
  while ((leftLo | leftHi) !== 0) {
    let lo = leftLo & -leftLo,
      hi = lo !== 0 ? 0 : leftHi & -leftHi;
    let fLo = lo,
      fHi = hi;
    while ((fLo | fHi) !== 0) {
      let i: number;
      if (fLo !== 0) {
        i = 31 - Math.clz32(fLo & -fLo);
        fLo &= fLo - 1;
      } else {
        i = 32 + 31 - Math.clz32(fHi & -fHi);
        fHi &= fHi - 1;
      }
      const aLo = c.nbrLo[i] & ~lo,
        aHi = c.nbrHi[i] & ~hi;
      lo |= aLo;
      hi |= aHi;
      fLo |= aLo;
      fHi |= aHi;
    }
    comps.push([lo, hi]);
    leftLo &= ~lo;
    leftHi &= ~hi;
  }
  return comps;
}

/** Struct-of-arrays store of two-word subsets with an open-addressing index keyed on (lo, hi). */
class WideStore {
  cap = 0;
  count = 0;
  lo = new Int32Array(0);
  hi = new Int32Array(0);
  nbLo = new Int32Array(0);
  nbHi = new Int32Array(0);
  left = new Int32Array(0);
  right = new Int32Array(0);
  legs = new Int32Array(0);
  done = new Uint8Array(0);
  size = new Float64Array(0);
  cost = new Float64Array(0);
  tie = new Float64Array(0);
  private kLo = new Int32Array(0);
  private kHi = new Int32Array(0);
  private vals = new Int32Array(0);
  private shift = 32;
  constructor(readonly W: number) {
    this.grow(1 << 12);
  }
  private grow(cap: number): void {
    this.lo = grown(this.lo, cap);
    this.hi = grown(this.hi, cap);
    this.nbLo = grown(this.nbLo, cap);
    this.nbHi = grown(this.nbHi, cap);
    this.left = grown(this.left, cap);
    this.right = grown(this.right, cap);
    this.legs = grown(this.legs, cap * this.W);
    this.done = grown(this.done, cap);
    this.size = grown(this.size, cap);
    this.cost = grown(this.cost, cap);
    this.tie = grown(this.tie, cap);
    this.cap = cap;
    const hcap = cap * 2;
    this.kLo = new Int32Array(hcap);
    this.kHi = new Int32Array(hcap);
    this.vals = new Int32Array(hcap);
    this.shift = 32 - Math.log2(hcap);
    for (let id = 0; id < this.count; id++) this.insert(this.lo[id], this.hi[id], id);
  }
  private slot(lo: number, hi: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }
  private insert(lo: number, hi: number, id: number): void {
    const m = this.kLo.length - 1;
    let h = this.slot(lo, hi);
    while ((this.kLo[h] | this.kHi[h]) !== 0) h = (h + 1) & m;
    this.kLo[h] = lo;
    this.kHi[h] = hi;
    this.vals[h] = id;
  }
  find(lo: number, hi: number): number {
    const m = this.kLo.length - 1;
    for (let h = this.slot(lo, hi); ; h = (h + 1) & m) {
      const a = this.kLo[h],
        b = this.kHi[h];
      if (a === lo && b === hi) return this.vals[h];
      if ((a | b) === 0) return -1;
    }
  }
  add(lo: number, hi: number): number {
    if (this.count === this.cap) this.grow(this.cap * 2);
    const id = this.count++;
    this.lo[id] = lo;
    this.hi[id] = hi;
    this.insert(lo, hi, id);
    return id;
  }
}

/** Binary min-heap of (f, cost, tie, id), lexicographic, in plain arrays (pushes are rare next to pair checks). */
class Heap {
  private items: [number, number, number, number][] = [];
  get length(): number {
    return this.items.length;
  }
  private less(a: [number, number, number, number], b: [number, number, number, number]): boolean {
    return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  }
  push(x: [number, number, number, number]): void {
    const h = this.items;
    h.push(x);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): [number, number, number, number] {
    const h = this.items,
      top = h[0],
      last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function solveWideComponent(
  c: Wide,
  gLo: number,
  gHi: number,
  oms: boolean,
  outer: boolean,
  cap: number,
  maxStep: number,
  st: WideStore,
): { id: number; minRejected: number; expanded: number } {
  const W = c.W,
    dim = c.dim,
    open = c.open,
    tLo = c.tLo,
    tHi = c.tHi;
  const heap = new Heap();
  for (const i of members(gLo, gHi)) {
    const id = st.add(bitLo(i), bitHi(i));
    st.nbLo[id] = c.nbrLo[i];
    st.nbHi[id] = c.nbrHi[i];
    st.size[id] = c.size[i];
    st.cost[id] = 0;
    st.tie[id] = 0;
    st.left[id] = -1 - i;
    st.right[id] = -1;
    for (let w = 0; w < W; w++) st.legs[id * W + w] = c.legs[i * W + w];
    heap.push([c.size[i], 0, 0, id]);
  }
  let finLo = new Int32Array(1024),
    finHi = new Int32Array(1024),
    finId = new Int32Array(1024),
    F = 0;
  const closedW = new Int32Array(W);
  let minRejected = Infinity,
    bound = cap,
    expanded = 0;
  while (heap.length > 0) {
    const [, hc, ht, a] = heap.pop();
    if (st.done[a] === 1 || hc !== st.cost[a] || ht !== st.tie[a]) continue;
    st.done[a] = 1;
    expanded++;
    const lo1 = st.lo[a],
      hi1 = st.hi[a];
    if (lo1 === gLo && hi1 === gHi) return { id: a, minRejected, expanded };
    const nbLo1 = st.nbLo[a],
      nbHi1 = st.nbHi[a],
      c1 = st.cost[a],
      t1 = st.tie[a],
      sz1 = st.size[a],
      aw = a * W;
    for (let j = 0; j < F; j++) {
      const lo2 = finLo[j],
        hi2 = finHi[j];
      if (((lo1 & lo2) | (hi1 & hi2)) !== 0) continue;
      if (!outer && ((nbLo1 & lo2) | (nbHi1 & hi2)) === 0) continue;
      const b = finId[j],
        sz2 = st.size[b],
        c2 = st.cost[b];
      const sLo = lo1 | lo2,
        sHi = hi1 | hi2,
        isG = sLo === gLo && sHi === gHi;
      const lower = oms ? c1 + c2 + Math.max(sz1, sz2) + (isG ? 0 : 1) : Math.max(sz1, sz2);
      if (lower > bound) {
        if (lower < minRejected) minRejected = lower;
        continue;
      }
      const bw = b * W;
      let pShared = 1,
        pClosed = 1;
      for (let w = 0; w < W; w++) {
        let sh = st.legs[aw + w] & st.legs[bw + w],
          closed = 0;
        while (sh !== 0) {
          const low = sh & -sh,
            k = (w << 5) + 31 - Math.clz32(low),
            d = dim[k];
          pShared *= d;
          if (open[k] === 0 && ((tLo[k] & ~sLo) | (tHi[k] & ~sHi)) === 0) {
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
        f = isG ? total : total + szS;
        const t2 = st.tie[b];
        tie = Math.max(t1, t2, cc);
      } else {
        total = Math.max(c1, c2, cc);
        f = Math.max(total, szS);
        tie = t1 + st.tie[b] + cc;
      }
      if (f > bound) {
        if (f < minRejected) minRejected = f;
        continue;
      }
      let id = st.find(sLo, sHi);
      if (id < 0) {
        id = st.add(sLo, sHi);
        st.nbLo[id] = nbLo1 | st.nbLo[b];
        st.nbHi[id] = nbHi1 | st.nbHi[b];
        st.size[id] = szS;
        for (let w = 0; w < W; w++) st.legs[id * W + w] = (st.legs[aw + w] | st.legs[bw + w]) & ~closedW[w];
      } else if (st.done[id] === 1 || total > st.cost[id] || (total === st.cost[id] && tie >= st.tie[id])) continue;
      st.cost[id] = total;
      st.tie[id] = tie;
      st.left[id] = a;
      st.right[id] = b;
      heap.push([f, total, tie, id]);
      if (isG && total < bound) bound = total;
    }
    if (F === finLo.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      finLo = grow(finLo);
      finHi = grow(finHi);
      finId = grow(finId);
    }
    finLo[F] = lo1;
    finHi[F] = hi1;
    finId[F] = a;
    F++;
  }
  return { id: -1, minRejected, expanded };
}

function treeOf(st: WideStore, id: number): Tree {
  const l = st.left[id];
  return l < 0 ? -1 - l : [treeOf(st, l), treeOf(st, st.right[id])];
}

/**
 * Exact OMS or CMS tree for up to 64 tensors (two-word subsets), best-first with the greedy tree's cost as the
 * starting cap and netcon's growth rule when a given cap is too small. Same options and result as solveDP.
 */
export function solveDPWide(
  net: Network,
  objective: "oms" | "cms",
  opts: { outer?: boolean; cap?: number; maxStep?: number } = {},
): { tree: Tree; cost: number; iterations: number; subsets: number; expanded: number } {
  const c = compileWide(net);
  const outer = opts.outer ?? false,
    maxStep = opts.maxStep ?? Infinity;
  let minDim = Infinity;
  for (let k = 0; k < c.W * 32; k++) if (c.tLo[k] | c.tHi[k]) minDim = Math.min(minDim, c.dim[k]);
  const xi = Math.max(Number.isFinite(minDim) ? minDim : 2, 2);
  let iterations = 0,
    expanded = 0,
    subsets = 0;
  const parts = componentsWide(c, outer).map(([gLo, gHi]) => {
    const ids = members(gLo, gHi);
    let cap = opts.cap ?? Infinity;
    if (opts.cap === undefined && maxStep === Infinity && ids.length > 2) {
      // the greedy tree on this component, keeping the indices it shares with the rest (or the output) open
      const inside = new Set(ids.flatMap((i) => net.inputs[i]));
      const outsideIdx = new Set([...net.output, ...net.inputs.filter((_, i) => !ids.includes(i)).flat()]);
      const sub: Network = {
        inputs: ids.map((i) => net.inputs[i]),
        output: [...inside].filter((e) => outsideIdx.has(e)),
        size: net.size,
      };
      cap = treeCost(sub, greedyTree(sub))[objective];
    }
    for (;;) {
      const st = new WideStore(c.W);
      iterations++;
      const r = solveWideComponent(c, gLo, gHi, objective === "oms", outer, cap, maxStep, st);
      expanded += r.expanded;
      if (r.id >= 0) {
        subsets += st.count;
        return { tree: treeOf(st, r.id), size: st.size[r.id], cost: st.cost[r.id] };
      }
      if (!Number.isFinite(r.minRejected))
        throw new Error(
          "DP: no contraction tree meets the constraints (a maxStep budget below the CMS optimum, or a network that needs outer products: pass { outer: true })",
        );
      cap = Math.max(r.minRejected, cap * xi);
    }
  });
  parts.sort((x, y) => x.size - y.size);
  let tree = parts[0].tree;
  for (let k = 1; k < parts.length; k++) tree = [tree, parts[k].tree];
  const cost = parts.length > 1 ? treeCost(net, tree)[objective] : parts[0].cost;
  return { tree, cost, iterations, subsets, expanded };
}
