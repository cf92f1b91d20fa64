/**
 * The neurons of a spiking graph layer as one op: optional STFN on the pre-synaptic input, then LIF neurons over
 * the T steps, forward and backpropagation through time in plain JS (`tf.customGrad`). It computes exactly what
 * `stfn` (./stfn) followed by `unroll` (./lif) compute, which the tests check value for value and gradient for
 * gradient; it exists because those run some 40 small tfjs ops per layer and step, which on wasm cost more than
 * the arithmetic (measured: 19 ms of 25 ms per 600-node, 32-channel layer and epoch).
 *
 *   STFN:  Ŝ^v = ρ V_th (I^v − E[I^v]) / √(Var[I^v] + ε),  Y^v = λ ⊙ Ŝ^v + γ    (per node v over its C·T entries)
 *   LIF:   u_t = k h_{t−1} + Y_t,  o_t = H(u_t − V_th),  h_t = u_t (1 − o_t) (hard) | u_t − V_th o_t (soft) | u_t (none)
 *
 * Backward: ∂o/∂u := σ'(u − V_th) (the surrogate); the reset is differentiated as written (∂h/∂u = 1 − o,
 * ∂h/∂o = u_reset − u for the hard reset), as autodiff of `lifStep` does.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import { tf } from "../tensor";
import { checkLifParams, type LifParams } from "./lif";
import { fastSigmoid } from "./surrogate";

/** STFN settings as the fused op takes them: threshold scale ρ·V_th and ε. */
interface NormSettings {
  rho: number;
  eps: number;
}

/** Per-node standardisation of I [T, N, C] over its C·T entries: x̂ and 1/√(Var + ε) per node. */
function standardise(
  I: Float32Array,
  T: number,
  N: number,
  C: number,
  eps: number,
): { xhat: Float32Array; inv: Float64Array } {
  const xhat = new Float32Array(I.length),
    inv = new Float64Array(N),
    M = T * C;
  for (let v = 0; v < N; v++) {
    let s = 0,
      s2 = 0;
    for (let t = 0; t < T; t++) {
      const o = (t * N + v) * C;
      for (let c = 0; c < C; c++) s += I[o + c];
    }
    const mu = s / M;
    for (let t = 0; t < T; t++) {
      const o = (t * N + v) * C;
      for (let c = 0; c < C; c++) {
        const d = I[o + c] - mu;
        s2 += d * d;
      }
    }
    const r = 1 / Math.sqrt(s2 / M + eps);
    inv[v] = r;
    for (let t = 0; t < T; t++) {
      const o = (t * N + v) * C;
      for (let c = 0; c < C; c++) xhat[o + c] = (I[o + c] - mu) * r;
    }
  }
  return { xhat, inv };
}

/**
 * Spikes [T, N, C] of LIF neurons driven by I [T, N, C], with STFN (λ, γ [C]) applied to I first when `norm` is
 * given. Differentiable in I, λ and γ. `lif` must have a numeric leak and no recurrence (graph layers have none).
 */
export function graphNeurons(
  lif: LifParams,
  I: tf.Tensor3D,
  norm?: { lambda: tf.Tensor1D; gamma: tf.Tensor1D; rho?: number; eps?: number },
): tf.Tensor3D {
  checkLifParams(lif);
  if (typeof lif.kTau !== "number" || lif.V)
    throw new Error("graphNeurons: a numeric leak and no recurrent weights only");
  const k = lif.kTau,
    th = lif.uTh,
    reset = lif.reset,
    uReset = lif.uReset ?? 0,
    sg = lif.surrogate ?? fastSigmoid();
  const detach = lif.detachReset ?? false;
  const ns: NormSettings | undefined = norm && { rho: norm.rho ?? 1, eps: norm.eps ?? 1e-5 };
  const [T, N, C] = I.shape,
    NC = N * C;

  // Reset as numbers, so the per-element loops below carry no string comparisons:
  // h = a·u + b·o with (a, b) = (1 − o, u_reset) for hard, (1, −V_th) for soft, (1, 0) for none.
  const hard = reset === "hard" ? 1 : 0,
    resetO = reset === "hard" ? uReset : reset === "soft" ? -th : 0;
  const grad = sg.grad;

  const run = (x: Float32Array, lam?: Float32Array, gam?: Float32Array) => {
    let y = x,
      st: ReturnType<typeof standardise> | undefined;
    if (ns && lam && gam) {
      st = standardise(x, T, N, C, ns.eps);
      y = new Float32Array(x.length);
      const s = ns.rho * th,
        xh = st.xhat;
      for (let r = 0, q = 0; r < T * N; r++) for (let c = 0; c < C; c++, q++) y[q] = lam[c] * s * xh[q] + gam[c];
    }
    const u = new Float32Array(x.length),
      o = new Float32Array(x.length),
      h = new Float64Array(NC);
    for (let t = 0; t < T; t++) {
      const off = t * NC;
      for (let q = 0; q < NC; q++) {
        const uu = k * h[q] + y[off + q],
          oo = uu >= th ? 1 : 0;
        u[off + q] = uu;
        o[off + q] = oo;
        h[q] = (hard ? uu * (1 - oo) : uu) + resetO * oo;
      }
    }
    return { u, o, st };
  };

  const backward = (fw: ReturnType<typeof run>, dO: Float32Array, lam?: Float32Array) => {
    const dY = new Float32Array(dO.length),
      dh = new Float64Array(NC),
      U = fw.u,
      O = fw.o;
    for (let t = T - 1; t >= 0; t--) {
      const off = t * NC;
      for (let q = 0; q < NC; q++) {
        const uu = U[off + q],
          oo = O[off + q];
        // ∂h/∂u = 1 − o (hard) or 1; ∂h/∂o = u_reset − u (hard), −V_th (soft), 0 (none); cut when the reset is detached
        const dhdu = hard ? 1 - oo : 1,
          dhdo = detach ? 0 : hard ? uReset - uu : resetO;
        const du = dh[q] * dhdu + (dO[off + q] + dh[q] * dhdo) * grad(uu - th);
        dY[off + q] = du;
        dh[q] = k * du;
      }
    }
    if (!fw.st || !ns || !lam) return { dI: dY };
    // Y = λ ρV_th x̂ + γ: dγ_c = Σ dY, dλ_c = Σ ρV_th x̂ dY; layer-norm backward per node for dI.
    const s = ns.rho * th,
      dLam = new Float32Array(C),
      dGam = new Float32Array(C),
      dI = new Float32Array(dO.length),
      M = T * C,
      xh = fw.st.xhat;
    const ls = new Float32Array(C);
    for (let c = 0; c < C; c++) ls[c] = lam[c] * s;
    for (let v = 0; v < N; v++) {
      let m1 = 0,
        m2 = 0;
      for (let t = 0; t < T; t++) {
        const o = (t * N + v) * C;
        for (let c = 0; c < C; c++) {
          const g = dY[o + c],
            dx = g * ls[c];
          dGam[c] += g;
          dLam[c] += s * xh[o + c] * g;
          m1 += dx;
          m2 += dx * xh[o + c];
        }
      }
      m1 /= M;
      m2 /= M;
      const r = fw.st.inv[v];
      for (let t = 0; t < T; t++) {
        const o = (t * N + v) * C;
        for (let c = 0; c < C; c++) dI[o + c] = r * (dY[o + c] * ls[c] - m1 - xh[o + c] * m2);
      }
    }
    return { dI, dLam, dGam };
  };

  if (!norm) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const fw = run((args[0] as tf.Tensor).dataSync() as Float32Array);
      return {
        value: tf.tensor3d(fw.o, [T, N, C]),
        gradFunc: (dy: tf.Tensor) => tf.tensor3d(backward(fw, dy.dataSync() as Float32Array).dI, [T, N, C]),
      };
    }) as (x: tf.Tensor) => tf.Tensor;
    return op(I) as tf.Tensor3D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, lamT, gamT] = args as tf.Tensor[],
      lam = lamT.dataSync() as Float32Array,
      fw = run(x.dataSync() as Float32Array, lam, gamT.dataSync() as Float32Array);
    return {
      value: tf.tensor3d(fw.o, [T, N, C]),
      gradFunc: (dy: tf.Tensor) => {
        const g = backward(fw, dy.dataSync() as Float32Array, lam);
        return [tf.tensor3d(g.dI, [T, N, C]), tf.tensor1d(g.dLam!), tf.tensor1d(g.dGam!)];
      },
    };
  }) as (x: tf.Tensor, lam: tf.Tensor, gam: tf.Tensor) => tf.Tensor;
  return op(I, norm.lambda, norm.gamma) as tf.Tensor3D;
}
