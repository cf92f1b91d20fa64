/**
 * Graph attention on spikes (GA-SNN; Xu et al. 2021, arXiv 2107.06865; spiking graph attention, arXiv 2403.17040)
 * and its non-spiking reference GAT (Veličković et al. 2018, arXiv 1710.10903). At every step t and head k,
 *
 *   h_i^t = W S_i^t,   e_ij^t = LeakyReLU(aᵀ[h_i^t ‖ h_j^t]) = LeakyReLU(a_lᵀ h_i^t + a_rᵀ h_j^t),
 *   α_ij^t = softmax_{j ∈ N(i) ∪ {i}} e_ij^t,   I_i^t = ‖_k Σ_j α_ij^{t,k} h_j^{t,k},
 *
 * and I feeds STFN (optional) and LIF neurons exactly as the spiking graph convolution's G(A, W S) does
 * (SGNNBench's GAConv, Zhhuizhe/SGNNBench sgnnbenchmark/nn/conv/stfn_conv.py, computes the same score and softmax;
 * it then averages instead of summing and adds an output projection, which we leave out).
 * This score is *static* (Brody, Alon & Yahav 2022, arXiv 2105.14491): e_ij is monotone in a_rᵀh_j, so every node
 * ranks its neighbours in the same order and cannot prefer the neighbours of its own class. The `bilinear`
 * option scores e_ij = h_iᵀ diag(a) h_j instead (a dot-product attention with a learned diagonal metric, same
 * parameter count as a_l), which can; it is our addition, not the paper's.
 * The attention is one sparse op over the edges of A + I, computed in JS with a hand-written gradient
 * (`tf.customGrad`): tfjs has no segment softmax, and wasm has no gradient for tf.gather. It is checked against
 * tfjs autodiff of the dense masked softmax in graph-attention.test.ts.
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { withSelfLoops, type Csr, type Graph } from "../graph/csr";
import type { LifParams } from "./lif";
import { stfnInit } from "./stfn";
import { graphNeurons } from "./graph-lif";
import { glorot, timeLinear } from "./graph-conv";

/**
 * Attention score: the paper's GAT score LeakyReLU(a_lᵀh_i + a_rᵀh_j); the bilinear h_iᵀ diag(a_l) h_j (ours);
 * or "uniform", e_ij = 0, so α_ij = 1/(d_i + 1): mean aggregation in the same layer, the no-attention control.
 */
export type AttentionScore = "gat" | "bilinear" | "uniform";

/** Attention vectors of one layer: a_l, a_r [heads, C_head] (the two halves of a; the bilinear score uses a_l only). */
export interface AttentionParams {
  aL: tf.Tensor2D;
  aR: tf.Tensor2D;
}

/** Fixed settings of an attention layer: the neighbourhoods N(i) ∪ {i} (A + I as CSR), heads, score, LeakyReLU slope. */
export interface AttentionLayout {
  pattern: Csr;
  heads: number;
  score: AttentionScore;
  slope: number;
}

/** The layout of a graph: neighbourhoods with self loops, the GAT's LeakyReLU slope 0.2 (Veličković et al. 2018). */
export function attentionLayout(g: Graph, heads: number, score: AttentionScore = "gat", slope = 0.2): AttentionLayout {
  return { pattern: withSelfLoops(g), heads, score, slope };
}

interface Forward {
  out: Float32Array;
  alpha: Float32Array;
  z: Float32Array;
}

/**
 * Forward kernel on flat arrays: for every step t and head k the scores of the edges p = (i, j) of the pattern,
 * their row softmax α_p (max-subtracted) and out_i = Σ_j α_ij h_j. H is [T, N, heads·Ch]; aL, aR are [heads·Ch].
 * Returns out (H's shape), α [T, heads, nnz] and, for the GAT score, the pre-activation z [T, heads, nnz].
 */
export function attentionForward(
  L: AttentionLayout,
  H: Float32Array,
  aL: Float32Array,
  aR: Float32Array,
  T: number,
): Forward {
  const { pattern: m, heads, score, slope } = L,
    N = m.n,
    F = H.length / (T * N),
    Ch = F / heads,
    nnz = m.indptr[N];
  if (!Number.isInteger(Ch) || aL.length !== F)
    throw new Error(`attention: features ${F} ≠ heads ${heads} × C_head ${aL.length / heads}`);
  const out = new Float32Array(H.length),
    alpha = new Float32Array(T * heads * nnz),
    z = new Float32Array(score === "gat" ? alpha.length : 0);
  const sL = new Float32Array(N),
    sR = new Float32Array(N);
  for (let t = 0; t < T; t++)
    for (let k = 0; k < heads; k++) {
      const base = t * N * F + k * Ch,
        ab = (t * heads + k) * nnz,
        ak = k * Ch;
      if (score === "gat")
        for (let i = 0; i < N; i++) {
          let l = 0,
            r = 0;
          for (let c = 0; c < Ch; c++) {
            const h = H[base + i * F + c];
            l += aL[ak + c] * h;
            r += aR[ak + c] * h;
          }
          sL[i] = l;
          sR[i] = r;
        }
      for (let i = 0; i < N; i++) {
        const lo = m.indptr[i],
          hi = m.indptr[i + 1],
          h0 = base + i * F;
        let mx = -Infinity;
        for (let p = lo; p < hi; p++) {
          const j = m.indices[p];
          let e = 0;
          if (score === "gat") {
            const zz = sL[i] + sR[j];
            z[ab + p] = zz;
            e = zz > 0 ? zz : slope * zz;
          } else if (score === "bilinear") {
            const hj = base + j * F;
            for (let c = 0; c < Ch; c++) e += aL[ak + c] * H[h0 + c] * H[hj + c];
          }
          alpha[ab + p] = e;
          if (e > mx) mx = e;
        }
        let sum = 0;
        for (let p = lo; p < hi; p++) {
          const w = Math.exp(alpha[ab + p] - mx);
          alpha[ab + p] = w;
          sum += w;
        }
        for (let p = lo; p < hi; p++) {
          const w = (alpha[ab + p] /= sum),
            hj = base + m.indices[p] * F;
          for (let c = 0; c < Ch; c++) out[h0 + c] += w * H[hj + c];
        }
      }
    }
  return { out, alpha, z };
}

/**
 * Backward kernel: from G = ∂L/∂out, the gradients of H, a_l and a_r. With dα_ij = g_i·h_j and the softmax
 * Jacobian de_ij = α_ij (dα_ij − Σ_j' α_ij' dα_ij'): dh_j += α_ij g_i (the weighted sum), and
 * GAT: dz = de·LeakyReLU'(z), dh_i += (Σ_j dz_ij) a_l, dh_j += (Σ_i dz_ij) a_r, da_l += Σ dz_ij h_i, da_r += Σ dz_ij h_j;
 * bilinear: dh_i += de_ij a ⊙ h_j, dh_j += de_ij a ⊙ h_i, da += de_ij h_i ⊙ h_j.
 */
function attentionBackward(
  L: AttentionLayout,
  H: Float32Array,
  aL: Float32Array,
  aR: Float32Array,
  T: number,
  fwd: Forward,
  G: Float32Array,
): { dH: Float32Array; daL: Float32Array; daR: Float32Array } {
  const { pattern: m, heads, score, slope } = L,
    N = m.n,
    F = H.length / (T * N),
    Ch = F / heads,
    nnz = m.indptr[N];
  const dH = new Float32Array(H.length),
    daL = new Float32Array(F),
    daR = new Float32Array(F);
  const dsL = new Float64Array(N),
    dsR = new Float64Array(N);
  let maxRow = 0;
  for (let i = 0; i < N; i++) maxRow = Math.max(maxRow, m.indptr[i + 1] - m.indptr[i]);
  const dAlpha = new Float64Array(maxRow);
  for (let t = 0; t < T; t++)
    for (let k = 0; k < heads; k++) {
      const base = t * N * F + k * Ch,
        ab = (t * heads + k) * nnz,
        ak = k * Ch;
      dsL.fill(0);
      dsR.fill(0);
      for (let i = 0; i < N; i++) {
        const lo = m.indptr[i],
          hi = m.indptr[i + 1],
          gi = base + i * F;
        let s = 0;
        for (let p = lo; p < hi; p++) {
          const hj = base + m.indices[p] * F,
            w = fwd.alpha[ab + p];
          let d = 0;
          for (let c = 0; c < Ch; c++) {
            d += G[gi + c] * H[hj + c];
            dH[hj + c] += w * G[gi + c];
          }
          dAlpha[p - lo] = d;
          s += w * d;
        }
        if (score === "uniform") continue; // fixed α: only the weighted sum above carries a gradient
        for (let p = lo; p < hi; p++) {
          const j = m.indices[p],
            de = fwd.alpha[ab + p] * (dAlpha[p - lo] - s);
          if (score === "gat") {
            const dz = fwd.z[ab + p] > 0 ? de : slope * de;
            dsL[i] += dz;
            dsR[j] += dz;
            continue;
          }
          const hj = base + j * F;
          for (let c = 0; c < Ch; c++) {
            const a = aL[ak + c],
              x = H[gi + c],
              y = H[hj + c];
            dH[gi + c] += de * a * y;
            dH[hj + c] += de * a * x;
            daL[ak + c] += de * x * y;
          }
        }
      }
      if (score === "gat")
        for (let i = 0; i < N; i++) {
          const h0 = base + i * F;
          for (let c = 0; c < Ch; c++) {
            dH[h0 + c] += dsL[i] * aL[ak + c] + dsR[i] * aR[ak + c];
            daL[ak + c] += dsL[i] * H[h0 + c];
            daR[ak + c] += dsR[i] * H[h0 + c];
          }
        }
    }
  return { dH, daL, daR };
}

/**
 * Multi-head graph attention as a differentiable op on time-major H [T, N, heads·C_head] (T = 1 for the GAT):
 * returns the aggregated features, heads concatenated, with gradients to H, a_l and a_r.
 */
export function graphAttention(L: AttentionLayout, H: tf.Tensor3D, a: AttentionParams): tf.Tensor3D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, aL, aR] = args as tf.Tensor[],
      T = h.shape[0],
      hd = h.dataSync() as Float32Array,
      l = aL.dataSync() as Float32Array,
      r = aR.dataSync() as Float32Array;
    const fwd = attentionForward(L, hd, l, r, T);
    return {
      value: tf.tensor3d(fwd.out, h.shape as [number, number, number]),
      gradFunc: (dy: tf.Tensor) => {
        const g = attentionBackward(L, hd, l, r, T, fwd, dy.dataSync() as Float32Array);
        return [
          tf.tensor3d(g.dH, h.shape as [number, number, number]),
          tf.tensor2d(g.daL, aL.shape as [number, number]),
          tf.tensor2d(g.daR, aR.shape as [number, number]),
        ];
      },
    };
  }) as (h: tf.Tensor, aL: tf.Tensor, aR: tf.Tensor) => tf.Tensor;
  return op(H, a.aL, a.aR) as tf.Tensor3D;
}

/** Settings of a spiking graph attention network, or (no `lif`) of the ordinary GAT with ELU activations and one step. */
export interface GatConfig {
  inDim: number;
  heads: number;
  headDim: number;
  classes: number;
  layers: number;
  /** LIF parameters for the spiking model; omit for the non-spiking GAT (ELU activations, one step). */
  lif?: LifParams;
  stfn?: boolean;
  rho?: number;
  /** Attention score (default "gat", the paper's). */
  score?: AttentionScore;
}

export interface GatParams {
  W: tf.Variable<tf.Rank.R2>[];
  att: { aL: tf.Variable<tf.Rank.R2>; aR: tf.Variable<tf.Rank.R2> }[];
  norm: { lambda: tf.Variable<tf.Rank.R1>; gamma: tf.Variable<tf.Rank.R1> }[];
  Wout: tf.Variable<tf.Rank.R2>;
  bout: tf.Variable<tf.Rank.R1>;
}

/** Seeded GAT / spiking GAT parameters (Glorot W and a, STFN λ = 1, γ = 0). */
export function initGat(cfg: GatConfig, rng: Rng): GatParams {
  const F = cfg.heads * cfg.headDim;
  const p: GatParams = {
    W: [],
    att: [],
    norm: [],
    Wout: glorot(rng, F, cfg.classes),
    bout: tf.variable(tf.zeros([cfg.classes])),
  };
  for (let l = 0; l < cfg.layers; l++) {
    p.W.push(glorot(rng, l === 0 ? cfg.inDim : F, F));
    // The bilinear metric starts at a = 1: a plain dot-product similarity h_iᵀh_j, which training then reweights.
    p.att.push(
      cfg.score === "bilinear"
        ? {
            aL: tf.variable(tf.ones([cfg.heads, cfg.headDim]) as tf.Tensor2D),
            aR: tf.variable(tf.zeros([cfg.heads, cfg.headDim]) as tf.Tensor2D),
          }
        : { aL: glorot(rng, cfg.heads, cfg.headDim), aR: glorot(rng, cfg.heads, cfg.headDim) },
    );
    p.norm.push(stfnInit(F));
  }
  return p;
}

/** The trainable variables (STFN's only when it is on). */
export function gatVariables(p: GatParams, cfg: GatConfig): tf.Variable[] {
  const att = (a: GatParams["att"][number]) =>
    cfg.score === "uniform" ? [] : cfg.score === "bilinear" ? [a.aL] : [a.aL, a.aR];
  return [
    ...p.W,
    ...p.att.flatMap(att),
    ...(cfg.lif && cfg.stfn ? p.norm.flatMap((q) => [q.lambda, q.gamma]) : []),
    p.Wout,
    p.bout,
  ];
}

/** Every variable of a parameter record, trainable or not (to dispose it). */
export function gatAllVariables(p: GatParams): tf.Variable[] {
  return [...p.W, ...p.att.flatMap((a) => [a.aL, a.aR]), ...p.norm.flatMap((q) => [q.lambda, q.gamma]), p.Wout, p.bout];
}

/**
 * Forward pass on X [T, N, inDim] (input spikes for the spiking model; real features with T = 1 for the GAT).
 * Returns logits (readout of spike rates, or of the last ELU layer), each layer's outputs and its attention
 * inputs h = W S (from which `attentionWeights` recovers α for analysis).
 */
export function gatForward(
  p: GatParams,
  cfg: GatConfig,
  g: Graph | AttentionLayout,
  X: tf.Tensor3D,
): { logits: tf.Tensor2D; outputs: tf.Tensor3D[]; h: tf.Tensor3D[] } {
  const L = "pattern" in g ? g : attentionLayout(g, cfg.heads, cfg.score ?? "gat");
  const outputs: tf.Tensor3D[] = [],
    hs: tf.Tensor3D[] = [];
  let S = X;
  for (let l = 0; l < cfg.layers; l++) {
    const h = timeLinear(S, p.W[l]);
    hs.push(h);
    const out = graphAttention(L, h, p.att[l]);
    S = cfg.lif
      ? graphNeurons(cfg.lif, out, cfg.stfn ? { ...p.norm[l], rho: cfg.rho } : undefined)
      : (tf.elu(out) as tf.Tensor3D);
    outputs.push(S);
  }
  const r = tf.mean(S, 0) as tf.Tensor2D;
  return { logits: tf.add(tf.matMul(r, p.Wout), p.bout) as tf.Tensor2D, outputs, h: hs };
}

/** Attention weights α [T, heads, nnz] of one layer, from its inputs h = W S [T, N, F] (plain numbers, for analysis). */
export function attentionWeights(L: AttentionLayout, h: tf.Tensor3D, a: AttentionParams): Float32Array {
  return attentionForward(
    L,
    h.dataSync() as Float32Array,
    a.aL.dataSync() as Float32Array,
    a.aR.dataSync() as Float32Array,
    h.shape[0],
  ).alpha;
}

/**
 * Attention mass on same-class neighbours, self excluded: per node i with deg ≥ 1,
 * Σ_{j∈N(i), y_j=y_i} α_ij / Σ_{j∈N(i)} α_ij, averaged over nodes; and the same share under uniform weights
 * (the fraction of same-class neighbours, i.e. what mean aggregation gives). α is per edge of `pattern`
 * (A + I, as `attentionLayout` builds it), e.g. averaged over steps and heads.
 */
export function sameClassAttention(
  alpha: ArrayLike<number>,
  pattern: Csr,
  y: ArrayLike<number>,
): { attention: number; uniform: number; nodes: number } {
  let att = 0,
    uni = 0,
    cnt = 0;
  for (let i = 0; i < pattern.n; i++) {
    let same = 0,
      tot = 0,
      nSame = 0,
      deg = 0;
    for (let p = pattern.indptr[i]; p < pattern.indptr[i + 1]; p++) {
      const j = pattern.indices[p];
      if (j === i) continue;
      deg++;
      tot += alpha[p];
      if (y[j] === y[i]) {
        same += alpha[p];
        nSame++;
      }
    }
    if (deg === 0) continue;
    att += tot > 0 ? same / tot : nSame / deg;
    uni += nSame / deg;
    cnt++;
  }
  return { attention: att / cnt, uniform: uni / cnt, nodes: cnt };
}
