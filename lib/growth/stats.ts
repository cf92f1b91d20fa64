/**
 * Statistics for comparing small and grown networks: per-neuron weight statistics, the two-sample
 * Kolmogorov–Smirnov test, and log–log slope fits.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { MeanFieldMLP } from "./mlp";

/** Kolmogorov distribution tail Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²) (Kolmogorov 1933). */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    s += t;
    if (Math.abs(t) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, s));
}

/**
 * Two-sample KS test: D = sup_x |F_a(x) − F_b(x)|, p ≈ Q((√n_e + 0.12 + 0.11/√n_e) D) with n_e = n m /(n + m)
 * (Stephens 1970 correction, as in Numerical Recipes §14.3).
 */
export function ks2(a: ArrayLike<number>, b: ArrayLike<number>): { D: number; p: number } {
  const x = Float64Array.from(a as ArrayLike<number>).sort(), y = Float64Array.from(b as ArrayLike<number>).sort();
  const n = x.length, m = y.length;
  let i = 0, j = 0, D = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
    D = Math.max(D, Math.abs(i / n - j / m));
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return { D, p: kolmogorovQ((ne + 0.12 + 0.11 / ne) * D) };
}

/**
 * Per-neuron statistics of hidden layer l (1-based, as in h^l): the RMS of the neuron's incoming row of W^{l−1}
 * and the mean of its outgoing column of W^l. Under the RC ansatz both are functions of the neuron's label.
 */
export function neuronStats(net: MeanFieldMLP, l: number): { rowRms: Float64Array; colMean: Float64Array } {
  const N = net.sizes[l], din = net.sizes[l - 1], dout = net.sizes[l + 1];
  const Win = net.W[l - 1], Wout = net.W[l];
  const rowRms = new Float64Array(N), colMean = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    let s = 0;
    for (let j = 0; j < din; j++) s += Win[a * din + j] ** 2;
    rowRms[a] = Math.sqrt(s / din);
    let t = 0;
    for (let i = 0; i < dout; i++) t += Wout[i * N + a];
    colMean[a] = t / dout;
  }
  return { rowRms, colMean };
}

/** Least-squares fit log y = c + k log x; returns the slope k, its standard error and R². */
export function logLogSlope(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; se: number; r2: number } {
  const lx = x.map(Math.log), ly = y.map(Math.log), n = lx.length;
  const mx = lx.reduce((a, b) => a + b) / n, my = ly.reduce((a, b) => a + b) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxx += (lx[i] - mx) ** 2; sxy += (lx[i] - mx) * (ly[i] - my); syy += (ly[i] - my) ** 2; }
  const slope = sxy / sxx, intercept = my - slope * mx;
  const rss = Math.max(0, syy - slope * sxy);
  return { slope, intercept, se: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN, r2: syy > 0 ? 1 - rss / syy : 1 };
}
