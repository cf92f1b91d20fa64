/**
 * Spiking graph convolution (GC-SNN) of Xu et al. 2021, arXiv 2107.06865: LIF neurons per node and feature whose
 * input is the GCN propagation of the spikes of the layer below,
 *
 *   V^{n}_{t+1} = k V^{n}_t (1 − S^{n}_t) + G(A, W^{n} S^{n−1}_{t+1}),   S^{n}_t = H(V^{n}_t − V_th),
 *   G(A, X) = D̃^{−1/2}(A + I)D̃^{−1/2} X,
 *
 * optionally with STFN on the pre-synaptic input G(·); a readout of spike rates through a linear layer; and the
 * non-spiking GCN (Kipf & Welling 2017, arXiv 1609.02907) with the same depth and widths as the reference.
 * Tensors are time-major [T, N, C] (N nodes); the neurons are ./graph-lif's fused op, the LIF dynamics of ./lif.
 * Propagation G is lib/graph's sparse op (`propagator`), O(nnz·C) per step instead of a dense n × n matMul.
 * SGNNBench (Zhhuizhe/SGNNBench, sgnnbenchmark/nn/conv/stfn_conv.py, `GCConv`) is the re-implementation read
 * beside the paper: it also propagates W S with symmetric degree weights; it feeds the real features at every
 * step where we feed binary features as spikes (the paper's choice for bag-of-words inputs).
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { normalizedAdjacency, type Graph } from "../graph/csr";
import { sparsePropagator } from "../graph/sparse";
import type { LifParams } from "./lif";
import { stfnInit, type StfnParams } from "./stfn";
import { graphNeurons } from "./graph-lif";

/** A fixed linear propagation X ↦ M X on the node axis (the second-to-last) of X, differentiable in X. */
export type Propagator = <R extends tf.Rank>(x: tf.Tensor<R>) => tf.Tensor<R>;

/** G(A, ·) of a graph: the sparse op X ↦ Â X with Â = D̃^{-1/2}(A + I)D̃^{-1/2} (Kipf & Welling 2017, arXiv 1609.02907). */
export function propagator(g: Graph): Propagator {
  return sparsePropagator(normalizedAdjacency(g));
}

/** X W on the last axis of a time-major X [T, N, Cin] with W [Cin, C]: one matMul over the [T·N, Cin] view. */
export function timeLinear(X: tf.Tensor3D, W: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor3D {
  const [T, N, Cin] = X.shape;
  let y: tf.Tensor = tf.matMul(tf.reshape(X, [T * N, Cin]) as tf.Tensor2D, W);
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [T, N, W.shape[1]]) as tf.Tensor3D;
}

/** Settings of a spiking GCN: `layers` spiking graph convolutions of width `hidden`, then a rate readout. */
export interface SpikingGcnConfig {
  inDim: number;
  hidden: number;
  classes: number;
  layers: number;
  /** LIF parameters shared by all layers (k_τ, V_th, reset, surrogate). */
  lif: LifParams;
  /** Apply STFN to every layer's pre-synaptic input. */
  stfn: boolean;
  /** STFN's ρ (default 1). */
  rho?: number;
}

/** Trainable parameters: per layer W, b and STFN (λ, γ); readout Wout, bout. */
export interface SpikingGcnParams {
  W: tf.Variable<tf.Rank.R2>[];
  b: tf.Variable<tf.Rank.R1>[];
  norm: { lambda: tf.Variable<tf.Rank.R1>; gamma: tf.Variable<tf.Rank.R1> }[];
  Wout: tf.Variable<tf.Rank.R2>;
  bout: tf.Variable<tf.Rank.R1>;
}

/** Glorot-uniform weights U(±√(6/(fanIn+fanOut))) drawn from `rng` (Glorot & Bengio 2010). */
export function glorot(rng: Rng, fanIn: number, fanOut: number, name?: string): tf.Variable<tf.Rank.R2> {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.tensor2d(rng.uniformArray(fanIn * fanOut, -lim, lim), [fanIn, fanOut]), true, name);
}

/** Seeded initial parameters of a spiking GCN (Glorot weights, zero biases, STFN λ = 1, γ = 0). */
export function initSpikingGcn(cfg: SpikingGcnConfig, rng: Rng): SpikingGcnParams {
  const W: SpikingGcnParams["W"] = [],
    b: SpikingGcnParams["b"] = [],
    norm: SpikingGcnParams["norm"] = [];
  for (let l = 0; l < cfg.layers; l++) {
    W.push(glorot(rng, l === 0 ? cfg.inDim : cfg.hidden, cfg.hidden));
    b.push(tf.variable(tf.zeros([cfg.hidden])));
    norm.push(stfnInit(cfg.hidden));
  }
  return { W, b, norm, Wout: glorot(rng, cfg.hidden, cfg.classes), bout: tf.variable(tf.zeros([cfg.classes])) };
}

/** The variables of a parameter record, for an optimiser (STFN's λ, γ only when STFN is on). */
export function spikingGcnVariables(p: SpikingGcnParams, cfg: SpikingGcnConfig): tf.Variable[] {
  return [...p.W, ...p.b, ...(cfg.stfn ? p.norm.flatMap((q) => [q.lambda, q.gamma]) : []), p.Wout, p.bout];
}

/** One spiking graph convolution: I = G(A, W S + b), optionally STFN(I), then LIF over T (./graph-lif); returns spikes and the pre-synaptic input I. */
export function spikingGraphConv(
  G: Propagator,
  S: tf.Tensor3D,
  W: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  lif: LifParams,
  norm?: StfnParams & { rho?: number },
): { spikes: tf.Tensor3D; input: tf.Tensor3D } {
  const I = G(timeLinear(S, W, b));
  return { spikes: graphNeurons(lif, I, norm), input: I };
}

/**
 * Forward pass of a spiking GCN on input spikes S⁰ [T, N, inDim]: every layer's spikes, the readout's spike
 * rates r = (1/T) Σ_t S^L_t [N, hidden] and logits r Wout + bout [N, classes].
 */
export function spikingGcn(
  p: SpikingGcnParams,
  cfg: SpikingGcnConfig,
  G: Propagator,
  S0: tf.Tensor3D,
): { logits: tf.Tensor2D; spikes: tf.Tensor3D[]; rates: tf.Tensor2D } {
  const spikes: tf.Tensor3D[] = [];
  let S = S0;
  for (let l = 0; l < cfg.layers; l++) {
    S = spikingGraphConv(G, S, p.W[l], p.b[l], cfg.lif, cfg.stfn ? { ...p.norm[l], rho: cfg.rho } : undefined).spikes;
    spikes.push(S);
  }
  const rates = tf.mean(S, 0) as tf.Tensor2D;
  return { logits: tf.add(tf.matMul(rates, p.Wout), p.bout) as tf.Tensor2D, spikes, rates };
}

/** Parameters of the reference GCN: the same shapes as the spiking model (layers × (W, b), readout). */
export type GcnParams = Pick<SpikingGcnParams, "W" | "b" | "Wout" | "bout">;

/** Seeded GCN parameters with the spiking model's shapes. */
export function initGcn(cfg: Pick<SpikingGcnConfig, "inDim" | "hidden" | "classes" | "layers">, rng: Rng): GcnParams {
  const W: GcnParams["W"] = [],
    b: GcnParams["b"] = [];
  for (let l = 0; l < cfg.layers; l++) {
    W.push(glorot(rng, l === 0 ? cfg.inDim : cfg.hidden, cfg.hidden));
    b.push(tf.variable(tf.zeros([cfg.hidden])));
  }
  return { W, b, Wout: glorot(rng, cfg.hidden, cfg.classes), bout: tf.variable(tf.zeros([cfg.classes])) };
}

/** GCN forward (Kipf & Welling 2017): H^{n} = ReLU(Â H^{n−1} W^{n} + b^{n}), logits = H^L Wout + bout; returns hidden states too. */
export function gcn(p: GcnParams, G: Propagator, X: tf.Tensor2D): { logits: tf.Tensor2D; hidden: tf.Tensor2D[] } {
  const hidden: tf.Tensor2D[] = [];
  let H = X;
  for (let l = 0; l < p.W.length; l++) {
    H = tf.relu(tf.add(G(tf.matMul(H, p.W[l])), p.b[l])) as tf.Tensor2D;
    hidden.push(H);
  }
  return { logits: tf.add(tf.matMul(H, p.Wout), p.bout) as tf.Tensor2D, hidden };
}
