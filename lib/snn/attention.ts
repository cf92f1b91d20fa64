/**
 * Multi-dimensional attention for spiking networks (MA-SNN; Yao, Zhao, Zhang, Hu, Deng, Tian, Xu & Li 2023,
 * "Attention spiking neural networks", arXiv:2209.13929), as the official code defines it (BICLab/Attention-SNN,
 * `MA_SNN/module/Attention.py`): each module squeezes the layer's input current X over all axes but one, passes the
 * average- and max-pooled summaries through a shared two-layer MLP (or a k×k convolution for space) and returns a
 * sigmoid weight in (0, 1) that rescales X before it reaches the LIF membrane:
 *
 *   temporal  g_t(X) = σ(W₁ ReLU(W₀ avg_{C,H,W} X) + W₁ ReLU(W₀ max_{C,H,W} X))  ∈ (0,1)^{T}   (per sample)
 *   channel   g_c(X) = σ(W₁ ReLU(W₀ avg_{T,H,W} X) + W₁ ReLU(W₀ max_{T,H,W} X))  ∈ (0,1)^{C}
 *   spatial   g_s(X) = σ(f_{k×k}([avg_{T,C} X ; max_{T,C} X]))                  ∈ (0,1)^{H×W}
 *   TCSA      X' = ReLU(g_s(X₂) ⊙ X₂),  X₂ = g_c(X₁) ⊙ X₁,  X₁ = g_t(X) ⊙ X
 *
 * Layout: X is [T, B, P, C] with P = H·W pixels (rank ≤ 4 keeps tfjs-wasm on its fast paths). The official code
 * ends every attention variant with a ReLU (the vanilla network has none); we keep that.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { conv2dSame } from "./conv";

/** Which attention a layer uses: none (vanilla), one dimension, or combinations as in the official code. */
export type MaKind = "none" | "TA" | "CA" | "SA" | "TCA" | "TSA" | "CSA" | "TCSA";
export const MA_KINDS: readonly MaKind[] = ["none", "TA", "CA", "SA", "TCA", "TSA", "CSA", "TCSA"];

/** The shared MLP of a squeeze-and-excitation block: n → n/r → n, no biases. */
export interface SqueezeMlp {
  W0: tf.Variable;
  W1: tf.Variable;
}
/** Trainable tensors of one layer's attention (absent parts are unused by its kind). */
export interface MaParams {
  temporal?: SqueezeMlp;
  channel?: SqueezeMlp;
  spatial?: { w: tf.Variable; k: number };
}

function mlp(n: number, r: number, rng: Rng): SqueezeMlp {
  const m = Math.max(1, Math.floor(n / r));
  return {
    W0: tf.variable(tf.tensor2d(rng.normalArray(n * m, 0, Math.sqrt(2 / n)), [n, m])),
    W1: tf.variable(tf.tensor2d(rng.normalArray(m * n, 0, Math.sqrt(1 / m)), [m, n])),
  };
}

/** Seeded parameters for attention `kind` on a layer with T steps and C channels (reductions r_t, r_c; k×k spatial conv). */
export function initMaAttention(
  kind: MaKind,
  T: number,
  C: number,
  rng: Rng,
  o: { tRatio?: number; cRatio?: number; k?: number } = {},
): MaParams {
  const p: MaParams = {};
  if (kind.includes("T")) p.temporal = mlp(T, o.tRatio ?? 4, rng);
  if (kind.includes("C")) p.channel = mlp(C, o.cRatio ?? 4, rng);
  if (kind.includes("S") && kind !== "none") {
    const k = o.k ?? 3;
    p.spatial = {
      k,
      w: tf.variable(tf.tensor2d(rng.normalArray(k * k * 2, 0, Math.sqrt(1 / (k * k * 2))), [k * k * 2, 1])),
    };
  }
  return p;
}

/** Every trainable tensor of a layer's attention. */
export function maVariables(p: MaParams): tf.Variable[] {
  return [p.temporal?.W0, p.temporal?.W1, p.channel?.W0, p.channel?.W1, p.spatial?.w].filter(
    (v): v is tf.Variable => v !== undefined,
  );
}

/**
 * max over `axes` with the gradient routed to the maxima by 1 − step(max − x) instead of tfjs's
 * cast(equal(x, max)), whose broadcasting comparison is 20× slower on wasm. Ties share the gradient, as in tfjs.
 */
const maxOver = (x: tf.Tensor, axes: number[]): tf.Tensor => {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const v = args[0] as tf.Tensor,
      save = args[1] as tf.GradSaveFunc;
    const m = tf.max(v, axes);
    save([v, m]);
    return {
      value: m,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const mk = tf.reshape(saved[1], keep);
        return tf.mul(tf.reshape(dy, keep), tf.sub(1, tf.step(tf.sub(mk, saved[0]))));
      },
    };
  })(x);
};

// σ(MLP(avg) + MLP(max)) on [B, n] summaries.
function excite(m: SqueezeMlp, avg: tf.Tensor2D, max: tf.Tensor2D): tf.Tensor2D {
  const f = (z: tf.Tensor2D) => tf.matMul(tf.relu(tf.matMul(z, m.W0 as tf.Tensor2D)), m.W1 as tf.Tensor2D);
  return tf.sigmoid(tf.add(f(avg), f(max))) as tf.Tensor2D;
}

/** Temporal attention weights g_t ∈ (0,1), shape [T, B]: one weight per time step per sample. */
export function temporalAttention(m: SqueezeMlp, x: tf.Tensor4D): tf.Tensor2D {
  const [T, B] = x.shape;
  const flat = tf.reshape(x, [T, B, -1]);
  const avg = tf.transpose(tf.mean(flat, 2)) as tf.Tensor2D,
    max = tf.transpose(maxOver(flat, [2])) as tf.Tensor2D; // [B, T]
  return tf.transpose(excite(m, avg, max)) as tf.Tensor2D;
}

/** Channel attention weights g_c ∈ (0,1), shape [B, C]: one weight per channel per sample, shared over time and space. */
export function channelAttention(m: SqueezeMlp, x: tf.Tensor4D): tf.Tensor2D {
  const avg = tf.mean(x, [0, 2]) as tf.Tensor2D,
    max = maxOver(x, [0, 2]) as tf.Tensor2D; // [B, C]
  return excite(m, avg, max);
}

/** Spatial attention weights g_s ∈ (0,1), shape [B, P] (P = h·w): a k×k conv over the [mean_{T,C}; max_{T,C}] maps. */
export function spatialAttention(s: { w: tf.Variable; k: number }, x: tf.Tensor4D, h: number, w: number): tf.Tensor2D {
  const [T, B, P, C] = x.shape;
  // the official code pools over the merged (T·C) axis: mean and max over time and channels together
  const perPixel = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [B, P, T * C]);
  const maps = tf.stack([tf.mean(perPixel, 2), maxOver(perPixel, [2])], 2); // [B, P, 2]
  const conv = conv2dSame(tf.reshape(maps, [B, h, w, 2]) as tf.Tensor4D, s.w as tf.Tensor2D, s.k);
  return tf.sigmoid(tf.reshape(conv, [B, P])) as tf.Tensor2D;
}

/**
 * Applies attention `kind` to a layer's input current x [T, B, P, C] (P = h·w) in the official order
 * (temporal, then channel, then spatial, each on the previous output), followed by ReLU; "none" returns x.
 */
export function maAttention(kind: MaKind, p: MaParams, x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  if (kind === "none") return x;
  const [T, B, P] = x.shape;
  let out: tf.Tensor4D = x;
  if (p.temporal) out = tf.mul(out, tf.reshape(temporalAttention(p.temporal, out), [T, B, 1, 1]));
  if (p.channel) {
    const g = channelAttention(p.channel, out);
    out = tf.mul(out, tf.reshape(g, [1, B, 1, g.shape[1]]));
  }
  if (p.spatial) out = tf.mul(out, tf.reshape(spatialAttention(p.spatial, out, h, w), [1, B, P, 1]));
  return tf.relu(out);
}
