/**
 * Graph attention on spikes (GA-SNN; Xu et al. 2021, arXiv 2107.06865; spiking graph attention, arXiv 2403.17040)
 * and its non-spiking reference GAT (Veličković et al. 2018, arXiv 1710.10903). At every step t and head k,
 *
 *   h_i^t = W S_i^t,   e_ij^t = LeakyReLU(aᵀ[h_i^t ‖ h_j^t]) = LeakyReLU(a_lᵀ h_i^t + a_rᵀ h_j^t),
 *   α_ij^t = softmax_{j ∈ N(i) ∪ {i}} e_ij^t,   I_i^t = ‖_k Σ_j α_ij^{t,k} h_j^{t,k},
 *
 * and I feeds STFN (optional) and LIF neurons exactly as the spiking graph convolution's G(A, W S) does.
 * This score is *static* (Brody, Alon & Yahav 2022, arXiv 2105.14491): e_ij is monotone in a_rᵀh_j, so every node
 * ranks its neighbours in the same order and cannot prefer the neighbours of its own class. The `bilinear`
 * option scores e_ij = h_iᵀ diag(a) h_j instead (a dot-product attention with a learned diagonal metric, same
 * parameter count as a_l), which can; it is our addition, not the paper's.
 * The softmax over neighbours is a dense row softmax with −1e9 added outside the neighbourhood (the mask from
 * lib/graph `attentionMaskTensor`): a gather-free form, since wasm has no gradient for tf.gather.
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import type { Graph } from "../graph/csr";
import { unroll, type LifParams } from "./lif";
import { stfn, stfnInit } from "./stfn";
import { glorot, timeLinear, type OpCount } from "./graph-conv";

/** Attention vectors of one layer: a_l, a_r [heads, C_head] (the two halves of a). */
export interface AttentionParams { aL: tf.Tensor2D; aR: tf.Tensor2D }

/**
 * Multi-head masked graph attention on time-major features H [T, N, heads·C_head] (T = 1 for a static graph):
 * returns the aggregated features [T, N, heads·C_head] (heads concatenated) and α [T, heads, N, N], rows summing to 1.
 */
export function graphAttention(H: tf.Tensor3D, a: AttentionParams, mask: tf.Tensor2D, slope = 0.2, score: AttentionScore = "gat"): { out: tf.Tensor3D; alpha: tf.Tensor4D } {
  const [T, N, F] = H.shape, heads = a.aL.shape[0], Ch = a.aL.shape[1];
  if (heads * Ch !== F) throw new Error(`graphAttention: features ${F} ≠ heads ${heads} × ${Ch}`);
  return tf.tidy(() => {
    const Hh = tf.transpose(tf.reshape(H, [T, N, heads, Ch]), [0, 2, 1, 3]); // [T, heads, N, Ch]
    let e: tf.Tensor; // e[t,k,i,j]
    if (score === "gat") {
      const sL = tf.sum(tf.mul(Hh, tf.reshape(a.aL, [1, heads, 1, Ch])), -1); // [T, heads, N]
      const sR = tf.sum(tf.mul(Hh, tf.reshape(a.aR, [1, heads, 1, Ch])), -1);
      e = tf.leakyRelu(tf.add(tf.expandDims(sL, 3), tf.expandDims(sR, 2)), slope);
    } else {
      const flat = tf.reshape(Hh, [T * heads, N, Ch]) as tf.Tensor3D;
      const q = tf.reshape(tf.mul(Hh, tf.reshape(a.aL, [1, heads, 1, Ch])), [T * heads, N, Ch]) as tf.Tensor3D;
      e = tf.reshape(tf.matMul(q, tf.transpose(flat, [0, 2, 1]) as tf.Tensor3D), [T, heads, N, N]);
    }
    const alpha = tf.softmax(tf.add(e, mask), -1) as tf.Tensor4D;
    const agg = tf.matMul(tf.reshape(alpha, [T * heads, N, N]) as tf.Tensor3D, tf.reshape(Hh, [T * heads, N, Ch]) as tf.Tensor3D);
    const out = tf.reshape(tf.transpose(tf.reshape(agg, [T, heads, N, Ch]), [0, 2, 1, 3]), [T, N, F]) as tf.Tensor3D;
    return { out, alpha };
  });
}

/** Attention score: the paper's GAT score LeakyReLU(a_lᵀh_i + a_rᵀh_j), or the bilinear h_iᵀ diag(a) h_j. */
export type AttentionScore = "gat" | "bilinear";

/** Settings of a spiking (or, with `spiking: false`, an ordinary ELU) graph attention network. */
export interface GatConfig {
  inDim: number; heads: number; headDim: number; classes: number; layers: number;
  /** LIF parameters for the spiking model; omit for the non-spiking GAT (ELU activations, one step). */
  lif?: LifParams;
  stfn?: boolean; rho?: number;
  /** Attention score (default "gat", the paper's). */
  score?: AttentionScore;
}

export interface GatParams {
  W: tf.Variable<tf.Rank.R2>[]; att: { aL: tf.Variable<tf.Rank.R2>; aR: tf.Variable<tf.Rank.R2> }[];
  norm: { lambda: tf.Variable<tf.Rank.R1>; gamma: tf.Variable<tf.Rank.R1> }[];
  Wout: tf.Variable<tf.Rank.R2>; bout: tf.Variable<tf.Rank.R1>;
}

/** Seeded GAT / spiking GAT parameters (Glorot W and a, STFN λ = 1, γ = 0). */
export function initGat(cfg: GatConfig, rng: Rng): GatParams {
  const F = cfg.heads * cfg.headDim;
  const p: GatParams = { W: [], att: [], norm: [], Wout: glorot(rng, F, cfg.classes), bout: tf.variable(tf.zeros([cfg.classes])) };
  for (let l = 0; l < cfg.layers; l++) {
    p.W.push(glorot(rng, l === 0 ? cfg.inDim : F, F));
    // The bilinear metric starts at a = 1: a plain dot-product similarity h_iᵀh_j, which training then reweights.
    p.att.push(cfg.score === "bilinear"
      ? { aL: tf.variable(tf.ones([cfg.heads, cfg.headDim]) as tf.Tensor2D), aR: tf.variable(tf.zeros([cfg.heads, cfg.headDim]) as tf.Tensor2D) }
      : { aL: glorot(rng, cfg.heads, cfg.headDim), aR: glorot(rng, cfg.heads, cfg.headDim) });
    p.norm.push(stfnInit(F));
  }
  return p;
}

/** The trainable variables (STFN's only when it is on). */
export function gatVariables(p: GatParams, cfg: GatConfig): tf.Variable[] {
  return [...p.W, ...p.att.flatMap((a) => (cfg.score === "bilinear" ? [a.aL] : [a.aL, a.aR])), ...(cfg.lif && cfg.stfn ? p.norm.flatMap((q) => [q.lambda, q.gamma]) : []), p.Wout, p.bout];
}

/**
 * Forward pass on X [T, N, inDim] (input spikes for the spiking model; real features with T = 1 for the GAT).
 * Returns logits (readout of spike rates, or of the last ELU layer), each layer's outputs and attention α.
 */
export function gatForward(p: GatParams, cfg: GatConfig, mask: tf.Tensor2D, X: tf.Tensor3D): { logits: tf.Tensor2D; outputs: tf.Tensor3D[]; alphas: tf.Tensor4D[] } {
  const outputs: tf.Tensor3D[] = [], alphas: tf.Tensor4D[] = [];
  let S = X;
  for (let l = 0; l < cfg.layers; l++) {
    const { out, alpha } = graphAttention(timeLinear(S, p.W[l]), p.att[l], mask, 0.2, cfg.score);
    alphas.push(alpha);
    if (cfg.lif) {
      const I = cfg.stfn ? stfn(out, p.norm[l], { vTh: cfg.lif.uTh, rho: cfg.rho }) : out;
      S = unroll(cfg.lif, I).spikes as tf.Tensor3D;
    } else {
      S = tf.elu(out) as tf.Tensor3D;
    }
    outputs.push(S);
  }
  const r = tf.mean(S, 0) as tf.Tensor2D;
  return { logits: tf.add(tf.matMul(r, p.Wout), p.bout) as tf.Tensor2D, outputs, alphas };
}

/**
 * Attention mass on same-class neighbours, self excluded: per node i with deg ≥ 1,
 * Σ_{j∈N(i), y_j=y_i} α_ij / Σ_{j∈N(i)} α_ij, averaged over nodes; and the same share under uniform weights
 * (the fraction of same-class neighbours, i.e. what mean aggregation gives). α is row-major n × n.
 */
export function sameClassAttention(alpha: ArrayLike<number>, g: Graph, y: ArrayLike<number>): { attention: number; uniform: number; nodes: number } {
  let att = 0, uni = 0, cnt = 0;
  for (let i = 0; i < g.n; i++) {
    const lo = g.indptr[i], hi = g.indptr[i + 1];
    if (hi === lo) continue;
    let same = 0, tot = 0, nSame = 0;
    for (let p = lo; p < hi; p++) {
      const j = g.indices[p], w = alpha[i * g.n + j];
      tot += w;
      if (y[j] === y[i]) { same += w; nSame++; }
    }
    att += tot > 0 ? same / tot : nSame / (hi - lo);
    uni += nSame / (hi - lo); cnt++;
  }
  return { attention: att / cnt, uniform: uni / cnt, nodes: cnt };
}

/**
 * Spiking GAT cost per forward pass: spikes × F accumulates for W S (F = heads·C_head); per step and head,
 * 2N·C_head MACs for the scores a_lᵀh, a_rᵀh (nnz·C_head for the bilinear score), nnz exponentials/adds for the masked softmax and nnz·C_head MACs
 * for Σ α h (the α are real, so these are MACs, not spike-driven ACs); plus the readout.
 */
export function spikingGatOps(spikesIn: number[], cfg: GatConfig, N: number, T: number, nnz: number): OpCount {
  const F = cfg.heads * cfg.headDim;
  let acs = 0, macs = 0;
  const scoreMacs = cfg.score === "bilinear" ? nnz * cfg.headDim : 2 * N * cfg.headDim; // bilinear: one Ch-dot per edge
  for (const s of spikesIn) { acs += s * F + T * cfg.heads * nnz; macs += T * cfg.heads * (scoreMacs + nnz * cfg.headDim); }
  return { acs, macs: macs + N * F * cfg.classes };
}

/** GAT cost: per layer N·C_in·F MACs for W h, then the attention scores and Σ α h as in `spikingGatOps` with T = 1. */
export function gatOps(cfg: GatConfig, N: number, nnz: number): OpCount {
  const F = cfg.heads * cfg.headDim;
  let macs = 0, acs = 0;
  for (let l = 0; l < cfg.layers; l++) {
    macs += N * (l === 0 ? cfg.inDim : F) * F + cfg.heads * ((cfg.score === "bilinear" ? nnz : 2 * N) * cfg.headDim + nnz * cfg.headDim);
    acs += cfg.heads * nnz;
  }
  return { acs, macs: macs + N * F * cfg.classes };
}
