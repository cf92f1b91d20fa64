/**
 * Range-null space sampler (DDNM / DDNM+, Wang, Yu & Zhang 2023, arXiv 2212.00490), as used at the receiver of
 * Yilmaz et al. (arXiv 2309.15889). At each step of a DDIM-style reverse process (Song, Meng & Ermon 2021),
 *   x0|t = D(x_t)   (the denoiser's clean estimate),
 *   x̂0 = x0|t − λ_t A⁺(A x0|t − y)   (replace the range-space content by the measurement's),
 *   x_{t−1} = √ᾱ_{t−1} x̂0 + noise,
 * where in the null space the noise is σ_{t−1}(η ε + √(1−η²) ε̂_t) (ε̂_t the model's noise estimate) and in the range
 * space, with measurement noise σ_y, DDNM+ shrinks the correction (λ_t < 1) and the fresh noise (γ_t) so that the
 * total range-space noise stays at the schedule's level: with singular value 1/s of A,
 *   σ_{t−1} ≥ √ᾱ_{t−1} σ_y s:  λ_t = 1, γ_t = √(σ_{t−1}² − ᾱ_{t−1} σ_y² s²);   otherwise λ_t = σ_{t−1}√(1−η²) / (√ᾱ_{t−1} σ_y s), γ_t = σ_{t−1} η.
 * With σ_y = 0, λ_t = 1 throughout, so the output satisfies A x̂ = y exactly.
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import type { Rng } from "../rng";
import { poolA, poolPinv } from "./linear";

/** A denoiser: clean estimate E[x | u] of rows u = x + σ ε, given σ². */
export type Denoiser = (u: Float64Array, sigma2: number) => ArrayLike<number>;

export interface DdnmOptions {
  /** Image side and pooling factor s of A. */
  side: number;
  s: number;
  /** Measurement-noise std σ_y in units of A x (0 for a noiseless channel). */
  sigmaY: number;
  steps?: number;
  eta?: number;
  sigmaMax?: number;
  sigmaMin?: number;
  rng: Rng;
}

/** Noise levels (in u = x/√ᾱ units) of the reverse process: geometric from σ_max to σ_min, then 0. */
export function sigmaSchedule(steps: number, sigmaMax: number, sigmaMin: number): number[] {
  return Array.from({ length: steps }, (_, i) => sigmaMax * (sigmaMin / sigmaMax) ** (i / (steps - 1))).concat([0]);
}

/** Runs the range-null sampler on a batch of measurements y (rows of length (side/s)²); returns x̂ (rows of side²). */
export function ddnm(y: ArrayLike<number>, D: Denoiser, o: DdnmOptions): Float64Array {
  const { side, s, sigmaY, rng } = o,
    steps = o.steps ?? 40,
    eta = o.eta ?? 0.85,
    d = side * side,
    k = (side / s) ** 2,
    n = y.length / k;
  const sig = sigmaSchedule(steps, o.sigmaMax ?? 20, o.sigmaMin ?? 0.01),
    abar = sig.map((v) => 1 / (1 + v * v));
  const P = (v: Float64Array) => poolPinv(poolA(v, side, s), side, s); // projector onto the range
  let x = Float64Array.from(rng.normalArray(n * d));
  let x0hat = new Float64Array(n * d);
  for (let i = 0; i < steps; i++) {
    const at = abar[i],
      an = abar[i + 1],
      sqa = Math.sqrt(at);
    const u = x.map((v) => v / sqa);
    const x0 = Float64Array.from(D(u, sig[i] * sig[i]));
    const epsHat = x.map((v, j) => (v - sqa * x0[j]) / Math.sqrt(1 - at));
    const a = Math.sqrt(an),
      sn = Math.sqrt(1 - an);
    let lambda = 1,
      gammaR = sn * eta,
      dR = sn * Math.sqrt(1 - eta * eta);
    if (sigmaY > 0) {
      const thr = a * sigmaY * s;
      if (sn >= thr) {
        lambda = 1;
        gammaR = Math.sqrt(sn * sn - thr * thr);
        dR = 0;
      } else {
        lambda = (sn * Math.sqrt(1 - eta * eta)) / thr;
        gammaR = sn * eta;
        dR = 0;
      }
    }
    const Ax0 = poolA(x0, side, s),
      r = new Float64Array(n * k);
    for (let j = 0; j < n * k; j++) r[j] = Ax0[j] - y[j];
    const corr = poolPinv(r, side, s);
    x0hat = x0.map((v, j) => v - lambda * corr[j]);
    if (i === steps - 1) break;
    const z = Float64Array.from(rng.normalArray(n * d));
    const rangeNoise = P(z.map((v, j) => gammaR * v + dR * epsHat[j]));
    const nullIn = z.map((v, j) => sn * eta * v + sn * Math.sqrt(1 - eta * eta) * epsHat[j]);
    const Pn = P(nullIn);
    x = x0hat.map((v, j) => a * v + rangeNoise[j] + (nullIn[j] - Pn[j]));
  }
  return x0hat;
}
