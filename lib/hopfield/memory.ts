/**
 * A trained transformer read as an associative memory of its training samples (Niu, Bai, Deng & Han 2024,
 * arXiv 2405.08707, §3.1 "models memorise the patterns of the training data", §6.1 "empirical evaluation of the
 * radius"). The stored patterns ρ_i are the last-layer representations of the training contexts, each with the
 * token y_i that followed it; a held-out context x is retrieved by the distance energy over them.
 *  - radius: r(x) = min_i ‖x − ρ_i‖, the distance from a held-out representation to its nearest stored pattern,
 *    against the separation s_i = min_{j ≠ i} ‖ρ_i − ρ_j‖ of the stored patterns themselves;
 *  - the memory's predicted loss: the cross-entropy of the read-out p(k | x) = Σ_i softmax_i(−β ½‖x − ρ_i‖²) 1[y_i = k]
 *    (the MM step's weights, §4, applied to the stored next tokens), mixed with ε of the uniform distribution.
 * (Reconstructed: the paper's own radius statistic and bound were not retrievable; see the notebook.)
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import { tf } from "../tensor";
import { median } from "../stats";
import { lmHidden, type TinyLM } from "./transformer";

/** Representations x_t ∈ R^d (rows of X) of n contexts and the token y_t that follows each. */
export interface States {
  X: Float32Array;
  y: Int32Array;
  n: number;
  d: number;
}

/** The last-layer states of every position of the first `maxWindows` windows: each position t of a window is one context. */
export function lastLayerStates(m: TinyLM, windows: tf.Tensor2D, maxWindows = Infinity): States {
  const b = Math.min(maxWindows, windows.shape[0]),
    T = windows.shape[1] - 1,
    d = m.cfg.dModel;
  return tf.tidy(() => {
    const w = windows.slice([0, 0], [b, -1]);
    return {
      X: lmHidden(m, w.slice([0, 0], [b, T]) as tf.Tensor2D).dataSync() as Float32Array,
      y: w.slice([0, 1], [b, T]).dataSync() as Int32Array,
      n: b * T,
      d,
    };
  });
}

/**
 * Squared distances ‖q_a − ρ_i‖² [nQ × nS], in plain JS: for these shapes (d ≤ 64, thousands of patterns) a tfjs
 * wasm matMul with a small inner dimension was measured 20× slower than the loop.
 */
export function squaredDistances(queries: States, stored: States): Float32Array {
  const { d } = queries,
    Q = queries.X,
    S = stored.X,
    out = new Float32Array(queries.n * stored.n);
  for (let a = 0; a < queries.n; a++)
    for (let i = 0; i < stored.n; i++) {
      let t = 0;
      for (let k = 0; k < d; k++) {
        const u = Q[a * d + k] - S[i * d + k];
        t += u * u;
      }
      out[a * stored.n + i] = t;
    }
  return out;
}

/** The radius of the memory: for each query its nearest-pattern distance r and whether that pattern's next token is the query's. */
export function nearestPatterns(
  queries: States,
  stored: States,
  d2 = squaredDistances(queries, stored),
  skipSelf = false,
): { r: Float64Array; sameNext: Uint8Array } {
  const r = new Float64Array(queries.n),
    sameNext = new Uint8Array(queries.n);
  for (let a = 0; a < queries.n; a++) {
    let best = Infinity,
      bi = -1;
    for (let i = 0; i < stored.n; i++) {
      if (skipSelf && i === a) continue;
      const v = d2[a * stored.n + i];
      if (v < best) {
        best = v;
        bi = i;
      }
    }
    r[a] = Math.sqrt(best);
    sameNext[a] = stored.y[bi] === queries.y[a] ? 1 : 0;
  }
  return { r, sameNext };
}

/**
 * Mean cross-entropy of the memory read-out on the queries,
 *   −(1/n) Σ_a log[(1 − ε) Σ_i softmax_i(−β ½ d²_ai) 1[y_i = y_a] + ε/V],
 * computed stably in log space. `skipSelf` leaves each query's own pattern out (queries = stored, leave-one-out).
 */
export function memoryLoss(
  queries: States,
  stored: States,
  vocab: number,
  beta: number,
  eps = 0.01,
  d2 = squaredDistances(queries, stored),
  skipSelf = false,
): number {
  let total = 0;
  const nS = stored.n,
    y = stored.y;
  for (let a = 0; a < queries.n; a++) {
    // log-sum-exp over all stored patterns and over those followed by the query's token, in two passes without allocation
    const row = a * nS,
      target = queries.y[a];
    let m = -Infinity;
    for (let i = 0; i < nS; i++)
      if (!(skipSelf && i === a)) {
        const z = -0.5 * beta * d2[row + i];
        if (z > m) m = z;
      }
    let all = 0,
      hit = 0;
    for (let i = 0; i < nS; i++) {
      if (skipSelf && i === a) continue;
      const e = Math.exp(-0.5 * beta * d2[row + i] - m);
      all += e;
      if (y[i] === target) hit += e;
    }
    total -= Math.log((1 - eps) * (hit / all) + eps / vocab);
  }
  return total / queries.n;
}

/**
 * β chosen on the stored patterns alone, by leave-one-out over a geometric grid scaled by the typical squared
 * nearest-pattern distance r̄² (β r̄² ∈ {2^−3 … 2^5}): the read-out's temperature is fitted on training data only.
 */
export function fitBeta(stored: States, vocab: number, eps = 0.01, probe = 400): number {
  const sub: States = {
    X: stored.X.subarray(0, Math.min(probe, stored.n) * stored.d),
    y: stored.y.subarray(0, Math.min(probe, stored.n)),
    n: Math.min(probe, stored.n),
    d: stored.d,
  };
  const d2 = squaredDistances(sub, stored);
  const { r } = nearestPatterns(sub, stored, d2, true);
  const r2 = Math.max(1e-6, [...r].sort((a, b) => a - b)[Math.floor(r.length / 2)] ** 2);
  let best = Infinity,
    beta = 1 / r2;
  for (let k = -3; k <= 5; k++) {
    const b = 2 ** k / r2,
      l = memoryLoss(sub, stored, vocab, b, eps, d2, true);
    if (l < best) {
      best = l;
      beta = b;
    }
  }
  return beta;
}

/** What the memory reading of one model measures, trained and (subscript 0) at its initialisation. */
export interface MemoryReading {
  r: number;
  r0: number;
  sep: number;
  memLoss: number;
  memLoss0: number;
  beta: number;
}

/**
 * The memory reading of a trained model against its untrained twin: the median radius r (held-out state to nearest
 * stored pattern), the stored patterns' own median spacing (leave-one-out), and the memory read-out's held-out
 * loss with β fitted on the stored patterns; the same radius and loss for the twin's states. Stored patterns are
 * the states of the first `stored` training windows (default 128), queries those of the first `queries` held-out
 * windows (default 32); β is fitted on `probe` stored states (default 100).
 */
export function memoryReading(
  m: TinyLM,
  initial: TinyLM,
  train: tf.Tensor2D,
  heldOut: tf.Tensor2D,
  opts: { stored?: number; queries?: number; probe?: number; eps?: number } = {},
): MemoryReading {
  const V = m.cfg.vocab,
    eps = opts.eps ?? 0.01;
  const one = (net: TinyLM) => {
    const S = lastLayerStates(net, train, opts.stored ?? 128),
      Q = lastLayerStates(net, heldOut, opts.queries ?? 32),
      d2 = squaredDistances(Q, S);
    const beta = fitBeta(S, V, eps, opts.probe ?? 100);
    const self = nearestPatterns(lastLayerStates(net, train, opts.queries ?? 32), S, undefined, true);
    return {
      r: median(nearestPatterns(Q, S, d2).r),
      sep: median(self.r),
      loss: memoryLoss(Q, S, V, beta, eps, d2),
      beta,
    };
  };
  const a = one(m),
    b = one(initial);
  return { r: a.r, r0: b.r, sep: a.sep, memLoss: a.loss, memLoss0: b.loss, beta: a.beta };
}
