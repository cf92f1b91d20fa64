/**
 * Hinton's label embedding (Forward-Forward, arXiv:2212.13345; loeweX/Forward-Forward `src/ff_model.py`): the first
 * K pixels of an image (blank in MNIST's corner) are overwritten by the one-hot label. Two ways to feed it: K
 * explicit copies (`embedLabels`), or, since every copy has the same RMS r, the image once plus the label rows of
 * the first weight matrix: RMS-normalised, copy k is x̂ + e_k/r, so its first pre-activation is x̂W + b + W_k/r
 * (`labelFreeInput` + `allLabelsPreactivation`, one matrix product instead of K).
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";
import { rmsNorm } from "./mlp";

/** Copies `x` (n × dim) and overwrites each row's first K entries with the one-hot code of `labels[i]` (Hinton's label embedding). */
export function embedLabels(x: Float32Array, dim: number, labels: ArrayLike<number>, classes = 10): Float32Array {
  const n = labels.length,
    out = new Float32Array(n * dim);
  out.set(x.subarray(0, n * dim));
  for (let i = 0; i < n; i++) {
    out.fill(0, i * dim, i * dim + classes);
    out[i * dim + labels[i]] = 1;
  }
  return out;
}

/**
 * The input of layer 1 for all K label copies at once, without making K copies: the label pixels (0..K−1) are zeroed
 * and every row divided by r = √((Σ_{j≥K} x_j² + 1)/D) + ε, the RMS of the row with any one-hot label embedded (the
 * same for every label, so RMS-normalising each embedded copy gives exactly x̂ + e_k/r). Returns x̂ [B, D] and 1/r [B, 1].
 */
export function labelFreeInput(
  x: Float32Array,
  n: number,
  classes: number,
  eps = 1e-8,
): { xHat: Float32Array; invR: Float32Array } {
  const D = x.length / n,
    xHat = new Float32Array(x.length),
    invR = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the label pixel
    for (let j = classes; j < D; j++) {
      const v = x[i * D + j];
      s += v * v;
    }
    const inv = 1 / (Math.sqrt(s / D) + eps);
    invR[i] = inv;
    for (let j = classes; j < D; j++) xHat[i * D + j] = x[i * D + j] * inv;
  }
  return { xHat, invR };
}

/**
 * The first layer's pre-activations z_k = x̂W + b + W_k/r for every row and label k at once, rows label-minor
 * ([n·K, H]): exactly RMS-normalised K embedded copies times W, plus b (`xHat`, `invR` from `labelFreeInput`).
 */
export function allLabelsPreactivation(
  xHat: tf.Tensor2D,
  invR: tf.Tensor2D,
  W: tf.Tensor,
  b: tf.Tensor,
  classes: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const n = xHat.shape[0],
      H = W.shape[1]!,
      K = classes;
    const u = tf.add(tf.matMul(xHat, W as tf.Tensor2D), b);
    const wk = tf.mul(tf.reshape(tf.slice(W, [0, 0], [K, H]), [1, K, H]), tf.reshape(invR, [n, 1, 1]));
    return tf.reshape(tf.add(tf.reshape(u, [n, 1, H]), wk), [n * K, H]) as tf.Tensor2D;
  });
}

/**
 * max |z_fast − z_copies| between `allLabelsPreactivation` and K explicitly embedded, RMS-normalised copies of the
 * first n rows of x times W plus b: the check that the one-pass first layer is FF's layer (float rounding only).
 */
export function labelCopiesGap(x: Float32Array, n: number, W: tf.Tensor, b: tf.Tensor, classes: number): number {
  return tf.tidy(() => {
    const D = W.shape[0]!,
      rows = x.subarray(0, n * D),
      { xHat, invR } = labelFreeInput(rows, n, classes);
    const fast = allLabelsPreactivation(tf.tensor2d(xHat, [n, D]), tf.tensor2d(invR, [n, 1]), W, b, classes);
    const labels = Int32Array.from({ length: n * classes }, (_, t) => t % classes); // label-minor, as `fast`
    const copies = embedLabels(
      Float32Array.from({ length: n * classes * D }, (_, t) => rows[Math.floor(t / (classes * D)) * D + (t % D)]),
      D,
      labels,
      classes,
    );
    const ref = tf.add(tf.matMul(rmsNorm(tf.tensor2d(copies, [n * classes, D])), W as tf.Tensor2D), b);
    return tf.max(tf.abs(tf.sub(fast, ref))).dataSync()[0];
  });
}
