/**
 * Temporal tasks for spiking networks, generated here from a seed: a delayed spiking XOR whose required memory is
 * dialled by the delay, and MNIST read row by row. Every dataset is sample-major (n × T × c, row-major) so that a
 * mini-batch is a contiguous gather; `timeMajorBatch` turns a batch into the [T, B, c] layout `unroll` expects.
 * @see notebooks/07-lif-components.ipynb
 */
import type { Rng } from "../rng";
import { loadMnist, MNIST_SIDE } from "../data";

/** A sequence classification set: x is n × T × c (sample-major), y the labels in [0, classes). */
export interface SeqSet {
  x: Float32Array;
  y: Int32Array;
  n: number;
  T: number;
  c: number;
  classes: number;
}

/** Options of the delayed XOR task; every length is in time steps. */
export interface DelayedXorOptions {
  n: number;
  rng: Rng;
  /** Steps between the end of the first pattern and the start of the second: the memory the task needs. */
  delay: number;
  /** Length of each of the two patterns (default 5). */
  patternSteps?: number;
  /** Length of the answer window at the end, marked by a cue population (default 5). */
  responseSteps?: number;
  /** Input neurons per population (default 10); there are 5 populations: bit-0, bit-1 (each pattern), cue, noise-only. */
  perGroup?: number;
  /** Firing probability per step of an active population (default 0.5). */
  rateOn?: number;
  /** Background firing probability per step of every input neuron, throughout (default 0.02): the "noisy delay". */
  rateNoise?: number;
}

/**
 * Delayed spiking XOR (after the probe of Yin et al. 2024, arXiv:2403.16674): a first bit a is shown as a burst of
 * population "a = 0" or "a = 1", then `delay` steps of background noise, then a second bit b the same way, then a
 * cue; the label is a XOR b. Layout of the c = 5·g input neurons: [bit-0 | bit-1 | cue | noise | noise] populations,
 * each of g = perGroup. Time: T = 2·patternSteps + delay + responseSteps; the answer window is the last
 * responseSteps steps. Because the first bit has gone by the time the second arrives, a network only solves it
 * when something (membrane, recurrence) remembers a across the delay.
 */
export function delayedXor(o: DelayedXorOptions): SeqSet & { responseSteps: number; delay: number } {
  const L = o.patternSteps ?? 5,
    R = o.responseSteps ?? 5,
    g = o.perGroup ?? 10;
  const on = o.rateOn ?? 0.5,
    bg = o.rateNoise ?? 0.02;
  const T = 2 * L + o.delay + R,
    c = 5 * g;
  const x = new Float32Array(o.n * T * c),
    y = new Int32Array(o.n);
  for (let s = 0; s < o.n; s++) {
    const a = o.rng.int(2),
      b = o.rng.int(2);
    y[s] = a ^ b;
    for (let t = 0; t < T; t++) {
      // which population is driven at step t: the bit of the current pattern, or the cue, or none
      let active = -1;
      if (t < L) active = a;
      else if (t >= L + o.delay && t < 2 * L + o.delay) active = b;
      else if (t >= 2 * L + o.delay) active = 2;
      const row = (s * T + t) * c;
      for (let i = 0; i < c; i++) {
        const p = Math.floor(i / g) === active ? on : bg;
        if (o.rng.uniform() < p) x[row + i] = 1;
      }
    }
  }
  return { x, y, n: o.n, T, c, classes: 2, responseSteps: R, delay: o.delay };
}

/**
 * An uninterrupted stream: each new sample is `trials` samples of `set` played back to back with no pause and no
 * state reset in between (drawn by `rng`, the last one chosen in order so every sample of `set` ends one stream);
 * its label is the last trial's. T = trials · set.T, and the answer window stays the last steps, so a network
 * trained on single trials can be scored on streams as is: the probe of "uninterrupted temporal processing".
 */
export function streamOf(set: SeqSet, trials: number, rng: Rng): SeqSet {
  if (!(trials >= 1 && Number.isInteger(trials)))
    throw new Error(`streamOf: trials must be a positive integer, got ${trials}`);
  const step = set.T * set.c,
    x = new Float32Array(set.n * trials * step);
  for (let s = 0; s < set.n; s++) {
    for (let k = 0; k < trials; k++) {
      const src = k === trials - 1 ? s : rng.int(set.n);
      x.set(set.x.subarray(src * step, (src + 1) * step), (s * trials + k) * step);
    }
  }
  return { x, y: Int32Array.from(set.y), n: set.n, T: trials * set.T, c: set.c, classes: set.classes };
}

/**
 * MNIST as a sequence: row r of the 28×28 image is the input at step t = r (T = 28, c = 28 analog currents).
 * The sample-major layout n × 28 × 28 is the image itself, so this is a relabelling of `loadMnist`'s split.
 */
export function loadSequentialMnist(opts: { rng: Rng; trainPerClass?: number; testPerClass?: number }): {
  train: SeqSet;
  test: SeqSet;
} {
  const { train, test } = loadMnist(opts);
  const seq = (s: { x: Float32Array; y: Int32Array; n: number }): SeqSet => ({
    x: s.x,
    y: s.y,
    n: s.n,
    T: MNIST_SIDE,
    c: MNIST_SIDE,
    classes: 10,
  });
  return { train: seq(train), test: seq(test) };
}

/**
 * Gathers samples `idx` of a sample-major set into one time-major array [T, B, c]. Optional `steps` keeps a time
 * window [t0, t1).
 */
export function timeMajorBatch(set: SeqSet, idx: ArrayLike<number>): Float32Array {
  const { T, c } = set,
    B = idx.length,
    out = new Float32Array(T * B * c);
  for (let b = 0; b < B; b++) {
    const base = idx[b] * T * c;
    for (let t = 0; t < T; t++) out.set(set.x.subarray(base + t * c, base + (t + 1) * c), (t * B + b) * c);
  }
  return out;
}

/**
 * Input noise for robustness probes: for spike inputs (`flip` p) each entry is flipped 0↔1 with probability p; for
 * analog inputs (`gaussian` σ) x + N(0, σ²) clipped to [0, 1], or (`sign` ε) x ± ε with a fair random sign per entry,
 * clipped to [0, 1]: the random counterpart of an FGSM step, same L∞ size, no gradient. Returns a new set; the
 * original is unchanged.
 */
export function perturbInput(
  set: SeqSet,
  noise: { flip?: number; gaussian?: number; sign?: number },
  rng: Rng,
): SeqSet {
  const x = Float32Array.from(set.x);
  if (noise.flip) for (let i = 0; i < x.length; i++) if (rng.uniform() < noise.flip) x[i] = 1 - x[i];
  if (noise.gaussian)
    for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, x[i] + rng.normal(0, noise.gaussian)));
  if (noise.sign)
    for (let i = 0; i < x.length; i++)
      x[i] = Math.min(1, Math.max(0, x[i] + (rng.uniform() < 0.5 ? -noise.sign : noise.sign)));
  return { ...set, x };
}
