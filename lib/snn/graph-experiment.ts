/**
 * Node-classification experiments with spiking graph networks: input coding of node features, and "fit" functions
 * that train a spiking GCN, a GCN or a (spiking) GAT with lib/graph's training loop and return what the notebooks
 * plot: accuracy, firing rates per layer, the final node representation (for oversmoothing), attention and
 * operation counts. Every fit takes its seed and frees its tensors.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import { rng as makeRng, type Rng } from "../rng";
import type { GraphData, NodeSplit } from "../graph/csbm";
import { trainNodeClassifier, type TrainResult } from "../graph/train";
import { rateEncode, latencyEncode } from "./encoding";
import { initSpikingGcn, spikingGcn, spikingGcnVariables, initGcn, gcn, spikingGcnOps, gcnOps, type SpikingGcnConfig, type OpCount } from "./graph-conv";
import { initGat, gatForward, gatVariables, spikingGatOps, gatOps, type GatConfig } from "./graph-attention";

export type Coding = "direct" | "rate" | "latency";

/**
 * Input spikes [T, N, F] (time-major, flat) from features x (N × F): "direct" feeds binary features as spikes at
 * every step (Xu et al. 2021); "rate" draws Bernoulli(x) spikes per step; "latency" fires once at
 * t = round((1 − x)(T − 1)) (temporal coding, arXiv 2407.20508). Rate and latency expect x in [0, 1].
 */
export function encodeNodes(x: Float32Array, T: number, coding: Coding, rng?: Rng): Float32Array {
  if (coding === "direct") { const out = new Float32Array(T * x.length); for (let t = 0; t < T; t++) out.set(x, t * x.length); return out; }
  if (coding === "rate") { if (!rng) throw new Error("rate coding needs an rng"); return rateEncode(x, T, rng); }
  return latencyEncode(x, T);
}

/** Per-feature min–max scaling of row-major x (N × F) to [0, 1], so real features can drive rate or latency codes. */
export function minMaxScale(x: Float32Array, N: number, F: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let k = 0; k < F; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < N; i++) { lo = Math.min(lo, x[i * F + k]); hi = Math.max(hi, x[i * F + k]); }
    const s = hi > lo ? 1 / (hi - lo) : 0;
    for (let i = 0; i < N; i++) out[i * F + k] = (x[i * F + k] - lo) * s;
  }
  return out;
}

/** Shared inputs of a fit: data, split, the propagation matrix (or attention mask), and the training budget. */
export interface FitSetup {
  data: GraphData; split: NodeSplit;
  epochs: number; lr: number; weightDecay?: number; seed: number; label?: string;
}

/** What a fit returns: training result, firing rate per layer, final node representation (N × width), op counts. */
export interface FitResult {
  train: TrainResult; rates: number[]; repr: Float32Array; width: number; ops: OpCount;
}

/** Number of non-zeros of Â = D̃^{-1/2}(A + I)D̃^{-1/2}: 2|E| + N. */
export function nnzHat(d: GraphData): number { return d.graph.indices.length + d.n; }

/** Trains a spiking GCN (Xu et al. 2021) on input spikes S0 [T, N, F]; reports test accuracy at the best validation epoch. */
export async function fitSpikingGcn(s: FitSetup, A: tf.Tensor2D, S0: tf.Tensor3D, cfg: SpikingGcnConfig): Promise<FitResult> {
  const p = initSpikingGcn(cfg, makeRng(s.seed));
  const vars = spikingGcnVariables(p, cfg);
  const train = await trainNodeClassifier({ forward: () => spikingGcn(p, cfg, A, S0).logits, vars, y: s.data.y, classes: cfg.classes, split: s.split, epochs: s.epochs, lr: s.lr, weightDecay: s.weightDecay, label: s.label });
  // Final evaluation pass (the last epoch's weights): activity, representation and costs.
  const out = tf.tidy(() => {
    const f = spikingGcn(p, cfg, A, S0);
    const counts = [S0, ...f.spikes.slice(0, -1)].map((x) => tf.sum(x).dataSync()[0]);
    return { rates: f.spikes.map((x) => tf.mean(x).dataSync()[0]), repr: f.rates.dataSync() as Float32Array, counts };
  });
  tf.dispose([...p.W, ...p.b, ...p.norm.flatMap((q) => [q.lambda, q.gamma]), p.Wout, p.bout]);
  const [T, N] = S0.shape;
  return { train, rates: out.rates, repr: out.repr, width: cfg.hidden, ops: spikingGcnOps(out.counts, cfg, N, T, nnzHat(s.data)) };
}

/** Trains the non-spiking GCN reference (Kipf & Welling 2017) with the same depth and widths on features X [N, F]. */
export async function fitGcn(s: FitSetup, A: tf.Tensor2D, X: tf.Tensor2D, cfg: Pick<SpikingGcnConfig, "inDim" | "hidden" | "classes" | "layers">): Promise<FitResult> {
  const p = initGcn(cfg, makeRng(s.seed));
  const vars = [...p.W, ...p.b, p.Wout, p.bout];
  const train = await trainNodeClassifier({ forward: () => gcn(p, A, X).logits, vars, y: s.data.y, classes: cfg.classes, split: s.split, epochs: s.epochs, lr: s.lr, weightDecay: s.weightDecay, label: s.label });
  const repr = tf.tidy(() => gcn(p, A, X).hidden.at(-1)!.dataSync() as Float32Array);
  tf.dispose(vars);
  return { train, rates: [], repr, width: cfg.hidden, ops: gcnOps(cfg, s.data.n, nnzHat(s.data)) };
}

/** A fitted GAT's first-layer attention averaged over steps and heads (N × N, row-major), besides the usual results. */
export interface GatFitResult extends FitResult { alpha: Float32Array }

/** Trains a spiking GAT (cfg.lif set; input spikes X [T, N, F]) or a GAT (no lif; X [1, N, F] real features). */
export async function fitGat(s: FitSetup, mask: tf.Tensor2D, X: tf.Tensor3D, cfg: GatConfig): Promise<GatFitResult> {
  const p = initGat(cfg, makeRng(s.seed));
  const vars = gatVariables(p, cfg);
  // Weight decay on the weight matrices only: decaying the attention vectors would pull attention to uniform.
  const train = await trainNodeClassifier({ forward: () => gatForward(p, cfg, mask, X).logits, vars, decayVars: [...p.W, p.Wout], y: s.data.y, classes: cfg.classes, split: s.split, epochs: s.epochs, lr: s.lr, weightDecay: s.weightDecay, label: s.label });
  const out = tf.tidy(() => {
    const f = gatForward(p, cfg, mask, X);
    const counts = [X, ...f.outputs.slice(0, -1)].map((x) => tf.sum(x).dataSync()[0]);
    return {
      rates: cfg.lif ? f.outputs.map((x) => tf.mean(x).dataSync()[0]) : [],
      repr: tf.mean(f.outputs.at(-1)!, 0).dataSync() as Float32Array,
      alpha: tf.mean(f.alphas[0], [0, 1]).dataSync() as Float32Array,
      counts,
    };
  });
  tf.dispose([...vars, ...p.norm.flatMap((q) => [q.lambda, q.gamma])].filter((v, i, a) => a.indexOf(v) === i));
  const [T, N] = X.shape, F = cfg.heads * cfg.headDim;
  const ops = cfg.lif ? spikingGatOps(out.counts, cfg, N, T, nnzHat(s.data)) : gatOps(cfg, N, nnzHat(s.data));
  return { train, rates: out.rates, repr: out.repr, width: F, ops, alpha: out.alpha };
}
