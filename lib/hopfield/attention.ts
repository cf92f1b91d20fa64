/**
 * Softmax attention, written independently of the Hopfield updates so the two can be compared:
 * Attention(Q, K, V) = softmax(β Q Kᵀ) V, one query per row (Vaswani et al. 2017, arXiv 1706.03762).
 * With Q = ξᵀ and K = V = X it is one MCHN update (Ramsauer et al. 2020, arXiv 2008.02217).
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */

/** Row-wise softmax(β Q Kᵀ + bias) V for plain arrays; `keyBias` adds a per-key score offset (e.g. −½‖k‖²). */
export function attention(
  Q: readonly (readonly number[])[],
  K: readonly (readonly number[])[],
  V: readonly (readonly number[])[],
  beta = 1,
  keyBias?: readonly number[],
): number[][] {
  return Q.map((q) => {
    const s = K.map((k, j) => {
      let t = 0;
      for (let i = 0; i < q.length; i++) t += q[i] * k[i];
      return beta * t + (keyBias ? keyBias[j] : 0);
    });
    const m = Math.max(...s);
    const e = s.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    const out = new Array<number>(V[0].length).fill(0);
    V.forEach((v, j) => {
      const w = e[j] / z;
      for (let i = 0; i < out.length; i++) out[i] += w * v[i];
    });
    return out;
  });
}
