/**
 * A tiny decoder-only transformer in tfjs (one head per block, pre-LayerNorm, learned positions), small enough to
 * train in seconds on 2 cores. Token embeddings are a matMul with one-hot rows because tf.gather has no gradient
 * on the wasm backend (see tfjs-notes). Architecture after Vaswani et al. 2017 (arXiv 1706.03762) / GPT-2.
 * (Several models side by side as one batched graph was tried and is slower on wasm: its BatchMatMul with a
 * batch axis costs more per model than separate plain matMuls.)
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";

export interface TinyLMConfig {
  vocab: number;
  context: number;
  dModel: number;
  layers: number;
  dFF?: number;
}

export interface TinyLM {
  cfg: Required<TinyLMConfig>;
  vars: Record<string, tf.Variable>;
}

/** Initialises a tiny LM with N(0, 1/fan_in) weights drawn from seeds of `rng`, zero biases and unit LayerNorm gains. */
export function initTinyLM(config: TinyLMConfig, rng: Rng): TinyLM {
  const cfg = { dFF: 4 * config.dModel, ...config };
  const { vocab: V, context: T, dModel: d, dFF: f } = cfg;
  const vars: Record<string, tf.Variable> = {};
  // unnamed variables: tfjs variable names are global, and several models may be alive at once
  const w = (name: string, shape: number[], std: number) => {
    vars[name] = tf.variable(tf.randomNormal(shape, 0, std, "float32", rng.seedInt()));
  };
  const c = (name: string, shape: number[], v: number) => {
    vars[name] = tf.variable(tf.fill(shape, v));
  };
  w("emb", [V, d], 1);
  w("pos", [T, d], 0.1);
  for (let l = 0; l < cfg.layers; l++) {
    for (const m of ["q", "k", "v", "o"]) w(`${m}${l}`, [d, d], 1 / Math.sqrt(d));
    w(`f1_${l}`, [d, f], 1 / Math.sqrt(d));
    c(`fb1_${l}`, [f], 0);
    w(`f2_${l}`, [f, d], 1 / Math.sqrt(f));
    c(`fb2_${l}`, [d], 0);
    for (const n of ["a", "f"]) {
      c(`g${n}${l}`, [d], 1);
      c(`b${n}${l}`, [d], 0);
    }
  }
  c("gF", [d], 1);
  c("bF", [d], 0);
  w("out", [d, V], 1 / Math.sqrt(d));
  c("bout", [V], 0);
  return { cfg, vars };
}

/** Number of trainable parameters. */
export function paramCount(m: TinyLM): number {
  return Object.values(m.vars).reduce((s, v) => s + v.size, 0);
}

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b) as tf.Tensor2D;
}

/** softmax(β Q Kᵀ + mask) V for batched [B, T, d] tensors: the attention a transformer block computes. */
export function tfAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  beta: number,
  mask?: tf.Tensor,
): tf.Tensor3D {
  let s = tf.matMul(q, tf.transpose(k, [0, 2, 1])).mul(beta);
  if (mask) s = s.add(mask);
  return tf.matMul(tf.softmax(s), v) as tf.Tensor3D;
}

/**
 * The last layer's representations x [B·T, d] for token windows [B, T], after the final LayerNorm: what the
 * read-out compares with its token vectors, and the states the paper reads as retrieved memories.
 */
export function lmHidden(m: TinyLM, tokens: tf.Tensor2D): tf.Tensor2D {
  const { vocab: V, dModel: d } = m.cfg;
  const [B, T] = tokens.shape;
  const P = m.vars;
  const mask = tf.linalg
    .bandPart(tf.ones([T, T]), -1, 0)
    .sub(1)
    .mul(1e9);
  let h = tf
    .matMul(tf.oneHot(tokens.reshape([B * T]), V).toFloat(), P.emb)
    .reshape([B, T, d])
    .add(P.pos.slice([0, 0], [T, d]))
    .reshape([B * T, d]) as tf.Tensor2D;
  for (let l = 0; l < m.cfg.layers; l++) {
    const a = layerNorm(h, P[`ga${l}`], P[`ba${l}`]);
    const proj = (w: string) => tf.matMul(a, P[`${w}${l}`]).reshape([B, T, d]) as tf.Tensor3D;
    const att = tfAttention(proj("q"), proj("k"), proj("v"), 1 / Math.sqrt(d), mask).reshape([B * T, d]);
    h = h.add(tf.matMul(att, P[`o${l}`]));
    const f = layerNorm(h, P[`gf${l}`], P[`bf${l}`]);
    h = h.add(tf.matMul(tf.relu(tf.matMul(f, P[`f1_${l}`]).add(P[`fb1_${l}`])), P[`f2_${l}`]).add(P[`fb2_${l}`]));
  }
  return layerNorm(h, P.gF, P.bF);
}

/** Logits [B·T, V] for a batch of token windows [B, T]: the read-out z_k = x·w_k + b_k of the last representations. */
export function lmLogits(m: TinyLM, tokens: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(lmHidden(m, tokens), m.vars.out).add(m.vars.bout) as tf.Tensor2D;
}

/** Next-token cross-entropies −log p(y_t | y_<t) [n, T] of windows [n, T+1]: inputs the first T tokens, targets the last T. */
export function tokenLosses(m: TinyLM, windows: tf.Tensor2D): tf.Tensor2D {
  const [n, T1] = windows.shape;
  const x = windows.slice([0, 0], [n, T1 - 1]),
    y = windows.slice([0, 1], [n, T1 - 1]).reshape([n * (T1 - 1)]);
  return tf
    .neg(
      tf.sum(
        tf
          .oneHot(y, m.cfg.vocab)
          .toFloat()
          .mul(tf.logSoftmax(lmLogits(m, x as tf.Tensor2D))),
        -1,
      ),
    )
    .reshape([n, T1 - 1]) as tf.Tensor2D;
}

/** Mean next-token cross-entropy (nats) of windows [n, T+1]. */
export function lmLoss(m: TinyLM, windows: tf.Tensor2D): tf.Scalar {
  return tokenLosses(m, windows).mean() as tf.Scalar;
}

/** Cuts a token stream into non-overlapping windows of T+1 tokens, as a [n, T+1] int32 tensor. */
export function toWindows(tokens: Int32Array, T: number): tf.Tensor2D {
  const n = Math.floor(tokens.length / (T + 1));
  return tf.tensor2d(tokens.subarray(0, n * (T + 1)), [n, T + 1], "int32");
}

/** Mean cross-entropy over all windows, evaluated in chunks. */
export function evalLoss(m: TinyLM, windows: tf.Tensor2D, chunk = 256): number {
  const n = windows.shape[0];
  let s = 0;
  for (let i = 0; i < n; i += chunk) {
    const b = Math.min(chunk, n - i);
    s += tf.tidy(() => lmLoss(m, windows.slice([i, 0], [b, -1]) as tf.Tensor2D).dataSync()[0]) * b;
  }
  return s / n;
}

/**
 * Adam training on random mini-batches of windows; returns the training-loss curve (one value per step). Yields to
 * the event loop after every step so a kernel can flush progress displays and receive interrupts.
 */
export async function trainLM(
  m: TinyLM,
  windows: tf.Tensor2D,
  opts: { steps: number; batch: number; lr: number; rng: Rng; onStep?: (step: number, loss: number) => void },
): Promise<number[]> {
  const opt = tf.train.adam(opts.lr);
  const n = windows.shape[0];
  const curve: number[] = [],
    varList = Object.values(m.vars); // this model's variables only, whatever else is alive
  for (let s = 0; s < opts.steps; s++) {
    const idx = Int32Array.from({ length: Math.min(opts.batch, n) }, () => opts.rng.int(n));
    const loss = tf.tidy(() => {
      const batch = tf.gather(windows, tf.tensor1d(idx, "int32")) as tf.Tensor2D;
      return opt.minimize(() => lmLoss(m, batch), true, varList) as tf.Scalar;
    });
    const v = loss.dataSync()[0];
    loss.dispose();
    curve.push(v);
    opts.onStep?.(s, v);
    await new Promise<void>((done) => setImmediate(done));
  }
  opt.dispose();
  return curve;
}

/** Frees the model's variables. */
export function disposeLM(m: TinyLM): void {
  for (const v of Object.values(m.vars)) v.dispose();
}
