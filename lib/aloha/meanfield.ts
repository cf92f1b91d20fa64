/**
 * Static ALOHA in the delay-constrained system (system.ts), solved in the mean-field (decoupling) approximation:
 * every backlogged station sends its most urgent packet with the same probability p in every slot, and a tagged
 * station sees the other N − 1 as independent, each backlogged with probability a. Exact as N → ∞; the notebook
 * checks it against the station-level simulator at finite N.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import { checkSystem, saturatedBusy, type AccessSystem } from "./system";

/**
 * Stationary law of one station's head-of-line chain when each slot it delivers its most urgent packet with
 * probability μ. State 0 = empty, r = 1..D = remaining life of the most urgent packet. Because packets are served
 * and expire oldest first, the live packets younger than the head are i.i.d. Bernoulli(λ) per slot of age, so
 * (with q = 1 − λ)
 *   r → r − 1 (1 − μ, r ≥ 2);  r → j ∈ [r, D] with μλq^{j−r}, → 0 with μq^{D−r+1} (delivered);
 *   1 → j ∈ [1, D] with (1 − μ)λq^{j−1}, → 0 with (1 − μ)q^D (expired);  0 → D with λ, 0 → 0 with q.
 * Solved by Gaussian elimination (partial pivoting) on πP = π, Σπ = 1. Returns π of length D + 1.
 */
export function headOfLineStationary(D: number, lambda: number, mu: number): Float64Array {
  const n = D + 1,
    q = 1 - lambda;
  const P = new Float64Array(n * n); // P[from * n + to]
  P[0 * n + D] += lambda;
  P[0] += q;
  for (let r = 1; r <= D; r++) {
    for (let j = r; j <= D; j++) P[r * n + j] += mu * lambda * q ** (j - r);
    P[r * n] += mu * q ** (D - r + 1);
    if (r >= 2) P[r * n + r - 1] += 1 - mu;
    else {
      for (let j = 1; j <= D; j++) P[r * n + j] += (1 - mu) * lambda * q ** (j - 1);
      P[r * n] += (1 - mu) * q ** D;
    }
  }
  // A π = b with A = Pᵀ − I, its last row replaced by the normalisation Σπ = 1
  const A = new Float64Array(n * n),
    b = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = P[j * n + i] - (i === j ? 1 : 0);
  for (let j = 0; j < n; j++) A[(n - 1) * n + j] = 1;
  b[n - 1] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i * n + c]) > Math.abs(A[piv * n + c])) piv = i;
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        const t = A[c * n + j];
        A[c * n + j] = A[piv * n + j];
        A[piv * n + j] = t;
      }
      const t = b[c];
      b[c] = b[piv];
      b[piv] = t;
    }
    const d = A[c * n + c];
    for (let i = c + 1; i < n; i++) {
      const f = A[i * n + c] / d;
      if (f === 0) continue;
      for (let j = c; j < n; j++) A[i * n + j] -= f * A[c * n + j];
      b[i] -= f * b[c];
    }
  }
  const pi = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * pi[j];
    pi[i] = Math.max(0, s / A[i * n + i]);
  }
  return pi;
}

/** Mean-field solution of static ALOHA: busy fraction a, per-attempt success (1 − pa)^{N−1}, system throughput. */
export interface MeanField {
  p: number;
  busy: number;
  success: number;
  throughput: number;
}

/**
 * Static ALOHA throughput in the mean-field approximation: the fixed point a = 1 − π₀(μ), μ = p(1 − pa)^{N−1},
 * found by bisection (the right side increases with a), and T = N·μ·a delivered packets per slot. Microseconds to
 * milliseconds for D ≤ 100, so a slider can call it. As N → ∞ with pNa₀ = c it tends to c e^{−c}, whose maximum
 * over c is 1/e (a₀ = saturatedBusy).
 */
export function staticAlohaThroughput(sys: AccessSystem, p: number): MeanField {
  checkSystem(sys);
  if (!(p >= 0 && p <= 1)) throw new Error(`aloha: transmission probability p must lie in [0, 1], got ${p}`);
  const { N, D, lambda } = sys;
  const F = (a: number) => {
    const mu = p * (1 - p * a) ** (N - 1);
    return 1 - headOfLineStationary(D, lambda, mu)[0];
  };
  let lo = 0,
    hi = Math.min(1, saturatedBusy(D, lambda) + 1e-12);
  for (let i = 0; i < 60 && hi - lo > 1e-13; i++) {
    const m = (lo + hi) / 2;
    if (F(m) > m) lo = m;
    else hi = m;
  }
  const a = (lo + hi) / 2,
    success = (1 - p * a) ** (N - 1);
  return { p, busy: a, success, throughput: N * p * success * a };
}

/** Golden-section maximisation of a unimodal function on [lo, hi]. */
export function goldenMax(f: (x: number) => number, lo: number, hi: number, iters = 60): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo,
    b = hi,
    c = b - r * (b - a),
    d = a + r * (b - a),
    fc = f(c),
    fd = f(d);
  for (let i = 0; i < iters; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/**
 * The static ALOHA optimum p* = argmax_p T(p) in the mean-field approximation, by golden section over ln p on
 * [ln(0.01/N), 0]: searching in log space keeps both probes where T is not negligible for any N (a linear search
 * on [0, 1] sees T underflow to 0 at both probes once N is in the thousands).
 */
export function optimalStaticP(sys: AccessSystem): MeanField {
  const best = goldenMax((u) => staticAlohaThroughput(sys, Math.exp(u)).throughput, Math.log(0.01 / sys.N), 0, 48);
  return staticAlohaThroughput(sys, Math.exp(best.x));
}
