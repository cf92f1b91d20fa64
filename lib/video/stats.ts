/**
 * Do restarts cluster at motion changes? A restart "hits" when a motion change lies within ±w frames of it.
 * Under the null hypothesis that restart frames are uniform over the frames where a restart can occur (t ≥ 2),
 * a restart hits with probability p₀ = (eligible frames within ±w of a change) / (eligible frames); the hit count
 * is then Binomial(n, p₀), whose upper tail is the p-value.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

export interface Clustering { restarts: number; hits: number; hitRate: number; chance: number; lift: number; pValue: number }

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let s = 0, logC = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logC += Math.log((n - j + 1) / j);
    if (j >= k) s += Math.exp(logC + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return Math.min(1, s);
}

/** Clustering of restarts around motion changes, pooled over several videos of F frames each. */
export function restartClustering(runs: { restarts: number[]; changes: number[]; frames: number }[], w = 2): Clustering {
  let n = 0, hits = 0, eligible = 0, near = 0;
  for (const r of runs) {
    const close = (t: number) => r.changes.some((c) => Math.abs(c - t) <= w);
    for (let t = 2; t < r.frames; t++) { eligible++; if (close(t)) near++; }
    for (const t of r.restarts) { n++; if (close(t)) hits++; }
  }
  const chance = eligible ? near / eligible : 0, hitRate = n ? hits / n : 0;
  return { restarts: n, hits, hitRate, chance, lift: chance > 0 ? hitRate / chance : NaN, pValue: binomialUpperTail(hits, n, chance) };
}
