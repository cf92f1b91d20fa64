/**
 * Spike encoders: turn intensities x ∈ [0,1] into spike trains over T steps, time-major (T × n, row t = step t).
 * Randomness comes only from the `Rng` passed in.
 * @see notebooks/07-lif-components.ipynb
 */
import type { Rng } from "../rng";

/**
 * Rate (Bernoulli) coding: o^t_i ~ Bernoulli(clip(gain · x_i, 0, 1)) independently per step, so the expected
 * firing rate equals the intensity (snnTorch `spikegen.rate`; Diehl & Cook 2015, doi:10.3389/fncom.2015.00099).
 */
export function rateEncode(x: ArrayLike<number>, T: number, rng: Rng, gain = 1): Float32Array {
  const n = x.length,
    out = new Float32Array(T * n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const p = Math.min(1, Math.max(0, gain * x[i]));
      if (rng.uniform() < p) out[t * n + i] = 1;
    }
  }
  return out;
}

/**
 * Latency (time-to-first-spike) coding: one spike per input at t_i = round((1 − x_i)(T − 1)) for x_i > threshold,
 * none otherwise: brighter fires earlier (the linear form of snnTorch `spikegen.latency`; Gütig & Sompolinsky 2006).
 */
export function latencyEncode(x: ArrayLike<number>, T: number, threshold = 0.01): Float32Array {
  const n = x.length,
    out = new Float32Array(T * n);
  for (let i = 0; i < n; i++) {
    if (!(x[i] > threshold)) continue;
    const t = Math.round((1 - Math.min(1, x[i])) * (T - 1));
    out[t * n + i] = 1;
  }
  return out;
}

/**
 * Encodes a batch (rows of length d in `x`, `rows` of them) into one time-major array [T, rows, d], the layout
 * `unroll` expects.
 */
export function encodeBatch(
  x: Float32Array,
  rows: number,
  d: number,
  T: number,
  enc: (row: Float32Array) => Float32Array,
): Float32Array {
  const out = new Float32Array(T * rows * d);
  for (let r = 0; r < rows; r++) {
    const s = enc(x.subarray(r * d, (r + 1) * d));
    for (let t = 0; t < T; t++) out.set(s.subarray(t * d, (t + 1) * d), (t * rows + r) * d);
  }
  return out;
}
