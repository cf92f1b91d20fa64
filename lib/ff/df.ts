/**
 * Distance-Forward (Wu, Xu, Wu, Deng, Xu, Wen & Li 2024, arXiv:2408.14925), as reconstructed here.
 *
 * The reading of FF that DF starts from: with the label in the first pixels, layer 1's pre-activation for label k
 * is u + w_k (w_k the weight row of label pixel k), so FF's goodness ‖ReLU(u + w_k)‖² is a masked squared
 * distance between the feature and the point −w_k, one point per class: a class centroid. DF makes that explicit.
 * Each layer l keeps K learnable centroids c_{l,k} in the space of its normalised output ĥ_l and reads goodness
 * as a negative distance,
 *   G_{l,k} = −(1/H_l) ‖ĥ_l − c_{l,k}‖²,
 * trained with the goodness-based N-pair margin loss over all wrong classes at once,
 *   L_l = log(1 + Σ_{k≠y} exp(α (G_{l,k} − G_{l,y} + m))),
 * and, for layer collaboration (Lorberbom, Gat, Adi, Schwing & Hazan 2024, arXiv:2305.12393), each layer's loss
 * sees the goodness of all the others as constants: G_{l,k} ← G_{l,k} + Σ_{j≠l} sg(G_{j,k}).
 * Prediction: argmax_k Σ_l G_{l,k}. One forward pass per image (no label-embedded copies, no negative data).
 * The distance form, α, m and the collaboration variant are reconstructions: the paper's own equations were not
 * readable from the stored sources (see the notebook's "Deviations").
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import { Rng } from "../rng";
import { probe, type TensorMeter } from "../train/memory";
import { dense, rmsNorm, perturbLayers, perturbWeight, layerForward, byChunks, type Dense, type Noise } from "./mlp";

export interface DFModel {
  kind: "df";
  layers: Dense[];
  /** c_l as an [H_l, K] matrix per layer: column k is the centroid of class k. */
  centroids: tf.Variable[];
  classes: number;
  /** Scale α of the N-pair margin loss. */
  alpha: number;
  /** Margin m by which the true class's goodness should exceed every other's. */
  margin: number;
  /** Layer collaboration: each layer's loss adds the (gradient-free) goodness of the other layers. */
  collaborate: boolean;
  /** One Adam per layer: tfjs's Adam keys its moment slots by position in the gradient map, so a shared one breaks when layers update separately. */
  optimizers: tf.Optimizer[];
}

/** A Distance-Forward MLP with widths `sizes` = [784, h1, …]; centroids start at 0 and are learnt with the weights. */
export function createDF(opts: { sizes: number[]; rng: Rng; lr?: number; classes?: number; alpha?: number; margin?: number; collaborate?: boolean }): DFModel {
  const { sizes, rng, lr = 1e-3, classes = 10, alpha = 4, margin = 0.5, collaborate = true } = opts;
  return {
    kind: "df", classes, alpha, margin, collaborate,
    layers: sizes.slice(1).map((n, i) => dense(sizes[i], n, rng)),
    centroids: sizes.slice(1).map((n) => tf.variable(tf.zeros([n, classes]))),
    optimizers: sizes.slice(1).map(() => tf.train.adam(lr)),
  };
}

/** G_k = −(1/H)‖ĥ − c_k‖² = −(‖ĥ‖² − 2 ĥ·c_k + ‖c_k‖²)/H for every row of ĥ [B, H] and column c_k of C [H, K]. */
export function centroidGoodness(hHat: tf.Tensor2D, C: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const H = hHat.shape[1];
    const hh = tf.sum(tf.square(hHat), -1, true);           // [B, 1]
    const cc = tf.sum(tf.square(C), 0, true);                // [1, K]
    return tf.div(tf.sub(tf.mul(tf.matMul(hHat, C), 2), tf.add(hh, cc)), H) as tf.Tensor2D;
  });
}

/**
 * Goodness-based N-pair margin loss, mean over rows: log(1 + Σ_{k≠y} exp(α (G_k − G_y + m))), with Y the one-hot
 * labels. The true class is masked with a one-hot product (no gather: its gradient is missing on wasm).
 */
export function nPairMarginLoss(G: tf.Tensor2D, Y: tf.Tensor2D, alpha: number, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const Gy = tf.sum(tf.mul(G, Y), -1, true);
    const z = tf.sub(tf.mul(tf.add(tf.sub(G, Gy), margin), alpha), tf.mul(Y, 1e4)); // true class → exp(−1e4) = 0
    const withOne = tf.concat([tf.zeros([G.shape[0], 1]), z], 1);                    // the "1 +" as exp(0)
    return tf.mean(tf.logSumExp(withOne, -1));
  });
}

/** The no-gradient goodness of every layer for a batch, [L] × [B, K]: what the collaborating layers see of each other. */
function allGoodness(m: DFModel, zHat0: tf.Tensor2D): tf.Tensor2D[] {
  return tf.tidy(() => {
    let z = zHat0;
    return m.layers.map((p, l) => {
      z = rmsNorm(layerForward(z, { W: p.W as tf.Tensor2D, b: p.b as tf.Tensor1D }));
      return centroidGoodness(z, m.centroids[l] as tf.Tensor2D);
    });
  });
}

/**
 * One DF step: layer by layer, the N-pair margin loss of that layer (plus the others' goodness as constants when
 * collaborating) is differentiated with respect to its weights and centroids only, applied, and its graph freed;
 * the next layer gets the normalised, detached output. Returns the mean of the layer losses.
 */
export function dfTrainStep(m: DFModel, x: Float32Array, y: Int32Array, meter?: TensorMeter): number {
  const B = y.length, D = x.length / B;
  meter?.begin();
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), m.classes).toFloat() as tf.Tensor2D);
  let input = tf.tidy(() => rmsNorm(tf.tensor2d(x, [B, D])));
  const others = m.collaborate ? allGoodness(m, input) : [];
  const sumOthers = others.length ? tf.tidy(() => tf.addN(others)) : undefined;
  let total = 0;
  m.layers.forEach((layer, l) => {
    let next: tf.Tensor2D | undefined;
    const C = m.centroids[l];
    const { value, grads } = tf.variableGrads(() => {
      const W = probe(layer.W, meter), b = probe(layer.b, meter), Cp = probe(C, meter);
      const hHat = rmsNorm(tf.relu(tf.add(tf.matMul(input, W), b)) as tf.Tensor2D);
      next = tf.keep(hHat);
      let G = centroidGoodness(hHat, Cp as tf.Tensor2D);
      if (sumOthers) G = tf.add(G, tf.sub(sumOthers, others[l])) as tf.Tensor2D;
      const loss = nPairMarginLoss(G, Y, m.alpha, m.margin);
      meter?.sample();
      return loss;
    }, [layer.W, layer.b, C]);
    m.optimizers[l].applyGradients(grads);
    total += value.dataSync()[0];
    value.dispose(); tf.dispose(grads); input.dispose();
    input = next!;
  });
  tf.dispose([input, Y, ...others]); sumOthers?.dispose();
  return total / m.layers.length;
}

/** Accumulated goodness Σ_l G_{l,k} for every row and class: an n × K score matrix (predict by row argmax). */
export function dfScores(m: DFModel, x: Float32Array, n: number, opts: { noise?: Noise; chunk?: number } = {}): Float32Array {
  const D = x.length / n, K = m.classes;
  const params = perturbLayers(m.layers, opts.noise);
  const cents = m.centroids.map((C) => perturbWeight(C, opts.noise) as tf.Tensor2D); // centroids are weights too
  try {
    return byChunks(n, K, opts.chunk ?? 1000, (s, c) => tf.tidy(() => {
      let z = rmsNorm(tf.tensor2d(x.subarray(s * D, (s + c) * D), [c, D]));
      let score = tf.zeros([c, K]) as tf.Tensor2D;
      params.forEach((p, l) => {
        z = rmsNorm(layerForward(z, p, opts.noise));
        score = tf.add(score, centroidGoodness(z, cents[l]));
      });
      return score.dataSync() as Float32Array;
    }));
  } finally { params.forEach((p) => tf.dispose([p.W, p.b])); tf.dispose(cents); }
}
