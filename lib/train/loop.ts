/**
 * A generic minibatch training loop: seeded shuffling each epoch, a progress bar, and a learning curve.
 * The loop knows nothing about models or tensors: `step` receives the row indices of one minibatch and
 * returns that batch's loss; `onEpoch` may evaluate and return extra metrics to record.
 * @see notebooks/01-distance-forward.ipynb
 */
import { progress, type Progress } from "../display";
import type { Rng } from "../rng";

/** One row of a learning curve: the epoch (1-based), its mean training loss, and any metrics `onEpoch` returned. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  seconds: number;
  [metric: string]: number;
}

export interface TrainLoopOptions {
  /** Number of passes over the data. */
  epochs: number;
  /** Rows per minibatch; the last, shorter batch of an epoch is kept unless `dropLast`. */
  batchSize: number;
  /** Number of training rows; batches are index arrays into 0..n-1. */
  n: number;
  /** Source of the per-epoch shuffles (the loop draws one permutation per epoch from it). */
  rng: Rng;
  /** Trains on one minibatch and returns its loss (a plain number). */
  step: (idx: Int32Array, epoch: number, batch: number) => number;
  /** Called after each epoch; the numbers it returns are stored in that epoch's record. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing records no metrics
  onEpoch?: (epoch: number, meanLoss: number) => Record<string, number> | void;
  /** Label of the progress bar. */
  label?: string;
  /** A bar shared with other loops (ticked once per batch, never finished here) instead of one of this loop's own. */
  progress?: Progress;
  /** Drop the last incomplete batch (keeps every step the same shape). */
  dropLast?: boolean;
  /** Shuffle the rows each epoch (default true). */
  shuffle?: boolean;
}

/** Minibatch index arrays covering a permutation of 0..n-1: ⌈n/B⌉ batches (⌊n/B⌋ with dropLast). */
export function minibatches(perm: Int32Array, batchSize: number, dropLast = false): Int32Array[] {
  if (!(batchSize >= 1)) throw new Error(`batchSize must be ≥ 1, got ${batchSize}`);
  const out: Int32Array[] = [];
  for (let s = 0; s < perm.length; s += batchSize) {
    if (dropLast && s + batchSize > perm.length) break;
    out.push(perm.subarray(s, Math.min(s + batchSize, perm.length)));
  }
  return out;
}

/** The loop itself as a generator that yields after every minibatch, so a caller may pause between steps. */
function* loopSteps(opts: TrainLoopOptions): Generator<void, EpochRecord[], void> {
  const { epochs, batchSize, n, rng, step, onEpoch, label = "train", dropLast = false, shuffle = true } = opts;
  const perBatch = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  const bar = opts.progress ?? progress(epochs * perBatch, label);
  const history: EpochRecord[] = [];
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    const batches = minibatches(shuffle ? rng.permutation(n) : identity, batchSize, dropLast);
    let sum = 0;
    for (let b = 0; b < batches.length; b++) {
      const loss = step(batches[b], epoch, b);
      if (!Number.isFinite(loss)) throw new Error(`${label}: loss became ${loss} at epoch ${epoch}, batch ${b}`);
      sum += loss;
      bar.tick(1, `${opts.progress ? `${label} ` : ""}epoch ${epoch}/${epochs} loss ${loss.toFixed(4)}`);
      yield;
    }
    const meanLoss = sum / batches.length;
    const seconds = (performance.now() - t0) / 1000;
    const extra = onEpoch?.(epoch, meanLoss) ?? {};
    history.push({ epoch, loss: meanLoss, seconds, ...extra });
    yield;
  }
  const last = history[history.length - 1];
  if (!opts.progress) bar.done(last ? `loss ${last.loss.toFixed(4)}` : "");
  return history;
}

/** Runs `epochs` passes of minibatch training and returns the learning curve (one record per epoch). */
export function trainLoop(opts: TrainLoopOptions): EpochRecord[] {
  const it = loopSteps(opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * trainLoop that hands control back to the event loop every `yieldMs` milliseconds (default 50), so that a
 * notebook front end receives the progress display as it happens and an interrupt can land between steps.
 */
export async function trainLoopAsync(opts: TrainLoopOptions & { yieldMs?: number }): Promise<EpochRecord[]> {
  const it = loopSteps(opts),
    every = opts.yieldMs ?? 50;
  let last = performance.now();
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    if (performance.now() - last > every) {
      await new Promise<void>((res) => setImmediate(res));
      last = performance.now();
    }
  }
}

/** Copies the rows `idx` of a row-major matrix (rows × dim) into a new Float32Array: the batch gather in plain JS. */
export function gatherRows(x: Float32Array, dim: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * dim);
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * dim, (idx[r] + 1) * dim), r * dim);
  return out;
}

/** Picks `idx` from an integer label array. */
export function gatherLabels(y: Int32Array, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let r = 0; r < idx.length; r++) out[r] = y[idx[r]];
  return out;
}
