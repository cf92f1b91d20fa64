/**
 * Forward-Forward (Hinton 2022, arXiv:2212.13345), following loeweX/Forward-Forward (`src/ff_model.py`):
 * positive data = image with its first K pixels replaced by the one-hot true label, negative data = the same
 * image with a random wrong label; each layer l computes h = ReLU(ẑ W + b) on its RMS-normalised, detached input
 * and is trained alone on the logistic loss of its goodness G = Σ_j h_j² against a threshold θ_l = width_l;
 * a label is predicted as argmax_k of the goodness summed over layers (from the second layer on, as loeweX).
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { probe, type TensorMeter } from "../train/memory";
import {
  dense,
  rmsNorm,
  reluFullGrad,
  perturbLayers,
  layerForward,
  activationNoise,
  byChunks,
  type Dense,
  type Noise,
} from "./mlp";
import { embedLabels, labelFreeInput, allLabelsPreactivation } from "./embed";

export interface FFModel {
  kind: "ff";
  layers: Dense[];
  /** Number of classes K (= number of label pixels). */
  classes: number;
  /** θ_l, the goodness threshold of each layer (loeweX: the layer's width). */
  theta: number[];
  /** Use the straight-through ReLU gradient of loeweX (default true). */
  fullGradRelu: boolean;
  /** First layer (0-based) whose goodness counts at prediction (loeweX: 1, i.e. skip the first layer). */
  predictFrom: number;
  /** One Adam per layer: tfjs's Adam keys its moment slots by position in the gradient map, so a shared one breaks when layers update separately. */
  optimizers: tf.Optimizer[];
}

/** A Forward-Forward MLP with widths `sizes` = [784, h1, h2, …]; θ_l = thetaScale × h_l. */
export function createFF(opts: {
  sizes: number[];
  rng: Rng;
  lr?: number;
  classes?: number;
  thetaScale?: number;
  fullGradRelu?: boolean;
  predictFrom?: number;
}): FFModel {
  const { sizes, rng, lr = 1e-3, classes = 10, thetaScale = 1, fullGradRelu = true } = opts;
  const layers = sizes.slice(1).map((n, i) => dense(sizes[i], n, rng));
  return {
    kind: "ff",
    layers,
    classes,
    fullGradRelu,
    theta: sizes.slice(1).map((n) => thetaScale * n),
    predictFrom: opts.predictFrom ?? (layers.length > 1 ? 1 : 0),
    optimizers: sizes.slice(1).map(() => tf.train.adam(lr)),
  };
}

/** Goodness G = Σ_j h_j² of each row of h. */
export function goodness(h: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.square(h), -1));
}

/**
 * FF layer loss: mean over rows of BCE(σ(G − θ), t) with t = 1 for positive and 0 for negative rows,
 * written as mean softplus(−s·(G − θ)), s = +1 (positive) / −1 (negative).
 */
export function ffLayerLoss(h: tf.Tensor2D, sign: tf.Tensor1D, theta: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(tf.mul(sign, tf.sub(goodness(h), theta))))));
}

/** A random wrong label for each true label: uniform over the K−1 others. */
export function wrongLabels(y: Int32Array, classes: number, rng: Rng): Int32Array {
  return y.map((k) => (k + 1 + rng.int(classes - 1)) % classes);
}

/**
 * One FF step on a minibatch: positive and negative rows go through the layers one at a time; each layer's
 * gradient is taken with its input detached and applied at once, so only one layer's graph is ever alive.
 * Returns the mean of the layer losses.
 */
export function ffTrainStep(m: FFModel, x: Float32Array, y: Int32Array, rng: Rng, meter?: TensorMeter): number {
  const B = y.length,
    D = x.length / B;
  meter?.begin();
  const both = new Float32Array(2 * B * D);
  both.set(embedLabels(x, D, y, m.classes), 0);
  both.set(embedLabels(x, D, wrongLabels(y, m.classes, rng), m.classes), B * D);
  const sign = tf.tidy(() => tf.concat([tf.ones([B]), tf.fill([B], -1)]) as tf.Tensor1D);
  let input = tf.tidy(() => rmsNorm(tf.tensor2d(both, [2 * B, D])));
  let total = 0;
  m.layers.forEach((layer, l) => {
    let next: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const W = probe(layer.W, meter),
        b = probe(layer.b, meter);
      const z = tf.add(tf.matMul(input, W), b) as tf.Tensor2D;
      const h = m.fullGradRelu ? reluFullGrad(z) : tf.relu(z);
      next = tf.keep(rmsNorm(h));
      const loss = ffLayerLoss(h, sign, m.theta[l]);
      meter?.sample();
      return loss;
    }, [layer.W, layer.b]);
    m.optimizers[l].applyGradients(grads);
    total += value.dataSync()[0];
    value.dispose();
    tf.dispose(grads);
    input.dispose();
    input = next!;
  });
  input.dispose();
  sign.dispose();
  return total / m.layers.length;
}

/**
 * Accumulated goodness Σ_{l ≥ predictFrom} G_l(x with label k) for every row and label k: an n × K score matrix.
 * The first layer runs once per image with the label rows of W added (`allLabelsPreactivation`, the same numbers
 * as K embedded copies to float rounding); deeper layers see all K copies.
 */
export function ffScores(
  m: FFModel,
  x: Float32Array,
  n: number,
  opts: { noise?: Noise; chunk?: number } = {},
): Float32Array {
  const D = x.length / n,
    K = m.classes,
    chunk = opts.chunk ?? 500;
  const params = perturbLayers(m.layers, opts.noise);
  try {
    return byChunks(n, K, chunk, (s, c) =>
      tf.tidy(() => {
        const { xHat, invR } = labelFreeInput(x.subarray(s * D, (s + c) * D), c, K);
        let score = tf.zeros([c * K]) as tf.Tensor1D,
          z: tf.Tensor2D | undefined;
        params.forEach((p, l) => {
          const h =
            l === 0
              ? activationNoise(
                  tf.relu(
                    allLabelsPreactivation(tf.tensor2d(xHat, [c, D]), tf.tensor2d(invR, [c, 1]), p.W, p.b, K),
                  ) as tf.Tensor2D,
                  opts.noise,
                )
              : layerForward(z!, p, opts.noise);
          if (l >= m.predictFrom) score = tf.add(score, goodness(h));
          z = rmsNorm(h);
        });
        return score.dataSync() as Float32Array; // rows are (i, k), label-minor
      }),
    );
  } finally {
    params.forEach((p) => tf.dispose([p.W, p.b]));
  }
}
