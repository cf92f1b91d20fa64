/**
 * Frame-synchronised traffic, the model of this notebook's first revision and the control of its 1/e finding: at
 * the start of every frame of D slots each station holds one new packet with probability λ, and every packet
 * expires at the frame's end. Static ALOHA is solved exactly by a forward recursion over the number of backlogged
 * stations. With D = N and λ = 1 its optimum tends to ≈ 0.3648, not 1/e: the deadline grows with N, so the
 * backlog drains within a frame and one fixed p cannot follow it.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import { goldenMax } from "./meanfield";
import type { AccessSystem } from "./system";

/** Binomial(n, λ) probability mass function as a Float64Array of length n + 1 (log space for large n). */
export function binomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p <= 0) {
    out[0] = 1;
    return out;
  }
  if (p >= 1) {
    out[n] = 1;
    return out;
  }
  let logC = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log((n - k + 1) / k);
    out[k] = Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return out;
}

/**
 * Exact timely throughput of static ALOHA with frame-synchronised traffic: the law of the backlog n starts as
 * Binomial(N, λ); each slot succeeds with P(n) = n p (1 − p)^{n−1}, after which n → n − 1. Packets per slot.
 */
export function frameThroughput(sys: AccessSystem, p: number): number {
  const { N } = sys,
    succ = new Float64Array(N + 1);
  for (let n = 1, pow = 1; n <= N; n++, pow *= 1 - p) succ[n] = n * p * pow;
  let dist = binomialPmf(N, sys.lambda),
    next: Float64Array = new Float64Array(N + 1),
    delivered = 0;
  // the backlog only moves down, one step per slot: track the support [lo, hi] where the mass is not negligible
  let lo = 0,
    hi = N;
  while (hi > 0 && dist[hi] < 1e-300) hi--;
  while (lo < hi && dist[lo] < 1e-300) lo++;
  for (let t = 0; t < sys.D; t++) {
    const from = Math.max(0, lo - 1);
    next.fill(0, from, hi + 1);
    for (let n = lo; n <= hi; n++) {
      const w = dist[n];
      if (n === 0) {
        next[0] += w;
        continue;
      }
      const s = succ[n] * w;
      delivered += s;
      next[n - 1] += s;
      next[n] += w - s;
    }
    [dist, next] = [next, dist];
    lo = from;
    while (lo < hi && dist[lo] < 1e-300) lo++;
    while (hi > lo && dist[hi] < 1e-300) hi--;
  }
  return delivered / sys.D;
}

/** The static optimum of frameThroughput, by golden section over ln p on [ln(0.01/N), 0] (valid for any N). */
export function optimalFrameStaticP(sys: AccessSystem): { p: number; throughput: number } {
  const best = goldenMax((u) => frameThroughput(sys, Math.exp(u)), Math.log(0.01 / sys.N), 0, 48);
  return { p: Math.exp(best.x), throughput: best.value };
}
