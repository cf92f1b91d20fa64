/**
 * Do restarts cluster at motion changes? A restart "hits" when a motion change lies within ±w frames of it.
 * Under the null hypothesis that restart frames are uniform over the frames where a restart can occur (t ≥ 2),
 * a restart hits with probability p₀ = (eligible frames within ±w of a change) / (eligible frames); the hit count
 * is then Binomial(n, p₀), whose upper tail is the p-value.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

import { binomialUpperTail } from "../stats";

export { binomialUpperTail };

export interface Clustering { restarts: number; hits: number; hitRate: number; chance: number; lift: number; pValue: number }

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

/** A rate–quality operating point. */
export interface RatePoint { bpp: number; quality: number; label?: string }

/** Upper-left Pareto front of rate–quality points: sorted by bpp, each point better than every cheaper one. */
export function paretoFront(points: RatePoint[]): RatePoint[] {
  const sorted = [...points].sort((a, b) => a.bpp - b.bpp || b.quality - a.quality), out: RatePoint[] = [];
  for (const p of sorted) if (!out.length || p.quality > out[out.length - 1].quality) out.push(p);
  return out;
}

/** Bits needed on a front to reach quality Q: linear interpolation of log(bpp) in quality between front points;
 *  NaN outside the front's quality range. */
export function bppAtQuality(front: RatePoint[], Q: number): number {
  for (let i = 0; i + 1 < front.length; i++) {
    const a = front[i], b = front[i + 1];
    if (Q >= a.quality && Q <= b.quality) {
      const t = b.quality === a.quality ? 0 : (Q - a.quality) / (b.quality - a.quality);
      return Math.exp(Math.log(a.bpp) + t * (Math.log(b.bpp) - Math.log(a.bpp)));
    }
  }
  return front.length && Q === front[0].quality ? front[0].bpp : NaN;
}
