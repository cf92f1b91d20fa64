/**
 * The training loop of the single-network spiking classifiers (the conv SNN of notebook 13): Adam on softmax
 * cross-entropy of time-major batches x [T, B, c] drawn from a sample-major set, with a progress bar. It can stop
 * at a target training loss instead of a fixed budget, so that variants are compared at the same fit
 * ("matched loss"): training stops at the first step where the mean loss of the last epoch's worth of batches
 * (a moving window of ⌊n/batch⌋ steps) is at most `untilLoss`.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { progress } from "../display";
import { mean } from "../stats";
import { timeMajorBatch, type SeqSet } from "./tasks";

/** Options of `fitSeqClassifier`. */
export interface FitOptions {
  /** Epochs to train, or the most epochs when `untilLoss` is set. */
  epochs: number;
  batch: number;
  lr: number;
  /** Shuffles the mini-batches: epoch e uses `key.derive("order/" + e)`. */
  key: Rng;
  /** Stop once the moving mean training loss (window: one epoch of batches) is at most this. */
  untilLoss?: number;
  label?: string;
}

/**
 * Per-epoch mean losses (the last epoch possibly partial), the moving-window loss at the end, the steps taken, and
 * whether the target loss was reached (always true without a target).
 */
export interface TrainRecord {
  loss: number[];
  final: number;
  reached: boolean;
  steps: number;
}

/**
 * Trains the variables `vars` of `logitsOf`. It yields to the event loop after every batch, so that a kernel can
 * flush the progress display and deliver an interrupt while a long training runs.
 */
export async function fitSeqClassifier(
  logitsOf: (x: tf.Tensor3D) => tf.Tensor2D,
  vars: tf.Variable[],
  set: SeqSet,
  o: FitOptions,
): Promise<TrainRecord> {
  const opt = tf.train.adam(o.lr);
  const perEpoch = Math.floor(set.n / o.batch);
  const bar = progress(o.epochs * perEpoch, o.label ?? "train");
  const losses: number[] = [],
    window: number[] = [];
  let steps = 0,
    reached = o.untilLoss === undefined;
  for (let e = 0; e < o.epochs && !(reached && o.untilLoss !== undefined); e++) {
    const perm = o.key.derive(`order/${e}`).permutation(set.n);
    let sum = 0,
      k = 0;
    for (; k < perEpoch; k++) {
      const idx = perm.subarray(k * o.batch, (k + 1) * o.batch);
      const loss = tf.tidy(() => {
        const x = tf.tensor3d(timeMajorBatch(set, idx), [set.T, o.batch, set.c]);
        const y = tf.oneHot(
          tf.tensor1d(
            Array.from(idx, (i) => set.y[i]),
            "int32",
          ),
          set.classes,
        );
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logitsOf(x)) as tf.Scalar, true, vars)!;
      });
      const l = loss.dataSync()[0];
      loss.dispose();
      sum += l;
      steps++;
      window.push(l);
      if (window.length > perEpoch) window.shift();
      bar.tick(1, `loss ${l.toFixed(3)}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (o.untilLoss !== undefined && window.length === perEpoch && mean(window) <= o.untilLoss) {
        reached = true;
        k++;
        break;
      }
    }
    losses.push(sum / k);
  }
  const final = mean(window);
  bar.done(`loss ${final.toFixed(3)} after ${steps} steps${reached ? "" : ` (target ${o.untilLoss} not reached)`}`);
  opt.dispose();
  return { loss: losses, final, reached, steps };
}
