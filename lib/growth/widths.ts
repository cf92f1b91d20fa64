/**
 * Do independently trained networks of different widths share one weight distribution? The RC ansatz of Chen,
 * Kuang, Deng, Han, Bai & dos Reis 2024 (arXiv 2408.08681) says a trained weight is a function of its row and
 * column labels, W^l_ab = w^l(u_a, u_b), with labels drawn from one measure whatever the width; then every
 * per-neuron statistic below has a width-independent distribution, and so do its summaries. This module trains a
 * grid of widths × seeds and asks, statistic by statistic, whether width explains more of the network-to-network
 * variation than the seed does (one-way ANOVA with the seeds as replicates, Fisher 1925).
 *
 * Per hidden layer l (neuron a, incoming row of W^{l−1}, outgoing column of W^l):
 *   row statistic  r_a = RMS of the incoming row,   column statistic  c_a = RMS of the outgoing column,
 *   row–column correlation ρ_l = corr_a(r_a, c_a)   (both are functions of u_a under the ansatz).
 * A network is summarised by the median of r and of c over its neurons and by ρ_l, for each hidden layer.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import { incompleteBeta, mean, median, sd } from "../stats";
import { initMeanField, train, type LossKind, type MeanFieldMLP, type Scaling } from "./mlp";
import { neuronStats } from "./stats";

/** Pearson correlation of two equal-length samples (NaN if either is constant). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * The summaries compared across widths, for every hidden layer l: "L{l} row" = median row RMS, "L{l} column" =
 * median column RMS, "L{l} row–column" = ρ_l. Each is a width-free quantity under the RC ansatz.
 */
export function weightSummary(net: MeanFieldMLP): Record<string, number> {
  const out: Record<string, number> = {};
  for (let l = 1; l < net.sizes.length - 1; l++) {
    const { rowRms, colRms } = neuronStats(net, l);
    out[`L${l} row`] = median(rowRms);
    out[`L${l} column`] = median(colRms);
    out[`L${l} row–column`] = pearson(rowRms, colRms);
  }
  return out;
}

/** One-way ANOVA result: F = (between-group mean square)/(within-group mean square), its p-value and dfs. */
export interface Anova { F: number; p: number; df1: number; df2: number }

/**
 * One-way analysis of variance (Fisher 1925): F = [Σ_g n_g (ȳ_g − ȳ)² / (k − 1)] / [Σ_g Σ_i (y_gi − ȳ_g)² / (n − k)],
 * p = P(F_{k−1, n−k} ≥ F) = I_{d₂/(d₂ + d₁F)}(d₂/2, d₁/2). Here the groups are widths and the replicates seeds, so F
 * measures the width effect against the seed-to-seed variation at one width.
 */
export function oneWayAnova(groups: readonly (readonly number[])[]): Anova {
  const k = groups.length, n = groups.reduce((s, g) => s + g.length, 0);
  if (k < 2 || n <= k) throw new Error(`oneWayAnova: need ≥ 2 groups and more values than groups (got ${k} groups, ${n} values)`);
  const grand = mean(groups.flat());
  let ssb = 0, ssw = 0;
  for (const g of groups) { const m = mean(g); ssb += g.length * (m - grand) ** 2; for (const y of g) ssw += (y - m) ** 2; }
  const df1 = k - 1, df2 = n - k, F = (ssb / df1) / (ssw / df2);
  const p = ssw === 0 ? (ssb === 0 ? 1 : 0) : incompleteBeta(df2 / (df2 + df1 * F), df2 / 2, df1 / 2);
  return { F, p, df1, df2 };
}

/** How a grid of widths is initialised and trained: the parametrisation is what the RC ansatz is stated in. */
export interface WidthRegime {
  /** Shown in tables. */
  name: string;
  scaling: Scaling;
  /** σ of the hidden-to-hidden weights at initialisation (0: the middle layer starts at its mean-field limit). */
  middleSigma: number;
}

/** One trained network of the grid: its width, seed, final training loss and weight summary. */
export interface WidthRun { regime: string; width: number; seed: number; loss: number; summary: Record<string, number> }

/**
 * Trains [d_in, M, M, d_out] networks for every width M and seed with Adam from `regime`'s initialisation, all
 * with the same data, steps, batch and learning rate; seed s of width M draws from `key.derive(\`${M}/${s}\`)`.
 */
export async function trainWidthGrid(
  data: { X: Float32Array; Y: Float32Array; n: number; dIn: number; dOut: number; kind: LossKind },
  regime: WidthRegime, widths: readonly number[], seeds: readonly number[],
  opts: { steps: number; batch: number; lr: number; key: Rng; onStep?: () => void },
): Promise<WidthRun[]> {
  const runs: WidthRun[] = [];
  for (const M of widths) for (const s of seeds) {
    const r = opts.key.derive(`${M}/${s}`);
    const net = initMeanField([data.dIn, M, M, data.dOut], r.derive("init"), { scaling: regime.scaling, sigmaW: [regime.middleSigma, 1] });
    const res = await train(net, data.X, data.Y, data.n, { kind: data.kind, steps: opts.steps, batch: opts.batch, lr: opts.lr, rng: r.derive("batches"), evalEvery: opts.steps, onStep: opts.onStep });
    runs.push({ regime: regime.name, width: M, seed: s, loss: res.losses[res.losses.length - 1], summary: weightSummary(res.net) });
  }
  return runs;
}

/** Per statistic: mean ± sd over seeds at each width, and the ANOVA of the width effect. */
export interface WidthEffect { stat: string; byWidth: { width: number; mean: number; sd: number }[]; anova: Anova }

/** The width effect on every summary statistic of a grid's runs (groups = widths, replicates = seeds). */
export function widthEffects(runs: readonly WidthRun[]): WidthEffect[] {
  const widths = [...new Set(runs.map((r) => r.width))];
  return Object.keys(runs[0].summary).map((stat) => {
    const groups = widths.map((w) => runs.filter((r) => r.width === w).map((r) => r.summary[stat]));
    return {
      stat,
      byWidth: widths.map((width, i) => ({ width, mean: mean(groups[i]), sd: sd(groups[i]) })),
      anova: oneWayAnova(groups),
    };
  });
}
