/**
 * The experiment of notebook 11, over seeds: the linear scheme (pooling + power normalisation, uncoded over AWGN)
 * decoded by A⁺y, LMMSE, the exact GMM posterior mean and the range-null sampler (DDNM+); the paper's scheme, where
 * a trained DeepJSCC delivers the range space A x and DDNM+ completes its null space (Yilmaz et al. 2023,
 * arXiv 2309.15889; ipc-lab/deepjscc-diffusion `guided_diffusion/diffusion.py` feeds DDNM the DeepJSCC-decoded
 * low-resolution image as y with σ_y set by hand); a DeepJSCC of the whole image; and a matched-prior control, where
 * the images are drawn from the fitted mixture itself so that the denoiser is the true one.
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import type { Rng } from "../rng";
import { progress } from "../display";
import { poolA, poolPinv, denseOf } from "./linear";
import { meanCov, lmmseDecoder } from "./lmmse";
import { gmmPosterior, gmmMmseDecoder, sampleGmm, type Gmm } from "./gmm";
import { ddnm, type Denoiser } from "./sampler";
import { powerScale, transmitLinear } from "./channel";
import { meanPsnr, slicedWasserstein } from "./metrics";
import { trainDeepJscc } from "./deepjscc";

/** What every receiver shares: image geometry, the prior, the images' mean and covariance, A densely, power scale c. */
export interface Setup {
  side: number;
  s: number;
  d: number;
  k: number;
  gmm: Gmm;
  mu: Float64Array;
  cov: Float64Array;
  A: Float64Array;
  amu: Float64Array;
  c: number;
  denoiser: Denoiser;
}

/** The setup from training images (rows of side²) and a fitted prior. */
export function makeSetup(xtr: Float32Array, side: number, s: number, gmm: Gmm): Setup {
  const d = side * side,
    k = (side / s) ** 2,
    { mu, cov } = meanCov(xtr, d),
    amu = poolA(mu, side, s);
  return {
    side,
    s,
    d,
    k,
    gmm,
    mu,
    cov,
    A: denseOf((v) => poolA(v, side, s), d).a,
    amu,
    c: powerScale(poolA(xtr, side, s), amu, k),
    denoiser: (u, s2) => gmmPosterior(gmm, u, s2).mean,
  };
}

/** The mixture's own mean Σ w_k μ_k and covariance Σ w_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ (what LMMSE should use on its draws). */
export function gmmMoments(g: Gmm): { mu: Float64Array; cov: Float64Array } {
  const { K, d } = g,
    mu = new Float64Array(d),
    cov = new Float64Array(d * d);
  for (let c = 0; c < K; c++) {
    const w = Math.exp(g.logw[c]),
      m = g.mu.subarray(c * d, (c + 1) * d);
    for (let i = 0; i < d; i++) {
      mu[i] += w * m[i];
      for (let j = 0; j < d; j++) cov[i * d + j] += w * (g.cov[c][i * d + j] + m[i] * m[j]);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= mu[i] * mu[j];
  return { mu, cov };
}

/** The receivers of the linear scheme. */
export const LINEAR = ["A⁺y", "LMMSE", "GMM posterior mean", "DDNM+"] as const;

/**
 * Sends rows x through the linear scheme at `snr` dB (channel noise from `key.derive("channel")`) and decodes them
 * with every receiver of `LINEAR` (DDNM+ from `key.derive("sampler")`, with the sampler's `eta` and `steps` if given).
 * `moments` overrides the mean and covariance LMMSE uses (default: the training images').
 */
export function linearScheme(
  S: Setup,
  x: ArrayLike<number>,
  snr: number,
  key: Rng,
  moments?: { mu: Float64Array; cov: Float64Array },
  sampler: { eta?: number; steps?: number } = {},
): { y: Float64Array; sigmaY: number; recon: Record<(typeof LINEAR)[number], Float64Array> } {
  const { y, sigmaY } = transmitLinear(poolA(x, S.side, S.s), S.amu, S.k, S.c, snr, key.derive("channel"));
  const m = moments ?? S;
  return {
    y,
    sigmaY,
    recon: {
      "A⁺y": poolPinv(y, S.side, S.s),
      LMMSE: lmmseDecoder(m.mu, m.cov, S.A, S.k, S.d, sigmaY)(y),
      "GMM posterior mean": gmmMmseDecoder(S.gmm, S.A, S.k, sigmaY)(y),
      "DDNM+": ddnm(y, S.denoiser, { side: S.side, s: S.s, sigmaY, rng: key.derive("sampler"), ...sampler }),
    },
  };
}

/** A⁺A x̂: the range part of each row alone (a control with the sampler's null-space content removed). */
export function rangePart(S: Setup, xhat: ArrayLike<number>): Float64Array {
  return poolPinv(poolA(xhat, S.side, S.s), S.side, S.s);
}

/**
 * A⁺A x̂_i + (I − A⁺A) x̂_{j(i)}, j(i) ≠ i (a seeded permutation, a fixed point moved to the next row): each row keeps
 * its range part and takes another row's null space (a control with the null space no longer read from that row's y).
 */
export function swapNullSpace(S: Setup, xhat: ArrayLike<number>, rng: Rng): Float64Array {
  const n = xhat.length / S.d,
    perm = rng.permutation(n),
    r = rangePart(S, xhat),
    out = new Float64Array(xhat.length);
  for (let i = 0; i < n; i++) {
    const j = perm[i] === i ? (i + 1) % n : perm[i];
    for (let p = 0; p < S.d; p++) out[i * S.d + p] = r[i * S.d + p] + xhat[j * S.d + p] - r[j * S.d + p];
  }
  return out;
}

/** One score row: a method's mean PSNR and SW₂ to the reference images at one SNR and seed. */
export type ScoreRow = { snr: number; seed: number; method: string; psnr: number; sw: number };

export interface SweepOptions {
  /** Evaluation and reference images (rows of side², equal counts; the reference set only enters SW₂). */
  x: Float32Array;
  xref: Float32Array;
  xtr: Float32Array;
  snrs: readonly number[];
  seeds: readonly number[];
  key: Rng;
  /** DeepJSCC size and schedule (both DeepJSCCs). */
  train: { hidden: number; epochs: number; batch: number; lr: number };
  /** SW₂ directions. */
  directions?: number;
}

/**
 * For every seed and SNR: the linear scheme's receivers, a DeepJSCC of the whole image (k learned symbols), and the
 * paper's scheme, a DeepJSCC trained to deliver the block means A x (same k channel uses), decoded to ŷ and completed
 * by DDNM+ with σ_y = the RMS error of ŷ on the training images (the authors set σ_y by hand). Seed s derives the
 * channel, the sampler and both DeepJSCCs' weights and training noise from `key.derive(`${snr}/${s}`)`; SW₂
 * directions are the same for every row. Also returns every reconstruction of the first seed, by SNR.
 */
export async function sweep(
  S: Setup,
  o: SweepOptions,
): Promise<{
  rows: ScoreRow[];
  recon: Map<number, Record<string, ArrayLike<number>>>;
  sigmaRange: Map<number, number[]>;
}> {
  const rows: ScoreRow[] = [],
    recon = new Map<number, Record<string, ArrayLike<number>>>(),
    sigmaRange = new Map<number, number[]>();
  const axtr = Float32Array.from(poolA(o.xtr, S.side, S.s)),
    ntr = o.xtr.length / S.d;
  const bar = progress(
    2 * o.snrs.length * o.seeds.length * o.train.epochs * Math.floor(ntr / o.train.batch),
    "DeepJSCC, both kinds",
  );
  const swKey = o.key.derive("sw"),
    L = o.directions ?? 128;
  for (const snr of o.snrs)
    for (const seed of o.seeds) {
      const key = o.key.derive(`${snr}/${seed}`),
        common = { k: S.k, snrDb: snr, ...o.train, progress: bar };
      const lin = linearScheme(S, o.x, snr, key);
      const full = await trainDeepJscc(o.xtr, S.d, {
        ...common,
        rng: key.derive("full"),
        label: `whole image, ${snr} dB, seed ${seed}`,
      });
      const range = await trainDeepJscc(o.xtr, S.d, {
        ...common,
        rng: key.derive("range"),
        target: { x: axtr, d: S.k },
        label: `range space, ${snr} dB, seed ${seed}`,
      });
      const rmse = (a: ArrayLike<number>, b: ArrayLike<number>) => {
        let e = 0;
        for (let i = 0; i < a.length; i++) e += (a[i] - b[i]) ** 2;
        return Math.sqrt(e / a.length);
      };
      const sigmaY = rmse(range.run(o.xtr, snr, key.derive("range/train-error")), axtr);
      const yhat = range.run(o.x, snr, key.derive("range/channel"));
      const r: Record<string, ArrayLike<number>> = {
        ...lin.recon,
        "DeepJSCC (whole image)": full.run(o.x, snr, key.derive("full/channel")),
        "DeepJSCC range, A⁺ŷ": poolPinv(yhat, S.side, S.s),
        "DeepJSCC range + DDNM+": ddnm(yhat, S.denoiser, {
          side: S.side,
          s: S.s,
          sigmaY,
          rng: key.derive("range/sampler"),
        }),
        "DDNM+, range part only": rangePart(S, lin.recon["DDNM+"]),
        "DDNM+, another digit's null space": swapNullSpace(S, lin.recon["DDNM+"], key.derive("swap")),
      };
      full.dispose();
      range.dispose();
      sigmaRange.set(snr, [...(sigmaRange.get(snr) ?? []), sigmaY]);
      for (const [method, xh] of Object.entries(r))
        rows.push({
          snr,
          seed,
          method,
          psnr: meanPsnr(o.x, xh, S.d),
          sw: slicedWasserstein(xh, o.xref, S.d, L, swKey),
        });
      if (seed === o.seeds[0]) recon.set(snr, r);
    }
  bar.done(`${o.snrs.length * o.seeds.length * 2} models`);
  return { rows, recon, sigmaRange };
}

/** PSNR of the pooled error, 10 log10(1 / mean squared error), without clipping (for draws from the prior). */
export function pooledPsnr(x: ArrayLike<number>, xhat: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += (xhat[i] - x[i]) ** 2;
  return 10 * Math.log10(x.length / e);
}

/**
 * The matched-prior control: n images drawn from the mixture itself (seed s: draws, channel and sampler from
 * `key.derive(`${snr}/${s}`)`), sent through the linear scheme and scored by pooled, unclipped PSNR; LMMSE uses the
 * mixture's own moments, so every decoder knows the true source. Adds "prior draw, y ignored": a fresh draw from the
 * prior, the sample of the wrong distribution.
 */
export function matchedPrior(
  S: Setup,
  o: { n: number; snrs: readonly number[]; seeds: readonly number[]; key: Rng },
): ScoreRow[] {
  const moments = gmmMoments(S.gmm),
    rows: ScoreRow[] = [];
  for (const snr of o.snrs)
    for (const seed of o.seeds) {
      const key = o.key.derive(`${snr}/${seed}`),
        x = sampleGmm(S.gmm, o.n, key.derive("draws"));
      const { recon } = linearScheme(S, x, snr, key, moments);
      const r: Record<string, ArrayLike<number>> = {
        ...recon,
        "prior draw, y ignored": sampleGmm(S.gmm, o.n, key.derive("unconditioned")),
      };
      for (const [method, xh] of Object.entries(r)) rows.push({ snr, seed, method, psnr: pooledPsnr(x, xh), sw: NaN });
    }
  return rows;
}

/** The values of one method's rows (seed order) at one SNR, for a field. */
export function valuesOf(
  rows: readonly ScoreRow[],
  method: string,
  snr: number,
  field: "psnr" | "sw" = "psnr",
): number[] {
  const out = rows
    .filter((r) => r.method === method && r.snr === snr)
    .sort((a, b) => a.seed - b.seed)
    .map((r) => r[field]);
  if (!out.length) throw new Error(`no rows for "${method}" at ${snr} dB`);
  return out;
}

/** Per seed, a's value minus b's at one SNR (paired by seed). */
export function pairedGap(
  rows: readonly ScoreRow[],
  a: string,
  b: string,
  snr: number,
  field: "psnr" | "sw" = "psnr",
): number[] {
  const va = valuesOf(rows, a, snr, field),
    vb = valuesOf(rows, b, snr, field);
  return va.map((v, i) => v - vb[i]);
}
