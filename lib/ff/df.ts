/**
 * Distance-Forward (DF; Wu, Xu, Wu, Deng, Xu, Wen & Li 2024, arXiv:2408.14925) on Forward-Forward's own network:
 * the label is embedded in the image's first K pixels exactly as in FF (`./ff.ts`, after loeweX/Forward-Forward),
 * each layer RMS-normalises its input and computes h = ReLU(ẑ W + b), and the goodness of label k at layer l is
 * FF's, per unit:
 *   g_{l,k} = (1/H_l) Σ_j h_{l,j}(x with label k)²
 * (the 1/H_l keeps α and m independent of the width; FF's threshold θ_l = H_l is g = 1 in these units).
 * The centroid reading: layer 1's pre-activation for label k is u + w_k/r (u = the image's, w_k the weight row of
 * label pixel k, r the input's RMS, the same for every k), so g_{1,k} is a masked squared distance between the
 * feature and a class point −w_k/r. Instead of FF's logistic loss on one random wrong label, every layer is trained
 * with the goodness-based N-pair margin loss over all K−1 wrong labels at once,
 *   L_l = log(1 + Σ_{k≠y} exp(α (g_{l,k} − g_{l,y} + m))),
 * and predicts argmax_k Σ_{l ≥ predictFrom} g_{l,k}. Four ways to turn the layer losses into updates:
 * - `greedy`   (DF): layer l follows ∂L_l only, its input detached (FF's locality).
 * - `overlap`  (DF-O): overlapping two-layer blocks; block l = layers {l−1, l} is trained on L_l with its input
 *   detached, so layer l follows ∂L_l + ∂L_{l+1} and only two layers' graph is ever alive.
 * - `residual` (DF-R, reconstructed): layer l is trained on the cumulative goodness g_{≤l} = g_l + Σ_{j<l} sg(g_j),
 *   i.e. it learns what the layers below have not yet separated; one forward sweep, one layer's graph.
 * - `global` (a control, not a local rule): Σ_l L_l back-propagated through the whole stack (deep supervision).
 * The N-pair form, α, m and the DF-R rule are reconstructions from the paper's abstract and secondary summaries (its
 * equations were not readable from the stored sources); notebook 01 says so.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { probe, type TensorMeter } from "../train/memory";
import { dense, rmsNorm, perturbLayers, activationNoise, byChunks, type Dense, type Noise } from "./mlp";
import { labelFreeInput, allLabelsPreactivation } from "./embed";

/** How DF's layer losses become parameter updates (see the module comment). */
export type DFUpdate = "greedy" | "overlap" | "residual" | "global";
export const DF_UPDATES: readonly DFUpdate[] = ["greedy", "overlap", "residual", "global"];

export interface DFModel {
  kind: "df";
  layers: Dense[];
  /** Number of classes K (= label pixels). */
  classes: number;
  /** Scale α and margin m of the N-pair margin loss (goodness in per-unit units). */
  alpha: number;
  margin: number;
  update: DFUpdate;
  /** First layer (0-based) whose goodness counts at prediction. */
  predictFrom: number;
  /** One Adam per layer (tfjs's Adam keys its slots by position in the gradient map). */
  optimizers: tf.Optimizer[];
}

/** A DF MLP on FF's label-embedded input with widths `sizes` = [784, h1, h2, …]. */
export function createDF(opts: {
  sizes: number[];
  rng: Rng;
  lr?: number;
  classes?: number;
  alpha?: number;
  margin?: number;
  update?: DFUpdate;
  predictFrom?: number;
}): DFModel {
  const { sizes, rng, lr = 1e-3, classes = 10, alpha = 4, margin = 0.5, update = "overlap" } = opts;
  if (!DF_UPDATES.includes(update)) throw new Error(`unknown DF update "${update}" (one of ${DF_UPDATES.join(", ")})`);
  return {
    kind: "df",
    classes,
    alpha,
    margin,
    update,
    predictFrom: opts.predictFrom ?? 0,
    layers: sizes.slice(1).map((n, i) => dense(sizes[i], n, rng)),
    optimizers: sizes.slice(1).map(() => tf.train.adam(lr)),
  };
}

/**
 * Goodness-based N-pair margin loss, mean over rows: log(1 + Σ_{k≠y} exp(α (G_k − G_y + m))) for a goodness matrix
 * G [B, K] and one-hot labels Y (the true class is masked by a one-hot product: `tf.gather`'s gradient is missing on
 * wasm). Higher goodness = more likely, as in FF.
 */
export function nPairMarginLoss(G: tf.Tensor2D, Y: tf.Tensor2D, alpha: number, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const Gy = tf.sum(tf.mul(G, Y), -1, true);
    const z = tf.sub(tf.mul(tf.add(tf.sub(G, Gy), margin), alpha), tf.mul(Y, 1e4)); // true class → exp(−1e4) = 0
    const withOne = tf.concat([tf.zeros([G.shape[0], 1]), z], 1); // the "1 +" as exp(0)
    return tf.mean(tf.logSumExp(withOne, -1));
  });
}

interface Input0 {
  xHat: tf.Tensor2D;
  invR: tf.Tensor2D;
}

/**
 * Layer l's activations for every (row, label) pair, rows label-minor ([B·K, H]). Layer 0 adds the label rows of W
 * to the image's pre-activation (u + w_k/r); deeper layers take the previous normalised activations.
 */
function layerH(
  m: DFModel,
  l: number,
  W: tf.Tensor,
  b: tf.Tensor,
  input: Input0 | tf.Tensor2D,
  noise?: Noise,
): tf.Tensor2D {
  const z =
    l === 0
      ? allLabelsPreactivation((input as Input0).xHat, (input as Input0).invR, W, b, m.classes)
      : (tf.add(tf.matMul(input as tf.Tensor2D, W as tf.Tensor2D), b) as tf.Tensor2D);
  // a true ReLU (not FF's straight-through one): DF-O and the global control send gradients across layers
  return activationNoise(tf.relu(z) as tf.Tensor2D, noise);
}

/** g_{l,k} = (1/H) Σ_j h_j² as a [B, K] matrix from [B·K, H] activations. */
function goodnessMatrix(h: tf.Tensor2D, K: number): tf.Tensor2D {
  return tf.reshape(tf.mean(tf.square(h), -1), [-1, K]) as tf.Tensor2D;
}

/**
 * One DF step on a minibatch with the model's update rule. A layer's update is applied as soon as its gradient is
 * complete (greedy, DF-R: after its own block; DF-O: after block l+1, which still ran on the old weights; global:
 * at the end), so every gradient is taken at the same parameters and only the layers in flight hold gradients.
 * Returns the mean of the layer losses.
 */
export function dfTrainStep(m: DFModel, x: Float32Array, y: Int32Array, meter?: TensorMeter): number {
  const B = y.length,
    L = m.layers.length,
    K = m.classes;
  meter?.begin();
  const { xHat, invR } = labelFreeInput(x, B, K);
  const input0: Input0 = { xHat: tf.tensor2d(xHat, [B, x.length / B]), invR: tf.tensor2d(invR, [B, 1]) };
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), K).toFloat() as tf.Tensor2D);
  const loss = (h: tf.Tensor2D, extra?: tf.Tensor2D) => {
    const g = goodnessMatrix(h, K);
    return nPairMarginLoss(extra ? (tf.add(g, extra) as tf.Tensor2D) : g, Y, m.alpha, m.margin);
  };
  const P = (l: number) => ({ W: probe(m.layers[l].W, meter), b: probe(m.layers[l].b, meter) });
  const pending: tf.NamedTensorMap[] = m.layers.map(() => ({}));
  const vars = (from: number, to: number) => m.layers.slice(from, to + 1).flatMap((p) => [p.W, p.b]);
  let total = 0;
  /** Differentiates f with respect to layers from..to and adds the gradients to those layers' pending sums. */
  const run = (f: () => tf.Scalar, from: number, to: number) => {
    const { value, grads } = tf.variableGrads(
      () => {
        const v = f();
        meter?.sample();
        return v;
      },
      vars(from, to),
    );
    for (let l = from; l <= to; l++)
      for (const v of [m.layers[l].W, m.layers[l].b]) {
        const old = pending[l][v.name];
        pending[l][v.name] = old ? tf.add(old, grads[v.name]) : grads[v.name];
        if (old) tf.dispose([old, grads[v.name]]);
      }
    total += value.dataSync()[0];
    value.dispose();
  };
  const apply = (l: number) => {
    m.optimizers[l].applyGradients(pending[l]);
    tf.dispose(pending[l]);
    pending[l] = {};
  };

  if (m.update === "global") {
    run(
      () => {
        let z: Input0 | tf.Tensor2D = input0,
          sum = tf.scalar(0);
        for (let l = 0; l < L; l++) {
          const { W, b } = P(l),
            h = layerH(m, l, W, b, z);
          sum = tf.add(sum, loss(h));
          z = rmsNorm(h);
        }
        return sum;
      },
      0,
      L - 1,
    );
    for (let l = 0; l < L; l++) apply(l);
  } else if (m.update === "overlap") {
    // block l = layers {l−1, l} on L_l; hats[l] is layer l's normalised output, the input of block l+2
    const hats: tf.Tensor2D[] = [];
    for (let l = 0; l < L; l++) {
      const start = Math.max(0, l - 1);
      run(
        () => {
          let z: Input0 | tf.Tensor2D = start === 0 ? input0 : hats[start - 1],
            h!: tf.Tensor2D;
          for (let j = start; j <= l; j++) {
            const { W, b } = P(j);
            h = layerH(m, j, W, b, z);
            z = rmsNorm(h);
            if (j === l) hats[l] = tf.keep(z as tf.Tensor2D);
          }
          return loss(h);
        },
        start,
        l,
      );
      if (l >= 1) apply(l - 1); // layer l−1 has both of its blocks now
      if (l >= 2) hats[l - 2].dispose();
    }
    apply(L - 1);
    tf.dispose(hats.slice(Math.max(0, L - 2)));
  } else {
    // greedy and residual: one layer's graph at a time, input detached
    let z: Input0 | tf.Tensor2D = input0,
      below: tf.Tensor2D | undefined;
    for (let l = 0; l < L; l++) {
      let next: tf.Tensor2D | undefined, g: tf.Tensor2D | undefined;
      run(
        () => {
          const { W, b } = P(l),
            h = layerH(m, l, W, b, z);
          next = tf.keep(rmsNorm(h));
          if (m.update === "residual") g = tf.keep(goodnessMatrix(h, K));
          return loss(h, below);
        },
        l,
        l,
      );
      apply(l);
      if (l > 0) (z as tf.Tensor2D).dispose();
      z = next!;
      if (g) {
        const sum = below ? (tf.add(below, g) as tf.Tensor2D) : g;
        if (below) tf.dispose([below, g]);
        below = sum;
      }
    }
    (z as tf.Tensor2D).dispose();
    below?.dispose();
  }
  tf.dispose([input0.xHat, input0.invR, Y]);
  return total / L;
}

/** Σ_{l ≥ predictFrom} g_{l,k} for every row and label k: an n × K score matrix (predict by row argmax). */
export function dfScores(
  m: DFModel,
  x: Float32Array,
  n: number,
  opts: { noise?: Noise; chunk?: number } = {},
): Float32Array {
  const D = x.length / n,
    K = m.classes;
  const params = perturbLayers(m.layers, opts.noise);
  try {
    return byChunks(n, K, opts.chunk ?? 500, (s, c) =>
      tf.tidy(() => {
        const { xHat, invR } = labelFreeInput(x.subarray(s * D, (s + c) * D), c, K);
        let z: Input0 | tf.Tensor2D = { xHat: tf.tensor2d(xHat, [c, D]), invR: tf.tensor2d(invR, [c, 1]) };
        let score = tf.zeros([c, K]) as tf.Tensor2D;
        params.forEach((p, l) => {
          const h = layerH(m, l, p.W, p.b, z, opts.noise);
          if (l >= m.predictFrom) score = tf.add(score, goodnessMatrix(h, K));
          z = rmsNorm(h);
        });
        return score.dataSync() as Float32Array;
      }),
    );
  } finally {
    params.forEach((p) => tf.dispose([p.W, p.b]));
  }
}
