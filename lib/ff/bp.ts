/**
 * The backpropagation reference on the same stack: the hidden layers of the FF/DF MLP (RMS-normalised inputs,
 * ReLU) followed by a linear read-out, trained end to end on softmax cross-entropy. The whole graph of a step
 * is kept until its gradient is taken: that is the memory the local methods avoid.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { probe, type TensorMeter } from "../train/memory";
import { dense, rmsNorm, perturbLayers, layerForward, byChunks, type Dense, type Noise } from "./mlp";

export interface BPModel {
  kind: "bp";
  layers: Dense[];
  /** Linear read-out [H_L, K]. */
  head: Dense;
  classes: number;
  optimizer: tf.Optimizer;
}

/** A backprop MLP with hidden widths `sizes` = [784, h1, …] and a K-way linear head. */
export function createBP(opts: { sizes: number[]; rng: Rng; lr?: number; classes?: number }): BPModel {
  const { sizes, rng, lr = 1e-3, classes = 10 } = opts;
  return {
    kind: "bp",
    classes,
    layers: sizes.slice(1).map((n, i) => dense(sizes[i], n, rng)),
    head: dense(sizes[sizes.length - 1], classes, rng),
    optimizer: tf.train.adam(lr),
  };
}

/** Softmax cross-entropy, mean over rows: logSumExp(z) − Σ_k Y_k z_k (one-hot Y, so no gather). */
export function softmaxCrossEntropy(logits: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(logits, Y), -1))));
}

/** One end-to-end backprop step on a minibatch; returns the loss. */
export function bpTrainStep(m: BPModel, x: Float32Array, y: Int32Array, meter?: TensorMeter): number {
  const B = y.length,
    D = x.length / B;
  meter?.begin();
  const vars = [...m.layers.flatMap((p) => [p.W, p.b]), m.head.W, m.head.b];
  const { value, grads } = tf.variableGrads(() => {
    let z = rmsNorm(tf.tensor2d(x, [B, D]));
    for (const p of m.layers)
      z = rmsNorm(tf.relu(tf.add(tf.matMul(z, probe(p.W, meter)), probe(p.b, meter))) as tf.Tensor2D);
    const logits = tf.add(tf.matMul(z, probe(m.head.W, meter)), probe(m.head.b, meter)) as tf.Tensor2D;
    const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), m.classes).toFloat() as tf.Tensor2D);
    const loss = softmaxCrossEntropy(logits, Y);
    meter?.sample();
    return loss;
  }, vars);
  m.optimizer.applyGradients(grads);
  const loss = value.dataSync()[0];
  value.dispose();
  tf.dispose(grads);
  return loss;
}

/** Logits for every row: an n × K score matrix. Noise hits the hidden layers and the read-out weights alike. */
export function bpScores(
  m: BPModel,
  x: Float32Array,
  n: number,
  opts: { noise?: Noise; chunk?: number } = {},
): Float32Array {
  const D = x.length / n,
    K = m.classes;
  const params = perturbLayers([...m.layers, m.head], opts.noise);
  const hidden = params.slice(0, -1),
    head = params[params.length - 1];
  try {
    return byChunks(n, K, opts.chunk ?? 1000, (s, c) =>
      tf.tidy(() => {
        let z = rmsNorm(tf.tensor2d(x.subarray(s * D, (s + c) * D), [c, D]));
        for (const p of hidden) z = rmsNorm(layerForward(z, p, opts.noise));
        return tf.add(tf.matMul(z, head.W), head.b).dataSync() as Float32Array;
      }),
    );
  } finally {
    params.forEach((p) => tf.dispose([p.W, p.b]));
  }
}
