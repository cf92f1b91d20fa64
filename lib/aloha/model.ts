/**
 * Delay-constrained slotted random access (Deng, Wu, Deng, Chen & Han, "The Story of 1/e", arXiv 2206.09779),
 * as reconstructed for Folio: N stations, frame-synchronised traffic (at the start of every frame of D slots each
 * station holds a new packet with probability λ), hard deadline at the frame's end, collision channel (a slot
 * delivers a packet iff exactly one station transmits). Timely throughput = packets delivered in time per slot.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */

/** System parameters: N stations, frame (= deadline) of D slots, per-frame arrival probability λ. */
export interface AccessSystem { N: number; D: number; lambda: number }

/** Binomial(n, λ) probability mass function as a Float64Array of length n + 1 (log-space for large n). */
export function binomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p <= 0) { out[0] = 1; return out; }
  if (p >= 1) { out[n] = 1; return out; }
  let logC = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log((n - k + 1) / k);
    out[k] = Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return out;
}

/**
 * Exact expected timely throughput when, in slot t of a frame, every backlogged station transmits with
 * probability p(t, n) (n = stations still holding a packet): forward recursion over the distribution of n,
 * P(success | n) = n p (1 − p)^{n−1}, n → n − 1 on success. Returns delivered packets per slot.
 */
export function throughputExact(sys: AccessSystem, p: (t: number, n: number) => number): number {
  let dist = binomialPmf(sys.N, sys.lambda);
  let delivered = 0;
  for (let t = 0; t < sys.D; t++) {
    const next = new Float64Array(sys.N + 1);
    for (let n = 0; n <= sys.N; n++) {
      const w = dist[n];
      if (w < 1e-300) continue;
      if (n === 0) { next[0] += w; continue; }
      const q = p(t, n);
      const s = n * q * Math.pow(1 - q, n - 1);
      delivered += w * s;
      next[n - 1] += w * s;
      next[n] += w * (1 - s);
    }
    dist = next;
  }
  return delivered / sys.D;
}

/** Golden-section maximisation of a unimodal function on [lo, hi]. */
export function goldenMax(f: (x: number) => number, lo: number, hi: number, iters = 60): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi, c = b - r * (b - a), d = a + r * (b - a), fc = f(c), fd = f(d);
  for (let i = 0; i < iters; i++) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - r * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + r * (b - a); fd = f(d); }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/** The three ALOHA-based schemes: one fixed p; a p per slot of the frame; p = 1/n with n known. */
export type AlohaScheme = "static" | "slotted-schedule" | "count-aware";

/** Scheme 1 (static ALOHA): the single p maximising the exact timely throughput, found by golden section. */
export function optimalStaticP(sys: AccessSystem): { p: number; throughput: number } {
  const best = goldenMax((p) => throughputExact(sys, () => p), 1e-6, 1);
  return { p: best.x, throughput: best.value };
}

/**
 * Scheme 2 (frame-slot ALOHA): p_t depends only on the slot index t. Chosen greedily slot by slot to
 * maximise that slot's success probability E_n[n p (1−p)^{n−1}] under the exact distribution of n at t
 * (a reconstruction: the paper optimises the same family; greedy is optimal for the last slot and near it elsewhere).
 */
export function optimalSlotSchedule(sys: AccessSystem): { p: Float64Array; throughput: number } {
  const p = new Float64Array(sys.D);
  let dist = binomialPmf(sys.N, sys.lambda);
  let delivered = 0;
  for (let t = 0; t < sys.D; t++) {
    const d = dist;
    const succ = (q: number) => { let s = 0; for (let n = 1; n <= sys.N; n++) if (d[n] > 1e-300) s += d[n] * n * q * Math.pow(1 - q, n - 1); return s; };
    const best = goldenMax(succ, 1e-6, 1, 50);
    p[t] = best.x;
    delivered += best.value;
    const next = new Float64Array(sys.N + 1);
    for (let n = 0; n <= sys.N; n++) {
      if (n === 0) { next[0] += d[0]; continue; }
      const s = n * p[t] * Math.pow(1 - p[t], n - 1);
      next[n - 1] += d[n] * s; next[n] += d[n] * (1 - s);
    }
    dist = next;
  }
  return { p, throughput: delivered / sys.D };
}

/**
 * Scheme 3 (count-aware ALOHA): with n backlogged stations known (from the AP's broadcast of successes and
 * the arrivals at frame start), p = 1/n maximises each slot's success probability (1 − 1/n)^{n−1}.
 * With λ < 1 stations do not know n at frame start; this genie version is then an upper bound of the family.
 */
export function countAwareThroughput(sys: AccessSystem): number {
  return throughputExact(sys, (_, n) => 1 / n);
}

/** The classical limit of ALOHA-type access: lim (1 − 1/n)^{n−1} = 1/e. */
export const ONE_OVER_E = 1 / Math.E;
