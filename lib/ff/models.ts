/**
 * One interface over the learners so that an experiment can treat them alike: train a step, score a set,
 * measure accuracy, free the tensors.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import type { TensorMeter } from "../train/memory";
import { argmaxRows, accuracyOf, type Noise } from "./mlp";
import { ffTrainStep, ffScores, type FFModel } from "./ff";
import { dfTrainStep, dfScores, type DFModel } from "./df";
import { protoTrainStep, protoScores, type ProtoModel } from "./proto";
import { bpTrainStep, bpScores, type BPModel } from "./bp";

export type Model = FFModel | DFModel | ProtoModel | BPModel;

/** One minibatch update of any learner; returns its loss. `rng` draws FF's negative labels. */
export function trainStep(m: Model, x: Float32Array, y: Int32Array, opts: { rng: Rng; meter?: TensorMeter }): number {
  switch (m.kind) {
    case "ff":
      return ffTrainStep(m, x, y, opts.rng, opts.meter);
    case "df":
      return dfTrainStep(m, x, y, opts.meter);
    case "proto":
      return protoTrainStep(m, x, y, opts.meter);
    case "bp":
      return bpTrainStep(m, x, y, opts.meter);
  }
}

/** The n × K class scores the learner predicts by (FF, DF: summed goodness per embedded label; prototype learner: summed prototype goodness; BP: logits). */
export function scores(m: Model, x: Float32Array, n: number, opts: { noise?: Noise } = {}): Float32Array {
  switch (m.kind) {
    case "ff":
      return ffScores(m, x, n, opts);
    case "df":
      return dfScores(m, x, n, opts);
    case "proto":
      return protoScores(m, x, n, opts);
    case "bp":
      return bpScores(m, x, n, opts);
  }
}

/** Predicted labels: argmax_k of the scores. */
export function predict(m: Model, x: Float32Array, n: number, opts: { noise?: Noise } = {}): Int32Array {
  return argmaxRows(scores(m, x, n, opts), m.classes);
}

/** Accuracy on a labelled set. */
export function accuracy(
  m: Model,
  set: { x: Float32Array; y: Int32Array; n: number },
  opts: { noise?: Noise } = {},
): number {
  return accuracyOf(predict(m, set.x, set.n, opts), set.y);
}

/** All trainable tensors of a model. */
export function parameters(m: Model): tf.Variable[] {
  const ps = m.layers.flatMap((p) => [p.W, p.b]);
  if (m.kind === "proto") ps.push(...m.centroids);
  if (m.kind === "bp") ps.push(m.head.W, m.head.b);
  return ps;
}

/** Number of scalar parameters. */
export function parameterCount(m: Model): number {
  return parameters(m).reduce((s, v) => s + v.size, 0);
}

/** Frees a model's variables and optimiser state. */
export function disposeModel(m: Model): void {
  (m.kind === "bp" ? [m.optimizer] : m.optimizers).forEach((o) => o.dispose());
  tf.dispose(parameters(m));
}
