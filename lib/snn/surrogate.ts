/**
 * Surrogate gradients for the spike nonlinearity. The forward pass is the Heaviside step
 * o = H(x), x = u − u_th (a spike when the membrane reaches threshold); its true derivative is zero almost
 * everywhere, so the backward pass substitutes the derivative of a smooth stand-in σ(x):
 *   ∂o/∂x := σ'(x).
 * Each surrogate is plain data (`name`, `alpha`, `grad`): the formula lives in one place and is shared by the
 * tensor op (`spikeFn`) and the tests. Written with `tf.customGrad`, as tfjs-core writes its composite ops.
 * Survey: Neftci, Mostafa & Zenke 2019, "Surrogate gradient learning in SNNs", arXiv:1901.09948.
 * @see notebooks/07-lif-components.ipynb
 */
import * as tf from "@tensorflow/tfjs";

export type SurrogateName = "fastSigmoid" | "arctan" | "sigmoid" | "rectangular" | "triangle";

/** A surrogate derivative σ'(x; α) with its sharpness α; `grad` is the formula on a number (used by tests and plots). */
export interface Surrogate {
  readonly name: SurrogateName;
  /** Sharpness: larger α gives a narrower, taller pseudo-derivative. */
  readonly alpha: number;
  /** σ'(x) on a plain number. */
  grad(x: number): number;
  /** σ'(x) elementwise on a tensor (same formula). */
  gradTensor(x: tf.Tensor): tf.Tensor;
}

/**
 * Fast sigmoid / SuperSpike: σ'(x) = 1 / (1 + α|x|)², the derivative of x / (1 + α|x|) up to a factor α
 * (Zenke & Ganguli 2018, "SuperSpike", arXiv:1705.11146; snnTorch's default with α = 25).
 */
export function fastSigmoid(alpha = 25): Surrogate {
  return {
    name: "fastSigmoid",
    alpha,
    grad: (x) => 1 / (1 + alpha * Math.abs(x)) ** 2,
    gradTensor: (x) => tf.tidy(() => tf.reciprocal(tf.square(tf.add(1, tf.mul(alpha, tf.abs(x)))))),
  };
}

/**
 * Arctan: σ(x) = ½ + arctan(π α x / 2) / π, so σ'(x) = (α/2) / (1 + (π α x / 2)²)
 * (Fang et al. 2021, "Incorporating learnable membrane time constant", arXiv:2007.05785; SpikingJelly's default, α = 2).
 */
export function arctan(alpha = 2): Surrogate {
  const c = (Math.PI * alpha) / 2;
  return {
    name: "arctan",
    alpha,
    grad: (x) => alpha / 2 / (1 + (c * x) ** 2),
    gradTensor: (x) => tf.tidy(() => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(c, x))))),
  };
}

/** Logistic: σ(x) = 1 / (1 + e^{−αx}), σ'(x) = α σ(x)(1 − σ(x)) (Zenke & Vogels 2021, Neural Computation 33:899). */
export function sigmoid(alpha = 4): Surrogate {
  const s = (x: number) => 1 / (1 + Math.exp(-alpha * x));
  return {
    name: "sigmoid",
    alpha,
    grad: (x) => alpha * s(x) * (1 - s(x)),
    gradTensor: (x) =>
      tf.tidy(() => {
        const v = tf.sigmoid(tf.mul(alpha, x));
        return tf.mul(alpha, tf.mul(v, tf.sub(1, v)));
      }),
  };
}

/** Rectangular (boxcar): σ'(x) = α · 1[|x| < 1/(2α)], unit area (Wu et al. 2018, STBP, arXiv:1706.02609). */
export function rectangular(alpha = 1): Surrogate {
  const half = 1 / (2 * alpha);
  return {
    name: "rectangular",
    alpha,
    grad: (x) => (Math.abs(x) < half ? alpha : 0),
    gradTensor: (x) => tf.tidy(() => tf.mul(alpha, tf.cast(tf.less(tf.abs(x), half), "float32"))),
  };
}

/** Triangle: σ'(x) = max(0, α − α²|x|), unit area (Esser et al. 2016, arXiv:1603.08270; Bellec et al. 2018). */
export function triangle(alpha = 1): Surrogate {
  return {
    name: "triangle",
    alpha,
    grad: (x) => Math.max(0, alpha - alpha * alpha * Math.abs(x)),
    gradTensor: (x) => tf.tidy(() => tf.relu(tf.sub(alpha, tf.mul(alpha * alpha, tf.abs(x))))),
  };
}

/** The surrogates by name, each a factory taking α (default as in its source). */
export const surrogates: Readonly<Record<SurrogateName, (alpha?: number) => Surrogate>> = Object.freeze({
  fastSigmoid,
  arctan,
  sigmoid,
  rectangular,
  triangle,
});

/**
 * Heaviside step H(x) = 1 if x ≥ 0 else 0, as float32 (no gradient: use `spikeFn` for training). Written
 * 1 − step(−x) (tf.step is 1 for x > 0): on wasm that is 4× faster than a comparison and a cast, and keeps H(0) = 1.
 */
export function heaviside(x: tf.Tensor): tf.Tensor {
  return tf.sub(1, tf.step(tf.neg(x)));
}

const cache = new Map<string, (x: tf.Tensor) => tf.Tensor>();

/**
 * The spike op o = H(x) whose backward pass is dy · σ'(x) for the given surrogate (default fast sigmoid, α = 25).
 * Apply it to x = u − u_th.
 */
export function spikeFn(surrogate: Surrogate = fastSigmoid()): (x: tf.Tensor) => tf.Tensor {
  const key = `${surrogate.name}:${surrogate.alpha}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor,
      save = args[1] as tf.GradSaveFunc;
    save([x]);
    return {
      value: heaviside(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, surrogate.gradTensor(saved[0])),
    };
  }) as (x: tf.Tensor) => tf.Tensor;
  cache.set(key, f);
  return f;
}
