/**
 * Full-batch semi-supervised node classification (the Planetoid protocol of Kipf & Welling 2017, arXiv 1609.02907):
 * cross-entropy on the labelled nodes only, Adam with L2 weight decay, model selection by validation accuracy.
 * The loss is masked by multiplication, never by tf.gather, whose gradient the wasm backend lacks.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import { tf } from "../tensor";
import { progress } from "../display";
import type { NodeSplit } from "./csbm";

/** Masked softmax cross-entropy: −Σ_i m_i log softmax(z_i)_{y_i} / Σ_i m_i over logits z [N, K]. */
export function maskedCrossEntropy(logits: tf.Tensor2D, yOneHot: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const ll = tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)), 1);
    return tf.div(tf.neg(tf.sum(tf.mul(ll, mask))), tf.sum(mask)) as tf.Scalar;
  });
}

/** Fraction of nodes in `idx` whose argmax prediction (row-major scores, K per row) equals y. */
export function accuracyAt(scores: ArrayLike<number>, K: number, y: ArrayLike<number>, idx: ArrayLike<number>): number {
  let ok = 0;
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    let best = 0;
    for (let k = 1; k < K; k++) if (scores[i * K + k] > scores[i * K + best]) best = k;
    if (best === y[i]) ok++;
  }
  return ok / idx.length;
}

export interface TrainOptions {
  /** Logits [N, K] of the current parameters; `training` is false for evaluation passes. */
  forward: (training: boolean) => tf.Tensor2D;
  vars: tf.Variable[];
  y: Int32Array;
  classes: number;
  split: NodeSplit;
  epochs: number;
  lr: number;
  /** L2 penalty (wd/2)·Σ‖W‖² on `decayVars` (default: the variables of rank 2, i.e. weights, not biases or STFN's λ, γ). */
  weightDecay?: number;
  decayVars?: tf.Variable[];
  /** Evaluate on validation and test every `evalEvery` epochs (default 5) and at the end. */
  evalEvery?: number;
  /**
   * Early stopping: stop after this many evaluations in a row without a better validation accuracy (default: never).
   * Only the best-validation epoch is reported, so this changes a result only where validation accuracy would have
   * risen again later; it saves the epochs of a model that has stopped improving (or, stuck at chance, never started).
   */
  patience?: number;
  /** Progress-bar label; omit for none. */
  label?: string;
}

export interface TrainResult {
  /** Test accuracy at the epoch of best validation accuracy (ties: the earlier epoch). */
  testAcc: number;
  valAcc: number;
  trainAcc: number;
  bestEpoch: number;
  /** Training loss per epoch, and (epoch, val, test) at each evaluation. */
  loss: number[];
  evals: { epoch: number; val: number; test: number }[];
  /** Epochs actually trained (fewer than asked when early stopping ended the run). */
  epochs: number;
}

/**
 * Trains by Adam on the masked loss; reports test accuracy at the best validation epoch (no peeking at test).
 * Async: it yields to the event loop after every epoch so a kernel can flush progress output and take interrupts.
 */
export async function trainNodeClassifier(o: TrainOptions): Promise<TrainResult> {
  const every = o.evalEvery ?? 5,
    wd = o.weightDecay ?? 0,
    patience = o.patience ?? Infinity;
  const opt = tf.train.adam(o.lr);
  const yh = tf.oneHot(tf.tensor1d(o.y, "int32"), o.classes) as tf.Tensor2D;
  const mask = tf.tensor1d(o.split.trainMask);
  const weights = o.decayVars ?? o.vars.filter((v) => v.rank === 2);
  const loss: number[] = [],
    evals: TrainResult["evals"] = [];
  let best = { val: -1, test: 0, train: 0, epoch: -1 },
    stale = 0,
    e = 0;
  const bar = o.label ? progress(o.epochs, o.label) : undefined;
  const evaluate = (epoch: number) => {
    const z = tf.tidy(() => o.forward(false));
    const s = z.dataSync();
    z.dispose();
    const val = accuracyAt(s, o.classes, o.y, o.split.val),
      test = accuracyAt(s, o.classes, o.y, o.split.test);
    evals.push({ epoch, val, test });
    if (val > best.val) {
      best = { val, test, train: accuracyAt(s, o.classes, o.y, o.split.train), epoch };
      stale = 0;
    } else stale++;
  };
  for (; e < o.epochs && stale < patience; e++) {
    const l = opt.minimize(
      () => {
        const ce = maskedCrossEntropy(o.forward(true), yh, mask);
        if (!wd || weights.length === 0) return ce;
        return tf.add(ce, tf.mul(wd / 2, tf.addN(weights.map((w) => tf.sum(tf.square(w)))))) as tf.Scalar;
      },
      true,
      o.vars,
    ) as tf.Scalar;
    loss.push(l.dataSync()[0]);
    l.dispose();
    if ((e + 1) % every === 0 || e === o.epochs - 1) evaluate(e + 1);
    bar?.tick(1, `loss ${loss[e].toFixed(3)} best val ${(100 * Math.max(0, best.val)).toFixed(1)}%`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  bar?.done();
  yh.dispose();
  mask.dispose();
  opt.dispose();
  return { testAcc: best.test, valAcc: best.val, trainAcc: best.train, bestEpoch: best.epoch, loss, evals, epochs: e };
}
