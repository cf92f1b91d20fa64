/**
 * Distortion and a perception proxy. PSNR per image (values clipped to [0,1]) averaged over images; sliced
 * Wasserstein distance (Rabin, Peyré, Delon & Bernot 2011; Bonneel et al. 2015) between two equal-size image sets:
 * SW₂ = (E_θ W₂²(θᵀX, θᵀY))^{1/2} over L seeded random unit directions θ, each 1-D W₂ from sorted projections.
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import type { Rng } from "../rng";

/**
 * Mean over images of 10 log10(1/MSE) (peak 1), after clipping the reconstruction to [0, 1]; `clip: false` for data
 * not confined to [0, 1] (draws from a fitted Gaussian mixture), where clipping would favour no decoder fairly.
 */
export function meanPsnr(
  x: ArrayLike<number>,
  xhat: ArrayLike<number>,
  d: number,
  opts: { clip?: boolean } = {},
): number {
  const n = x.length / d,
    clip = opts.clip ?? true;
  let s = 0;
  for (let r = 0; r < n; r++) {
    let m = 0;
    for (let i = 0; i < d; i++) {
      const e = xhat[r * d + i],
        v = (clip ? Math.min(1, Math.max(0, e)) : e) - x[r * d + i];
      m += v * v;
    }
    s += 10 * Math.log10(d / Math.max(m, 1e-12));
  }
  return s / n;
}

/** Sliced 2-Wasserstein distance between two sets of n rows of dimension d (reconstructions clipped to [0,1]). */
export function slicedWasserstein(a: ArrayLike<number>, b: ArrayLike<number>, d: number, L: number, rng: Rng): number {
  const n = a.length / d;
  if (b.length / d !== n) throw new Error("sliced Wasserstein needs equal set sizes");
  const pa = new Float64Array(n),
    pb = new Float64Array(n);
  let total = 0;
  for (let l = 0; l < L; l++) {
    const th = rng.normalArray(d);
    let nn = 0;
    for (const v of th) nn += v * v;
    nn = Math.sqrt(nn);
    for (let r = 0; r < n; r++) {
      let sa = 0,
        sb = 0;
      for (let i = 0; i < d; i++) {
        sa += th[i] * Math.min(1, Math.max(0, a[r * d + i]));
        sb += th[i] * Math.min(1, Math.max(0, b[r * d + i]));
      }
      pa[r] = sa / nn;
      pb[r] = sb / nn;
    }
    pa.sort();
    pb.sort();
    let w = 0;
    for (let r = 0; r < n; r++) w += (pa[r] - pb[r]) ** 2;
    total += w / n;
  }
  return Math.sqrt(total / L);
}
