/**
 * The fully connected stack shared by Forward-Forward, Distance-Forward and the backprop reference:
 * every layer RMS-normalises its input and applies h = ReLU(ẑ W + b).
 * Initialisation and normalisation follow loeweX/Forward-Forward (`src/ff_model.py`), the re-implementation
 * of Hinton (2022, arXiv:2212.13345) that reports 1.45% test error on MNIST.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";

/** One dense layer: W is [nIn, nOut] (row vectors in, row vectors out), b is [nOut]. */
export interface Dense {
  W: tf.Variable;
  b: tf.Variable;
}

/** A dense layer with W ~ N(0, 1/nOut) and b = 0, the initialisation of loeweX/Forward-Forward. */
export function dense(nIn: number, nOut: number, rng: Rng): Dense {
  return {
    W: tf.variable(tf.tensor2d(rng.normalArray(nIn * nOut, 0, 1 / Math.sqrt(nOut)), [nIn, nOut])),
    b: tf.variable(tf.zeros([nOut])),
  };
}

/**
 * RMS normalisation ẑ = z / (√(mean_j z_j² + δ) + ε), row by row: it strips the goodness (length) a layer passes on
 * (loeweX: δ = 0). δ = 1e-12 changes no value that matters but keeps the gradient finite for an all-zero row, which
 * DF-O, DF's global control and backprop differentiate through (√ has an infinite slope at 0).
 */
export function rmsNorm(z: tf.Tensor2D, eps = 1e-8): tf.Tensor2D {
  return tf.tidy(() => tf.div(z, tf.add(tf.sqrt(tf.add(tf.mean(tf.square(z), -1, true), 1e-12)), eps)));
}

/** ReLU whose backward pass lets the whole gradient through (∂y/∂x := 1), as loeweX's `ReLU_full_grad`: no unit dies under FF. */
export function reluFullGrad(x: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad(((a: tf.Tensor) => ({
    value: tf.relu(a),
    gradFunc: (dy: tf.Tensor) => dy.clone(),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor2D;
}

/** Inference-time perturbations modelling analogue hardware: relative Gaussian noise on weights and on activations. */
export interface Noise {
  /** σ_w: each weight matrix becomes W + σ_w·std(W)·ε (fixed for one evaluation, like device mismatch). */
  weight?: number;
  /** σ_a: each hidden activation becomes h + σ_a·rms(h)·ε, drawn afresh per sample (like read noise). */
  activation?: number;
  /** Seed source for the noise draws. */
  rng?: Rng;
}

/** W + σ_w·std(W)·ε as a new tensor (a clone when σ_w = 0); the caller disposes it. */
export function perturbWeight(W: tf.Tensor, noise?: Noise): tf.Tensor {
  const s = noise?.weight ?? 0;
  if (!(s > 0)) return W.clone();
  if (!noise?.rng) throw new Error("weight noise needs an rng");
  const seed = noise.rng.seedInt();
  return tf.tidy(() =>
    tf.add(W, tf.mul(tf.mul(tf.sqrt(tf.moments(W).variance), s), tf.randomNormal(W.shape, 0, 1, "float32", seed))),
  );
}

/** The layers as plain tensors with weight noise applied once (biases untouched); the caller disposes the result. */
export function perturbLayers(
  layers: { W: tf.Tensor; b: tf.Tensor }[],
  noise?: Noise,
): { W: tf.Tensor2D; b: tf.Tensor1D }[] {
  return layers.map(({ W, b }) => ({ W: perturbWeight(W, noise) as tf.Tensor2D, b: b.clone() as tf.Tensor1D }));
}

/** h + σ_a·rms(h)·ε, with rms over the whole activation tensor; identity when σ_a = 0. */
export function activationNoise(h: tf.Tensor2D, noise?: Noise): tf.Tensor2D {
  const s = noise?.activation ?? 0;
  if (!(s > 0)) return h;
  if (!noise?.rng) throw new Error("activation noise needs an rng");
  const seed = noise.rng.seedInt();
  return tf.tidy(() =>
    tf.add(h, tf.mul(tf.mul(tf.sqrt(tf.mean(tf.square(h))), s), tf.randomNormal(h.shape, 0, 1, "float32", seed))),
  );
}

/** One layer at inference: h = ReLU(ẑ W + b), then activation noise. */
export function layerForward(zHat: tf.Tensor2D, p: { W: tf.Tensor2D; b: tf.Tensor1D }, noise?: Noise): tf.Tensor2D {
  return tf.tidy(() => activationNoise(tf.relu(tf.add(tf.matMul(zHat, p.W), p.b)) as tf.Tensor2D, noise));
}

/** Processes rows in chunks to bound memory: `f(rowsTensorData, rowStart, rowCount)` returns a Float32Array of rowCount × width. */
export function byChunks(
  n: number,
  width: number,
  chunk: number,
  f: (start: number, count: number) => Float32Array,
): Float32Array {
  const out = new Float32Array(n * width);
  for (let s = 0; s < n; s += chunk) {
    const c = Math.min(chunk, n - s);
    out.set(f(s, c), s * width);
  }
  return out;
}

/** Row-wise argmax of an n × k score matrix. */
export function argmaxRows(scores: Float32Array, k: number): Int32Array {
  const n = scores.length / k,
    out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (scores[i * k + j] > scores[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** Fraction of equal entries. */
export function accuracyOf(pred: Int32Array, y: Int32Array): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) c++;
  return c / y.length;
}
