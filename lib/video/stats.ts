/**
 * Statistics of notebook 08. Do restarts cluster at motion changes? A restart "hits" when a motion change lies
 * within ±w frames of it. Under the null hypothesis that restart frames are uniform over the frames where a
 * restart can occur (t ≥ 2), a restart hits with probability p₀ = (eligible frames within ±w of a change) /
 * (eligible frames); the hit count is then Binomial(n, p₀), whose upper tail is the p-value.
 * Rate–quality curves are compared by their Pareto fronts and the Bjøntegaard delta rate.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

import { binomialUpperTail, summarize } from "../stats";

export interface Clustering {
  restarts: number;
  hits: number;
  hitRate: number;
  chance: number;
  lift: number;
  pValue: number;
}

/** Clustering of restarts around motion changes, pooled over several videos of F frames each. */
export function restartClustering(
  runs: { restarts: number[]; changes: number[]; frames: number }[],
  w = 2,
): Clustering {
  let n = 0,
    hits = 0,
    eligible = 0,
    near = 0;
  for (const r of runs) {
    const close = (t: number) => r.changes.some((c) => Math.abs(c - t) <= w);
    for (let t = 2; t < r.frames; t++) {
      eligible++;
      if (close(t)) near++;
    }
    for (const t of r.restarts) {
      n++;
      if (close(t)) hits++;
    }
  }
  const chance = eligible ? near / eligible : 0,
    hitRate = n ? hits / n : 0;
  return {
    restarts: n,
    hits,
    hitRate,
    chance,
    lift: chance > 0 ? hitRate / chance : NaN,
    pValue: binomialUpperTail(hits, n, chance),
  };
}

/** A rate–quality operating point. */
export interface RatePoint {
  bpp: number;
  quality: number;
  label?: string;
}

/** Upper-left Pareto front of rate–quality points: sorted by bpp, each point better than every cheaper one. */
export function paretoFront(points: RatePoint[]): RatePoint[] {
  const sorted = [...points].sort((a, b) => a.bpp - b.bpp || b.quality - a.quality),
    out: RatePoint[] = [];
  for (const p of sorted) if (!out.length || p.quality > out[out.length - 1].quality) out.push(p);
  return out;
}

/** Bits needed on a front to reach quality Q: linear interpolation of log(bpp) in quality between front points;
 *  NaN outside the front's quality range. */
export function bppAtQuality(front: RatePoint[], Q: number): number {
  for (let i = 0; i + 1 < front.length; i++) {
    const a = front[i],
      b = front[i + 1];
    if (Q >= a.quality && Q <= b.quality) {
      const t = b.quality === a.quality ? 0 : (Q - a.quality) / (b.quality - a.quality);
      return Math.exp(Math.log(a.bpp) + t * (Math.log(b.bpp) - Math.log(a.bpp)));
    }
  }
  return front.length && Q === front[0].quality ? front[0].bpp : NaN;
}

/** The Bjøntegaard delta rate of a test curve against an anchor, and the quality interval it averages over. */
export interface BdRate {
  rate: number;
  from: number;
  to: number;
}

/**
 * Bjøntegaard delta rate (Bjøntegaard 2001, VCEG-M33): the mean bit-rate difference of `test` against `anchor` at
 * equal quality, ΔR = exp( (1/(Q₁−Q₀)) ∫_{Q₀}^{Q₁} [ln R_test(Q) − ln R_anchor(Q)] dQ ) − 1, over the quality
 * interval both Pareto fronts reach. ΔR = −0.5 means the test needs half the bits. ln R(Q) is interpolated
 * piecewise-linearly between front points (as `bppAtQuality`; VCEG-M33 fits a cubic) and integrated by the
 * trapezoid rule on 256 points. NaN (and an empty interval) when the fronts do not overlap.
 */
export function bdRate(anchor: RatePoint[], test: RatePoint[]): BdRate {
  const fa = paretoFront(anchor),
    ft = paretoFront(test);
  if (!fa.length || !ft.length) return { rate: NaN, from: NaN, to: NaN };
  const from = Math.max(fa[0].quality, ft[0].quality),
    to = Math.min(fa[fa.length - 1].quality, ft[ft.length - 1].quality);
  if (!(to > from)) return { rate: NaN, from, to };
  const N = 256,
    d = (Q: number) => Math.log(bppAtQuality(ft, Q)) - Math.log(bppAtQuality(fa, Q));
  let s = 0;
  for (let i = 0; i <= N; i++) s += (i === 0 || i === N ? 0.5 : 1) * d(from + ((to - from) * i) / N);
  return { rate: Math.exp(s / N) - 1, from, to };
}

/** BD-rates of several videos pooled: exp(mean ln(1 + ΔRᵢ)) − 1 (a ratio's mean is taken in logs, as BD-rate itself
 *  is), with the 95% t-interval of that mean mapped back the same way. */
export function pooledBdRate(rates: readonly number[]): { rate: number; ci95: [number, number] } {
  const s = summarize(rates.map((r) => Math.log1p(r)));
  return { rate: Math.expm1(s.mean), ci95: [Math.expm1(s.ci95[0]), Math.expm1(s.ci95[1])] };
}

/** The spread string of pooled BD-rates: the per-video values and the interval of the pooled value. */
export function bdSpreadText(rates: readonly number[], f: (x: number) => string): string {
  const p = pooledBdRate(rates);
  return `per video ${rates.map((r) => f(r)).join(", ")}; pooled 95% CI ${f(p.ci95[0])}…${f(p.ci95[1])} (t on ln(1 + ΔR), n = ${rates.length})`;
}
