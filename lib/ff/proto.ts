/**
 * The prototype local learner: a label-free cousin of Distance-Forward (Wu et al. 2024, arXiv:2408.14925) that
 * notebook 01's first revision called "DF". It is not the paper's DF: it drops FF's label embedding altogether
 * (the image goes in once, unlabelled) and makes each layer a nearest-prototype classifier of its own output.
 * Each layer l keeps K learnable prototypes c_{l,k} in the space of its normalised output ĥ_l and reads goodness
 * as a negative distance,
 *   G_{l,k} = −(1/H_l) ‖ĥ_l − c_{l,k}‖²,
 * trained with the goodness-based N-pair margin loss over all wrong classes at once,
 *   L_l = log(1 + Σ_{k≠y} exp(α (G_{l,k} − G_{l,y} + m))),
 * and, for layer collaboration (Lorberbom, Gat, Adi, Schwing & Hazan 2024, arXiv:2305.12393), each layer's loss
 * sees the goodness of all the others as constants: G_{l,k} ← G_{l,k} + Σ_{j≠l} sg(G_{j,k}).
 * Prediction: argmax_k Σ_l G_{l,k}. One forward pass per image (no label-embedded copies, no negative data).
 * The paper's DF (label-embedded goodness, DF-O and DF-R updates) is `./df.ts`.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { probe, type TensorMeter } from "../train/memory";
import { dense, rmsNorm, perturbLayers, perturbWeight, layerForward, byChunks, type Dense, type Noise } from "./mlp";
import { nPairMarginLoss } from "./df";

export interface ProtoModel {
  kind: "proto";
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
  /** A control, not a local rule: Σ_l L_l back-propagated through the whole stack (no collaboration terms). */
  endToEnd: boolean;
  /** One Adam per layer: tfjs's Adam keys its moment slots by position in the gradient map, so a shared one breaks when layers update separately. */
  optimizers: tf.Optimizer[];
}

/** A prototype local learner with widths `sizes` = [784, h1, …]; centroids start at 0 and are learnt with the weights. */
export function createProto(opts: {
  sizes: number[];
  rng: Rng;
  lr?: number;
  classes?: number;
  alpha?: number;
  margin?: number;
  collaborate?: boolean;
  endToEnd?: boolean;
}): ProtoModel {
  const { sizes, rng, lr = 1e-3, classes = 10, alpha = 4, margin = 0.5, collaborate = true, endToEnd = false } = opts;
  return {
    kind: "proto",
    classes,
    alpha,
    margin,
    collaborate,
    endToEnd,
    layers: sizes.slice(1).map((n, i) => dense(sizes[i], n, rng)),
    centroids: sizes.slice(1).map((n) => tf.variable(tf.zeros([n, classes]))),
    optimizers: sizes.slice(1).map(() => tf.train.adam(lr)),
  };
}

/** G_k = −(1/H)‖ĥ − c_k‖² = −(‖ĥ‖² − 2 ĥ·c_k + ‖c_k‖²)/H for every row of ĥ [B, H] and column c_k of C [H, K]. */
export function centroidGoodness(hHat: tf.Tensor2D, C: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const H = hHat.shape[1];
    const hh = tf.sum(tf.square(hHat), -1, true); // [B, 1]
    const cc = tf.sum(tf.square(C), 0, true); // [1, K]
    return tf.div(tf.sub(tf.mul(tf.matMul(hHat, C), 2), tf.add(hh, cc)), H) as tf.Tensor2D;
  });
}

/** The no-gradient goodness of every layer for a batch, [L] × [B, K]: what the collaborating layers see of each other. */
function allGoodness(m: ProtoModel, zHat0: tf.Tensor2D): tf.Tensor2D[] {
  return tf.tidy(() => {
    let z = zHat0;
    return m.layers.map((p, l) => {
      z = rmsNorm(layerForward(z, { W: p.W as tf.Tensor2D, b: p.b as tf.Tensor1D }));
      return centroidGoodness(z, m.centroids[l] as tf.Tensor2D);
    });
  });
}

/**
 * One step: layer by layer, the N-pair margin loss of that layer (plus the others' goodness as constants when
 * collaborating) is differentiated with respect to its weights and centroids only, applied, and its graph freed;
 * the next layer gets the normalised, detached output. Returns the mean of the layer losses.
 */
export function protoTrainStep(m: ProtoModel, x: Float32Array, y: Int32Array, meter?: TensorMeter): number {
  const B = y.length,
    D = x.length / B;
  meter?.begin();
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), m.classes).toFloat() as tf.Tensor2D);
  let input = tf.tidy(() => rmsNorm(tf.tensor2d(x, [B, D])));
  if (m.endToEnd) {
    const vars = m.layers.flatMap((p, l) => [p.W, p.b, m.centroids[l]]);
    const { value, grads } = tf.variableGrads(() => {
      let z = input,
        sum = tf.scalar(0);
      m.layers.forEach((p, l) => {
        z = rmsNorm(tf.relu(tf.add(tf.matMul(z, probe(p.W, meter)), probe(p.b, meter))) as tf.Tensor2D);
        sum = tf.add(
          sum,
          nPairMarginLoss(centroidGoodness(z, probe(m.centroids[l], meter) as tf.Tensor2D), Y, m.alpha, m.margin),
        );
      });
      meter?.sample();
      return sum as tf.Scalar;
    }, vars);
    m.layers.forEach((p, l) =>
      m.optimizers[l].applyGradients(
        Object.fromEntries([p.W, p.b, m.centroids[l]].map((v) => [v.name, grads[v.name]])),
      ),
    );
    const total = value.dataSync()[0];
    tf.dispose([value, grads, input, Y]);
    return total / m.layers.length;
  }
  const others = m.collaborate ? allGoodness(m, input) : [];
  const sumOthers = others.length ? tf.tidy(() => tf.addN(others)) : undefined;
  let total = 0;
  m.layers.forEach((layer, l) => {
    let next: tf.Tensor2D | undefined;
    const C = m.centroids[l];
    const { value, grads } = tf.variableGrads(() => {
      const W = probe(layer.W, meter),
        b = probe(layer.b, meter),
        Cp = probe(C, meter);
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
    value.dispose();
    tf.dispose(grads);
    input.dispose();
    input = next!;
  });
  tf.dispose([input, Y, ...others]);
  sumOthers?.dispose();
  return total / m.layers.length;
}

/** Accumulated goodness Σ_l G_{l,k} for every row and class: an n × K score matrix (predict by row argmax). */
export function protoScores(
  m: ProtoModel,
  x: Float32Array,
  n: number,
  opts: { noise?: Noise; chunk?: number } = {},
): Float32Array {
  const D = x.length / n,
    K = m.classes;
  const params = perturbLayers(m.layers, opts.noise);
  const cents = m.centroids.map((C) => perturbWeight(C, opts.noise) as tf.Tensor2D); // centroids are weights too
  try {
    return byChunks(n, K, opts.chunk ?? 1000, (s, c) =>
      tf.tidy(() => {
        let z = rmsNorm(tf.tensor2d(x.subarray(s * D, (s + c) * D), [c, D]));
        let score = tf.zeros([c, K]) as tf.Tensor2D;
        params.forEach((p, l) => {
          z = rmsNorm(layerForward(z, p, opts.noise));
          score = tf.add(score, centroidGoodness(z, cents[l]));
        });
        return score.dataSync() as Float32Array;
      }),
    );
  } finally {
    params.forEach((p) => tf.dispose([p.W, p.b]));
    tf.dispose(cents);
  }
}
