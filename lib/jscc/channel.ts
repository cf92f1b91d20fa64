/**
 * The transmitter's power normalisation and the AWGN channel. The linear encoder sends z = c·A(x − μ), with c fixed
 * so that the average power per channel use over the training images is 1; the channel adds n ~ N(0, 1/SNR)
 * (SNR = 10^{dB/10}). The receiver, knowing c and μ, forms y = z'/c + Aμ = A x + n/c: a measurement of A x with
 * noise std σ_y = 1/(c·√SNR).
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import type { Rng } from "../rng";

/** Linear SNR from decibels. */
export const snrLinear = (db: number) => 10 ** (db / 10);

/** Adds N(0, 1/SNR) noise to unit-average-power symbols (a fresh seeded draw per call). */
export function awgn(z: ArrayLike<number>, snrDb: number, rng: Rng): Float64Array {
  const sd = 1 / Math.sqrt(snrLinear(snrDb));
  return Float64Array.from(z, (v) => v + rng.normal(0, sd));
}

/** Power-normalisation constant c = 1/√(mean power of A(x − μ)) over the rows of `ax` (k symbols each), with Aμ given. */
export function powerScale(ax: ArrayLike<number>, amu: ArrayLike<number>, k: number): number {
  let p = 0;
  const n = ax.length / k;
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) p += (ax[r * k + j] - amu[j]) ** 2;
  return 1 / Math.sqrt(p / (n * k));
}

/** The linear scheme end to end: y = (c·(A x − Aμ) + n)/c + Aμ for rows of A x; returns y and σ_y. */
export function transmitLinear(
  ax: ArrayLike<number>,
  amu: ArrayLike<number>,
  k: number,
  c: number,
  snrDb: number,
  rng: Rng,
): { y: Float64Array; sigmaY: number } {
  const z = Float64Array.from(ax, (v, i) => c * (v - amu[i % k]));
  const zn = Number.isFinite(snrDb) ? awgn(z, snrDb, rng) : z;
  return {
    y: zn.map((v, i) => v / c + amu[i % k]),
    sigmaY: Number.isFinite(snrDb) ? 1 / (c * Math.sqrt(snrLinear(snrDb))) : 0,
  };
}
