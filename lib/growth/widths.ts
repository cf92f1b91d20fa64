/**
 * Do independently trained networks of different widths share one weight distribution? The RC ansatz of Chen,
 * Kuang, Deng, Han, Bai & dos Reis 2024 (arXiv 2408.08681) says a trained weight is a function of its row and
 * column labels, W^l_ab = w^l(u_a, u_b), with labels drawn from one measure whatever the width; then every
 * per-neuron statistic below has a width-independent distribution, and so do its summaries. This module trains a
 * grid of widths × seeds and asks, statistic by statistic, whether width explains more of the network-to-network
 * variation than the seed does (one-way ANOVA with the seeds as replicates, Fisher 1925; `oneWayAnova` in lib/stats).
 *
 * Per hidden layer l (neuron a, incoming row of W^{l−1}, outgoing column of W^l):
 *   row statistic  r_a = RMS of the incoming row,   column statistic  c_a = RMS of the outgoing column,
 *   row–column correlation ρ_l = corr_a(r_a, c_a)   (both are functions of u_a under the ansatz).
 * A network is summarised by the median of r and of c over its neurons and by ρ_l, for each hidden layer.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import { mean, median, oneWayAnova, pearson, sd, type Anova } from "../stats";
import { initMeanField, train, type LossKind, type MeanFieldMLP, type Scaling } from "./mlp";
import { neuronStats } from "./stats";

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

/** How a grid of widths is initialised and trained: the parametrisation is what the RC ansatz is stated in. */
export interface WidthRegime {
  /** Shown in tables. */
  name: string;
  scaling: Scaling;
  /** σ of the hidden-to-hidden weights at initialisation (0: the middle layer starts at its mean-field limit). */
  middleSigma: number;
}

/** One trained network of the grid: its width, seed, final training loss and weight summary. */
export interface WidthRun {
  regime: string;
  width: number;
  seed: number;
  loss: number;
  summary: Record<string, number>;
}

/**
 * Trains [d_in, M, M, d_out] networks for every width M and seed with Adam from `regime`'s initialisation, all
 * with the same data, steps, batch and learning rate; seed s of width M draws from `key.derive(\`${M}/${s}\`)`.
 */
export async function trainWidthGrid(
  data: { X: Float32Array; Y: Float32Array; n: number; dIn: number; dOut: number; kind: LossKind },
  regime: WidthRegime,
  widths: readonly number[],
  seeds: readonly number[],
  opts: { steps: number; batch: number; lr: number; key: Rng; onStep?: () => void },
): Promise<WidthRun[]> {
  const runs: WidthRun[] = [];
  for (const M of widths)
    for (const s of seeds) {
      const r = opts.key.derive(`${M}/${s}`);
      const net = initMeanField([data.dIn, M, M, data.dOut], r.derive("init"), {
        scaling: regime.scaling,
        sigmaW: [regime.middleSigma, 1],
      });
      const res = await train(net, data.X, data.Y, data.n, {
        kind: data.kind,
        steps: opts.steps,
        batch: opts.batch,
        lr: opts.lr,
        rng: r.derive("batches"),
        evalEvery: opts.steps,
        onStep: opts.onStep,
      });
      runs.push({
        regime: regime.name,
        width: M,
        seed: s,
        loss: res.losses[res.losses.length - 1],
        summary: weightSummary(res.net),
      });
    }
  return runs;
}

/** Per statistic: mean ± sd over seeds at each width, and the ANOVA of the width effect. */
export interface WidthEffect {
  stat: string;
  byWidth: { width: number; mean: number; sd: number }[];
  anova: Anova;
}

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
