/**
 * Notebook 06's comparison: several graph models trained on several graphs, each on the same seeds, so that any
 * two models can be compared seed by seed (a paired design: a seed fixes the graph, features, split and initial
 * stream for every model), and the parity test the paper's "comparable performance" claim is checked with.
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { progress } from "../display";
import { edgeHomophily } from "../graph/measures";
import type { LifParams } from "./lif";
import { propagator } from "./graph-conv";
import { sameClassAttention, type AttentionScore } from "./graph-attention";
import {
  encodeNodes,
  fitSpikingGcn,
  fitGat,
  withoutEdges,
  type GraphTask,
  type FitResult,
  type GatFitResult,
} from "./graph-experiment";
import { energyNJ } from "./graph-ops";

/** A model of the comparison: spiking GCN, spiking GAT with a given score, the non-spiking GAT, or the spiking GCN without edges. */
export type CompareModel =
  | { name: string; arch: "spiking GCN" }
  | { name: string; arch: "spiking GAT"; score: AttentionScore }
  | { name: string; arch: "GAT" }
  | { name: string; arch: "no edges" };

/** Settings of a comparison: seeds, graphs (a task per seed), models per graph, sizes and the training budget. */
export interface CompareOptions {
  seeds: readonly number[];
  /** Each setting's task for a seed; tasks of one seed should share nodes where settings are to be compared. */
  settings: Record<string, (seed: number) => GraphTask>;
  /** Models trained on each setting (by setting name; `default` for the rest). */
  models: Record<string, readonly CompareModel[]>;
  /** The stream a seed's models start from (the same for every model of a setting and seed). */
  init(seed: number, setting: string): Rng;
  T: number;
  heads: number;
  headDim: number;
  lif: LifParams;
  train: { epochs: number; lr: number; weightDecay?: number; patience?: number };
}

/** One run: setting, model, seed; test accuracy; the attention share on same-class neighbours (attention models); energy. */
export interface CompareRow {
  setting: string;
  model: string;
  seed: number;
  acc: number;
  energy: number;
  /** Edge homophily of the setting's graph for this seed. */
  homophily: number;
  /** First-layer attention share on same-class neighbours, and the uniform share (attention models only). */
  share?: number;
  uniformShare?: number;
  /** Firing rate per spiking layer. */
  rates: number[];
}

/** Trains every model of every setting on every seed; one row per run. */
export async function compareModels(o: CompareOptions): Promise<CompareRow[]> {
  const names = Object.keys(o.settings),
    modelsOf = (s: string) => o.models[s] ?? o.models.default ?? [];
  const bar = progress(o.seeds.length * names.reduce((n, s) => n + modelsOf(s).length, 0), "models × graphs × seeds");
  const rows: CompareRow[] = [];
  const F = o.heads * o.headDim;
  for (const seed of o.seeds)
    for (const setting of names) {
      const task = o.settings[setting](seed),
        d = task.data;
      const S0 = tf.tensor3d(encodeNodes(d.x, o.T, "direct"), [o.T, d.n, d.f]),
        X1 = tf.tensor3d(d.x, [1, d.n, d.f]);
      const gat = { inDim: d.f, heads: o.heads, headDim: o.headDim, classes: d.classes, layers: 2 };
      const sgcn = { inDim: d.f, hidden: F, classes: d.classes, layers: 2, lif: o.lif, stfn: true };
      for (const m of modelsOf(setting)) {
        const s = { ...o.train, task: m.arch === "no edges" ? withoutEdges(task) : task, init: o.init(seed, setting) };
        let f: FitResult | GatFitResult;
        if (m.arch === "spiking GCN" || m.arch === "no edges")
          f = await fitSpikingGcn(s, propagator(s.task.data.graph), S0, sgcn);
        else if (m.arch === "spiking GAT") f = await fitGat(s, S0, { ...gat, lif: o.lif, stfn: true, score: m.score });
        else f = await fitGat(s, X1, gat);
        const att =
          "alpha" in f && !(m.arch === "spiking GAT" && m.score === "uniform")
            ? sameClassAttention(f.alpha, f.layout.pattern, d.y)
            : undefined;
        rows.push({
          setting,
          model: m.name,
          seed,
          acc: f.train.testAcc,
          energy: energyNJ(f.cost),
          homophily: edgeHomophily(d.graph, d.y),
          rates: f.rates,
          ...(att ? { share: att.attention, uniformShare: att.uniform } : {}),
        });
        bar.tick(1, `seed ${seed}, ${setting}, ${m.name}: ${(100 * f.train.testAcc).toFixed(1)}%`);
      }
      tf.dispose([S0, X1]);
    }
  bar.done();
  return rows;
}

/** The per-seed values of `key` for one setting and model, in seed order (for paired comparisons). */
export function bySeed(
  rows: readonly CompareRow[],
  setting: string,
  model: string,
  key: "acc" | "energy" | "share" | "uniformShare" = "acc",
): number[] {
  const r = rows.filter((x) => x.setting === setting && x.model === model).sort((a, b) => a.seed - b.seed);
  if (r.length === 0) throw new Error(`bySeed: no runs of "${model}" on "${setting}"`);
  return r.map((x) => {
    const v = x[key];
    if (v === undefined) throw new Error(`bySeed: "${model}" on "${setting}" has no ${key}`);
    return v;
  });
}
