/**
 * A generated corpus with a known entropy: an order-k Markov source over V tokens in which every context has a
 * few allowed successors with Dirichlet weights. Its entropy rate H = Σ_c π(c) H(P(·|c)) is the Bayes floor of
 * any next-token predictor that sees at least k previous tokens (Shannon 1948).
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import type { Rng } from "../rng";
import { entropyOfCounts } from "./bounds";

export interface MarkovSource {
  vocab: number;
  order: number;
  /** Transition table, row c (context index in base V) × next token. */
  P: Float64Array;
  /** Entropy rate in nats per token (stationary average of the row entropies). */
  entropyRate: number;
  /** Stationary distribution over contexts. */
  stationary: Float64Array;
}

/** Gamma(a, 1) draw by Marsaglia & Tsang 2000 (a ≥ 1; boosted for a < 1). */
function gamma(r: Rng, a: number): number {
  if (a < 1) return gamma(r, a + 1) * (r.uniform() || 1e-300) ** (1 / a);
  const d = a - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = r.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Builds a random order-k source: each context gets `branching` successors with Dirichlet(α) probabilities. */
export function markovSource(opts: {
  vocab: number;
  order: number;
  branching: number;
  alpha?: number;
  rng: Rng;
}): MarkovSource {
  const { vocab: V, order: k, branching, rng } = opts;
  const alpha = opts.alpha ?? 1;
  const C = V ** k;
  const P = new Float64Array(C * V);
  for (let c = 0; c < C; c++) {
    const succ = Array.from(rng.permutation(V)).slice(0, branching);
    const g = succ.map(() => gamma(rng, alpha));
    const z = g.reduce((a, b) => a + b, 0);
    succ.forEach((s, i) => {
      P[c * V + s] = g[i] / z;
    });
  }
  // stationary distribution over contexts by power iteration: context (a_1..a_k) → (a_2..a_k, next)
  let pi = new Float64Array(C).fill(1 / C);
  for (let it = 0; it < 2000; it++) {
    const nx = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      if (pi[c] === 0) continue;
      const shifted = (c * V) % C;
      for (let s = 0; s < V; s++) {
        const p = P[c * V + s];
        if (p > 0) nx[shifted + s] += pi[c] * p;
      }
    }
    let diff = 0;
    for (let c = 0; c < C; c++) diff += Math.abs(nx[c] - pi[c]);
    pi = nx;
    if (diff < 1e-13) break;
  }
  let H = 0;
  for (let c = 0; c < C; c++) if (pi[c] > 0) H += pi[c] * entropyOfCounts(P.subarray(c * V, (c + 1) * V));
  return { vocab: V, order: k, P, entropyRate: H, stationary: pi };
}

/** Samples n tokens from the source, starting from a context drawn from its stationary distribution. */
export function sampleSource(src: MarkovSource, n: number, rng: Rng): Int32Array {
  const { vocab: V, order: k, P, stationary } = src;
  const C = V ** k;
  const draw = (probs: ArrayLike<number>, len: number, off = 0) => {
    let u = rng.uniform(),
      i = 0;
    for (; i < len - 1; i++) {
      u -= probs[off + i];
      if (u < 0) break;
    }
    return i;
  };
  let c = draw(stationary, C);
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const s = draw(P, V, c * V);
    out[t] = s;
    c = ((c * V) % C) + s;
  }
  return out;
}

/** Probabilities of the next token after `history` under the source (its last k tokens set the context). */
export function sourceNextProbs(src: MarkovSource, history: ArrayLike<number>): Float64Array {
  const { vocab: V, order: k } = src;
  let c = 0;
  for (let i = history.length - k; i < history.length; i++) c = c * V + history[i];
  return src.P.slice(c * V, (c + 1) * V);
}

/**
 * The source's own loss on a token stream cut into windows of T + 1 (as `toWindows` cuts it): the mean of
 * −log P(next | previous k tokens) over every target that has k tokens of history inside its window, with its
 * standard error s/√n. No predictor's expected held-out loss is below the entropy rate it estimates.
 */
export function oracleLoss(src: MarkovSource, tokens: Int32Array, T: number): { mean: number; se: number } {
  const n = Math.floor(tokens.length / (T + 1));
  let s = 0,
    s2 = 0,
    m = 0;
  for (let i = 0; i < n; i++)
    for (let j = src.order; j <= T; j++) {
      const t = i * (T + 1) + j,
        l = -Math.log(sourceNextProbs(src, tokens.subarray(t - src.order, t))[tokens[t]]);
      s += l;
      s2 += l * l;
      m++;
    }
  const mean = s / m;
  return { mean, se: Math.sqrt(Math.max(0, s2 / m - mean * mean) / m) };
}
