/**
 * A mean-field MLP: h¹ = W⁰x + b⁰, h^{l+1}_i = (1/N_l) Σ_j W^l_ij σ(h^l_j) + b^l_i, with σ = tanh and O(1) weights.
 * The 1/N_l average (Mei, Montanari & Nguyen 2018; Chizat & Bach 2018) is what makes networks of every width
 * share one limit, and it is the scaling the RC ansatz of Chen et al. 2024 (arXiv 2408.08681) is stated in.
 * Weights are plain row-major Float32Arrays (W^l has sizes[l+1] rows and sizes[l] columns).
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import { tf } from "../tensor";

export interface MeanFieldMLP {
  /** Layer widths, input first: [d_in, N_1, …, N_{L−1}, d_out]. */
  sizes: number[];
  /**
   * How a hidden layer's sum is scaled: "mean-field" (default) 1/N_l, or "standard" 1/√N_l (the usual
   * fan-in initialisation written as a fixed factor, Jacot et al. 2018's NTK parametrisation), the control under
   * which widths are not expected to share a weight distribution.
   */
  scaling?: Scaling;
  /** W[l]: sizes[l+1] × sizes[l], row-major. */
  W: Float32Array[];
  b: Float32Array[];
}

export type Scaling = "mean-field" | "standard";

/** The factor in front of layer l's sum: 1 for the input layer (fixed fan-in), 1/N_l (mean-field) or 1/√N_l (standard) for a hidden layer. */
export function layerScale(sizes: readonly number[], l: number, scaling: Scaling = "mean-field"): number {
  return l === 0 ? 1 : scaling === "standard" ? 1 / Math.sqrt(sizes[l]) : 1 / sizes[l];
}

/** Fresh mean-field initialisation: W⁰ ~ N(0, 1/d_in), deeper W ~ N(0, σ_w²) with O(1) σ_w, zero biases. */
export function initMeanField(
  sizes: readonly number[],
  rng: Rng,
  opts: { sigmaW?: number | readonly number[]; scaling?: Scaling } = {},
): MeanFieldMLP {
  const sw = (l: number) => (typeof opts.sigmaW === "number" ? opts.sigmaW : (opts.sigmaW?.[l - 1] ?? 1));
  return {
    sizes: [...sizes],
    ...(opts.scaling && opts.scaling !== "mean-field" ? { scaling: opts.scaling } : {}),
    W: sizes.slice(1).map((n, l) => rng.normalArray(n * sizes[l], 0, l === 0 ? 1 / Math.sqrt(sizes[0]) : sw(l))),
    b: sizes.slice(1).map((n) => new Float32Array(n)),
  };
}

/** Forward pass in float64 JS for n inputs (row-major n × d_in); returns n × d_out outputs. */
export function forward(net: MeanFieldMLP, X: ArrayLike<number>, n: number): Float64Array {
  const { sizes } = net;
  let h = Float64Array.from(X as ArrayLike<number>);
  for (let l = 0; l < sizes.length - 1; l++) {
    const din = sizes[l],
      dout = sizes[l + 1],
      W = net.W[l],
      b = net.b[l],
      s = layerScale(sizes, l, net.scaling);
    const a = l === 0 ? h : h.map(Math.tanh);
    const out = new Float64Array(n * dout);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < dout; i++) {
        let acc = 0;
        for (let j = 0; j < din; j++) acc += W[i * din + j] * a[r * din + j];
        out[r * dout + i] = s * acc + b[i];
      }
    h = out;
  }
  return h;
}

/** The network as tfjs variables (weights transposed to [in, out] for plain matMuls). */
export function toVariables(net: MeanFieldMLP): { W: tf.Variable[]; b: tf.Variable[] } {
  const { sizes } = net;
  return {
    W: net.W.map((w, l) => tf.variable(tf.tidy(() => tf.transpose(tf.tensor2d(w, [sizes[l + 1], sizes[l]]))))),
    b: net.b.map((b) => tf.variable(tf.tensor1d(b))),
  };
}

/** Reads tfjs variables back into a MeanFieldMLP. */
export function fromVariables(
  sizes: readonly number[],
  v: { W: tf.Variable[]; b: tf.Variable[] },
  scaling?: Scaling,
): MeanFieldMLP {
  return {
    sizes: [...sizes],
    ...(scaling && scaling !== "mean-field" ? { scaling } : {}),
    W: v.W.map((w) => tf.tidy(() => tf.transpose(w).dataSync() as Float32Array).slice()),
    b: v.b.map((b) => (b.dataSync() as Float32Array).slice()),
  };
}

/** Forward pass on tensors (float32) for a batch X [n, d_in]. */
export function tfForward(
  sizes: readonly number[],
  v: { W: tf.Tensor[]; b: tf.Tensor[] },
  X: tf.Tensor2D,
  scaling?: Scaling,
): tf.Tensor2D {
  let h: tf.Tensor2D = X;
  for (let l = 0; l < sizes.length - 1; l++) {
    const a = l === 0 ? h : tf.tanh(h);
    h = tf
      .matMul(a, v.W[l] as tf.Tensor2D)
      .mul(layerScale(sizes, l, scaling))
      .add(v.b[l]) as tf.Tensor2D;
  }
  return h;
}

export type LossKind = "mse" | "xent";

/** Mean loss of outputs against targets: ½·mean squared error per output, or softmax cross-entropy (one-hot targets). */
export function tfLoss(kind: LossKind, out: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
  return (
    kind === "mse"
      ? tf.mean(tf.sum(tf.square(out.sub(Y)), -1)).mul(0.5)
      : tf.neg(tf.mean(tf.sum(Y.mul(tf.logSoftmax(out)), -1)))
  ) as tf.Scalar;
}

/** Loss of a network on a whole data set (chunked). */
export function lossOf(
  net: MeanFieldMLP,
  X: Float32Array,
  Y: Float32Array,
  n: number,
  kind: LossKind,
  chunk = 2048,
): number {
  const { sizes } = net;
  const v = {
    W: net.W.map((w, l) => tf.tidy(() => tf.transpose(tf.tensor2d(w, [sizes[l + 1], sizes[l]])))),
    b: net.b.map((b) => tf.tensor1d(b)),
  };
  let s = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    s +=
      m
      * tf.tidy(
        () =>
          tfLoss(
            kind,
            tfForward(sizes, v, tf.tensor2d(X.subarray(i * sizes[0], (i + m) * sizes[0]), [m, sizes[0]]), net.scaling),
            tf.tensor2d(Y.subarray(i * sizes[sizes.length - 1], (i + m) * sizes[sizes.length - 1]), [
              m,
              sizes[sizes.length - 1],
            ]),
          ).dataSync()[0],
      );
  }
  v.W.forEach((t) => t.dispose());
  v.b.forEach((t) => t.dispose());
  return s / n;
}

/**
 * Adam on mini-batches; returns the trained copy and the full-training-set loss every `evalEvery` steps (step 0
 * included), so curves of different runs share an x axis. With `stopAt`, training ends at the first recorded
 * loss ≤ stopAt (time-to-target runs need nothing after that). It yields to the event loop after every step so
 * that a kernel can flush progress displays and receive interrupts while it runs.
 */
export async function train(
  net: MeanFieldMLP,
  X: Float32Array,
  Y: Float32Array,
  n: number,
  opts: {
    kind: LossKind;
    steps: number;
    batch: number;
    lr: number;
    rng: Rng;
    evalEvery?: number;
    stopAt?: number;
    onStep?: (step: number) => void;
  },
): Promise<{ net: MeanFieldMLP; steps: number[]; losses: number[] }> {
  const { sizes } = net,
    din = sizes[0],
    dout = sizes[sizes.length - 1];
  const every = opts.evalEvery ?? 10;
  const v = toVariables(net);
  const Xt = tf.tensor2d(X.subarray(0, n * din), [n, din]),
    Yt = tf.tensor2d(Y.subarray(0, n * dout), [n, dout]);
  const full = () => tf.tidy(() => tfLoss(opts.kind, tfForward(sizes, v, Xt, net.scaling), Yt).dataSync()[0]);
  const opt = tf.train.adam(opts.lr);
  const steps: number[] = [0],
    losses: number[] = [full()];
  for (let s = 1; s <= opts.steps && !(opts.stopAt !== undefined && losses[losses.length - 1] <= opts.stopAt); s++) {
    const idx = tf.tensor1d(
      Int32Array.from({ length: Math.min(opts.batch, n) }, () => opts.rng.int(n)),
      "int32",
    );
    tf.tidy(() => {
      const xb = tf.gather(Xt, idx) as tf.Tensor2D,
        yb = tf.gather(Yt, idx) as tf.Tensor2D;
      opt.minimize(() => tfLoss(opts.kind, tfForward(sizes, v, xb, net.scaling), yb), false, [...v.W, ...v.b]);
    });
    idx.dispose();
    if (s % every === 0 || s === opts.steps) {
      steps.push(s);
      losses.push(full());
    }
    opts.onStep?.(s);
    await new Promise<void>((done) => setImmediate(done));
  }
  const out = fromVariables(sizes, v, net.scaling);
  opt.dispose();
  Xt.dispose();
  Yt.dispose();
  v.W.forEach((t) => t.dispose());
  v.b.forEach((t) => t.dispose());
  return { net: out, steps, losses };
}
