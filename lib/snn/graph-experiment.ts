/**
 * Experiment harness of the graph notebooks: input coding of node features, one training run of each model
 * (spiking GCN, GCN, spiking GAT, GAT) returning what the notebooks tabulate (test accuracy at the best
 * validation epoch, firing rates, the final node representation for oversmoothing, attention, operation counts),
 * and the seed loops of notebook 03 (accuracy against depth) and 06 (models across graphs). Every run takes its
 * random stream explicitly and frees its tensors.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { progress } from "../display";
import type { GraphData, NodeSplit } from "../graph/csbm";
import { trainNodeClassifier, type TrainResult } from "../graph/train";
import { meanAverageDistance } from "../graph/measures";
import { fromEdges } from "../graph/csr";
import { rateEncode, latencyEncode } from "./encoding";
import type { LifParams } from "./lif";
import {
  initSpikingGcn,
  spikingGcn,
  spikingGcnVariables,
  initGcn,
  gcn,
  propagator,
  type Propagator,
  type SpikingGcnConfig,
} from "./graph-conv";
import {
  initGat,
  gatForward,
  gatVariables,
  gatAllVariables,
  attentionLayout,
  attentionWeights,
  type GatConfig,
  type AttentionLayout,
} from "./graph-attention";
import {
  spikingGcnCost,
  gcnCost,
  spikingGatCost,
  gatCost,
  energyNJ,
  type GraphShape,
  type OpCount,
  type SpikeTrace,
} from "./graph-ops";

export type Coding = "direct" | "rate" | "latency";

/**
 * Input spikes [T, N, F] (time-major, flat) from features x (N × F): "direct" feeds binary features as spikes at
 * every step (Xu et al. 2021); "rate" draws Bernoulli(x) spikes per step; "latency" fires once at
 * t = round((1 − x)(T − 1)) (temporal coding, arXiv 2407.20508). Rate and latency expect x in [0, 1].
 */
export function encodeNodes(x: Float32Array, T: number, coding: Coding, rng?: Rng): Float32Array {
  if (coding === "direct") {
    const out = new Float32Array(T * x.length);
    for (let t = 0; t < T; t++) out.set(x, t * x.length);
    return out;
  }
  if (coding === "rate") {
    if (!rng) throw new Error("rate coding needs an rng");
    return rateEncode(x, T, rng);
  }
  return latencyEncode(x, T);
}

/** Per-feature min–max scaling of row-major x (N × F) to [0, 1], so real features can drive rate or latency codes. */
export function minMaxScale(x: Float32Array, N: number, F: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let k = 0; k < F; k++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < N; i++) {
      lo = Math.min(lo, x[i * F + k]);
      hi = Math.max(hi, x[i * F + k]);
    }
    const s = hi > lo ? 1 / (hi - lo) : 0;
    for (let i = 0; i < N; i++) out[i * F + k] = (x[i * F + k] - lo) * s;
  }
  return out;
}

/** A node-classification task: a graph with features and labels, and its labelled/validation/test split. */
export interface GraphTask {
  data: GraphData;
  split: NodeSplit;
}

/** The same task with every edge removed: what a model learns from features and labels alone (a graph-free control). */
export function withoutEdges(t: GraphTask): GraphTask {
  return { ...t, data: { ...t.data, graph: fromEdges(t.data.n, [], []) } };
}

/** The sizes operation counts need: N, nnz(A + I) = 2|E| + N, and nnz(x) when the features are 0/1. */
export function graphShape(d: GraphData): GraphShape {
  let nnzX = 0,
    binary = true;
  for (const v of d.x) {
    if (v !== 0) {
      nnzX++;
      if (v !== 1) binary = false;
    }
  }
  return { N: d.n, nnz: d.graph.indices.length + d.n, inDim: d.f, ...(binary ? { nnzX } : {}) };
}

/** One training run: the task, the budget (Adam, weight decay, early stopping) and the stream its weights are drawn from. */
export interface FitSetup {
  task: GraphTask;
  epochs: number;
  lr: number;
  weightDecay?: number;
  patience?: number;
  init: Rng;
  label?: string;
}

/** What a run returns: training result, firing rate per layer, final node representation (N × width), op counts (and the spikes they were counted from). */
export interface FitResult {
  train: TrainResult;
  rates: number[];
  repr: Float32Array;
  width: number;
  cost: OpCount;
  trace?: SpikeTrace;
}

const trainWith = (
  s: FitSetup,
  forward: () => tf.Tensor2D,
  vars: tf.Variable[],
  classes: number,
  decayVars?: tf.Variable[],
) =>
  trainNodeClassifier({
    forward,
    vars,
    decayVars,
    y: s.task.data.y,
    classes,
    split: s.task.split,
    epochs: s.epochs,
    lr: s.lr,
    weightDecay: s.weightDecay,
    patience: s.patience,
    label: s.label,
  });

/** Trains a spiking GCN (Xu et al. 2021) on input spikes S0 [T, N, F]; test accuracy at the best validation epoch. */
export async function fitSpikingGcn(
  s: FitSetup,
  G: Propagator,
  S0: tf.Tensor3D,
  cfg: SpikingGcnConfig,
): Promise<FitResult> {
  const p = initSpikingGcn(cfg, s.init);
  const train = await trainWith(s, () => spikingGcn(p, cfg, G, S0).logits, spikingGcnVariables(p, cfg), cfg.classes);
  // One more pass with the final weights: activity, representation and costs.
  const out = tf.tidy(() => {
    const f = spikingGcn(p, cfg, G, S0);
    const counts = [S0, ...f.spikes].map((x) => tf.sum(x).dataSync()[0]);
    return { rates: f.spikes.map((x) => tf.mean(x).dataSync()[0]), repr: f.rates.dataSync() as Float32Array, counts };
  });
  tf.dispose([...p.W, ...p.b, ...p.norm.flatMap((q) => [q.lambda, q.gamma]), p.Wout, p.bout]);
  const trace = { T: S0.shape[0], spikesIn: out.counts.slice(0, -1), spikesOut: out.counts.at(-1)! };
  return {
    train,
    rates: out.rates,
    repr: out.repr,
    width: cfg.hidden,
    cost: spikingGcnCost(graphShape(s.task.data), cfg, trace),
    trace,
  };
}

/** Trains the GCN reference (Kipf & Welling 2017) with the spiking model's depth and widths on features X [N, F]. */
export async function fitGcn(
  s: FitSetup,
  G: Propagator,
  X: tf.Tensor2D,
  cfg: Pick<SpikingGcnConfig, "inDim" | "hidden" | "classes" | "layers">,
): Promise<FitResult> {
  const p = initGcn(cfg, s.init);
  const vars = [...p.W, ...p.b, p.Wout, p.bout];
  const train = await trainWith(s, () => gcn(p, G, X).logits, vars, cfg.classes);
  const repr = tf.tidy(() => gcn(p, G, X).hidden.at(-1)!.dataSync() as Float32Array);
  tf.dispose(vars);
  return { train, rates: [], repr, width: cfg.hidden, cost: gcnCost(graphShape(s.task.data), cfg) };
}

/** A GAT run's first-layer attention per edge of A + I (averaged over steps and heads), besides the usual results. */
export interface GatFitResult extends FitResult {
  alpha: Float32Array;
  layout: AttentionLayout;
}

/** Trains a spiking GAT (cfg.lif set; input spikes X [T, N, F]) or a GAT (no lif; X [1, N, F] real features). */
export async function fitGat(s: FitSetup, X: tf.Tensor3D, cfg: GatConfig): Promise<GatFitResult> {
  const p = initGat(cfg, s.init),
    L = attentionLayout(s.task.data.graph, cfg.heads, cfg.score ?? "gat");
  // Weight decay on the weight matrices only: decaying the attention vectors would pull attention to uniform.
  const train = await trainWith(s, () => gatForward(p, cfg, L, X).logits, gatVariables(p, cfg), cfg.classes, [
    ...p.W,
    p.Wout,
  ]);
  const out = tf.tidy(() => {
    const f = gatForward(p, cfg, L, X);
    const counts = [X, ...f.outputs].map((x) => tf.sum(x).dataSync()[0]);
    const a = attentionWeights(L, f.h[0], p.att[0]),
      nnz = L.pattern.indptr[L.pattern.n],
      reps = a.length / nnz;
    const alpha = new Float32Array(nnz);
    for (let r = 0; r < reps; r++) for (let q = 0; q < nnz; q++) alpha[q] += a[r * nnz + q] / reps;
    return {
      rates: cfg.lif ? f.outputs.map((x) => tf.mean(x).dataSync()[0]) : [],
      repr: tf.mean(f.outputs.at(-1)!, 0).dataSync() as Float32Array,
      alpha,
      counts,
    };
  });
  tf.dispose(gatAllVariables(p));
  const shape = graphShape(s.task.data);
  const cost = cfg.lif
    ? spikingGatCost(shape, cfg, { T: X.shape[0], spikesIn: out.counts.slice(0, -1), spikesOut: out.counts.at(-1)! })
    : gatCost(shape, cfg);
  return { train, rates: out.rates, repr: out.repr, width: cfg.heads * cfg.headDim, cost, alpha: out.alpha, layout: L };
}

/** One trained model on one seed in a sweep: the numbers the notebooks tabulate and pool over seeds. */
export interface SweepRow {
  seed: number;
  model: string;
  layers: number;
  /** Test accuracy at the best validation epoch. */
  acc: number;
  /** Mean average cosine distance of the final node representations (0 = every node alike). */
  mad: number;
  /** Firing rate of each spiking layer (empty for non-spiking models). */
  rates: number[];
  /** Energy of one forward pass (nJ), its operation counts, the graph sizes and (spiking models) spikes they were counted from. */
  energy: number;
  cost: OpCount;
  shape: GraphShape;
  trace?: SpikeTrace;
  /** Epochs trained (early stopping may end a run before the budget). */
  epochs: number;
}

const row = (seed: number, model: string, layers: number, f: FitResult, d: GraphData): SweepRow => ({
  seed,
  model,
  layers,
  acc: f.train.testAcc,
  mad: meanAverageDistance(f.repr, d.n, f.width),
  rates: f.rates,
  energy: energyNJ(f.cost),
  cost: f.cost,
  shape: graphShape(d),
  ...(f.trace ? { trace: f.trace } : {}),
  epochs: f.train.epochs,
});

/** Settings of notebook 03's sweep of depth × seed for the spiking GCN with STFN, without, and the GCN. */
export interface DepthSweepOptions {
  seeds: readonly number[];
  depths: readonly number[];
  /** The task of a seed (graph, features, split): each seed draws its own. */
  task(seed: number): GraphTask;
  /** The weight stream of a seed and depth, shared by the three models (so STFN and no STFN start from the same W). */
  init(seed: number, layers: number): Rng;
  T: number;
  hidden: number;
  lif: LifParams;
  /** Training budget; `at(layers)` may override it per depth. */
  train: {
    epochs: number;
    lr: number;
    weightDecay?: number;
    patience?: number;
    at?: (layers: number) => { epochs?: number; lr?: number };
  };
  /** Models to train (default: with STFN, without, and the GCN). */
  models?: readonly DepthModel[];
}

/** The models of the depth sweep: the spiking GCN with and without STFN, the GCN, and the STFN model with the edges removed (a graph-free control). */
export type DepthModel = "SNN + STFN" | "SNN" | "GCN" | "SNN + STFN, no edges";

/** Runs the depth sweep: for every seed and depth, each model trained from the same initial stream; one row per run. */
export async function depthSweep(o: DepthSweepOptions): Promise<SweepRow[]> {
  const models = o.models ?? (["SNN + STFN", "SNN", "GCN"] as const);
  const bar = progress(o.seeds.length * o.depths.length * models.length, "depth × seed sweep");
  const rows: SweepRow[] = [];
  for (const seed of o.seeds) {
    const task = o.task(seed),
      d = task.data,
      G = propagator(d.graph),
      G0 = propagator(withoutEdges(task).data.graph);
    const S0 = tf.tensor3d(encodeNodes(d.x, o.T, "direct"), [o.T, d.n, d.f]),
      X = tf.tensor2d(d.x, [d.n, d.f]);
    for (const layers of o.depths) {
      const budget = { ...o.train, ...o.train.at?.(layers) };
      const cfg = { inDim: d.f, hidden: o.hidden, classes: d.classes, layers, lif: o.lif };
      for (const model of models) {
        const s: FitSetup = {
          task,
          epochs: budget.epochs,
          lr: budget.lr,
          weightDecay: budget.weightDecay,
          patience: budget.patience,
          init: o.init(seed, layers),
        };
        const f =
          model === "GCN"
            ? await fitGcn(s, G, X, cfg)
            : model === "SNN + STFN, no edges"
              ? await fitSpikingGcn({ ...s, task: withoutEdges(task) }, G0, S0, { ...cfg, stfn: true })
              : await fitSpikingGcn(s, G, S0, { ...cfg, stfn: model === "SNN + STFN" });
        rows.push(row(seed, model, layers, f, d));
        bar.tick(1, `seed ${seed}, ${layers} layers, ${model}: ${(100 * f.train.testAcc).toFixed(1)}%`);
      }
    }
    tf.dispose([S0, X]);
  }
  bar.done();
  return rows;
}

/** Settings of notebook 03's input-coding comparison: real features encoded as spikes in several ways, and the GCN on the features. */
export interface CodingSweepOptions {
  seeds: readonly number[];
  /** The task of a seed; its features are scaled to [0, 1] per feature before encoding. */
  task(seed: number): GraphTask;
  /** Codes to compare: a name, the coding, and the label of the stream rate coding draws its spikes from. */
  codes: readonly { name: string; coding: Coding; draw?: string }[];
  init(seed: number): Rng;
  /** The stream of a seed's spike draws (rate coding). */
  spikes(seed: number, draw: string): Rng;
  T: number;
  hidden: number;
  layers: number;
  lif: LifParams;
  train: { epochs: number; lr: number; weightDecay?: number; patience?: number };
}

/** Trains the spiking GCN with STFN on each code of each seed (same task and initial stream per seed), and the GCN on the scaled features. */
export async function codingSweep(o: CodingSweepOptions): Promise<SweepRow[]> {
  const bar = progress(o.seeds.length * (o.codes.length + 1), "input codes × seed");
  const rows: SweepRow[] = [];
  for (const seed of o.seeds) {
    const task = o.task(seed),
      d = task.data,
      x = minMaxScale(d.x, d.n, d.f),
      G = propagator(d.graph);
    const scaled: GraphTask = { ...task, data: { ...d, x } };
    const cfg = { inDim: d.f, hidden: o.hidden, classes: d.classes, layers: o.layers, lif: o.lif, stfn: true };
    const s = (): FitSetup => ({ ...o.train, task: scaled, init: o.init(seed) });
    for (const c of o.codes) {
      const S0 = tf.tensor3d(encodeNodes(x, o.T, c.coding, o.spikes(seed, c.draw ?? c.name)), [o.T, d.n, d.f]);
      rows.push(row(seed, c.name, o.layers, await fitSpikingGcn(s(), G, S0, cfg), scaled.data));
      S0.dispose();
      bar.tick(1, `seed ${seed}, ${c.name}`);
    }
    const X = tf.tensor2d(x, [d.n, d.f]);
    rows.push(row(seed, "GCN", o.layers, await fitGcn(s(), G, X, cfg), scaled.data));
    X.dispose();
    bar.tick(1, `seed ${seed}, GCN`);
  }
  bar.done();
  return rows;
}
