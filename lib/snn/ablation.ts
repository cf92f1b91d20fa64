/**
 * The leak × reset × recurrence ablation of Yin et al. 2024 (arXiv:2403.16674): every cell of the grid, for every
 * seed, trained on the same data and budget (all of them at once, as one `Rsnn`), then scored on accuracy,
 * generalisation gap, firing rate, extra test sets, membrane noise and adversarial attacks on the inputs.
 * One row per (cell, seed); `cellsBySeed` pools rows per seed for paired comparisons between cells.
 * @see notebooks/07-lif-components.ipynb
 */
import type { Rng } from "../rng";
import { progress } from "../display";
import { mean } from "../stats";
import type { Reset } from "./lif";
import type { Surrogate } from "./surrogate";
import type { SeqSet } from "./tasks";
import { initRsnn, trainRsnn, evalRsnn, disposeRsnn, type Cell, type Rsnn } from "./rsnn";
import { attackRsnn, type AttackOptions } from "./attack";

/** The Cartesian grid leaks × resets × recurrence, named like "LIF0.9/soft/rec" or "IF/hard/ff". */
export function lifGrid(leaks: number[], resets: readonly Reset[], recurrence: boolean[]): Cell[] {
  const out: Cell[] = [];
  for (const kTau of leaks)
    for (const reset of resets)
      for (const recurrent of recurrence)
        out.push({
          name: `${kTau === 1 ? "IF" : `LIF${kTau}`}/${reset}/${recurrent ? "rec" : "ff"}`,
          kTau,
          reset,
          recurrent,
        });
  return out;
}

/** Data, architecture and budget shared by every cell and seed of one experiment. */
export interface GridSetup {
  train: SeqSet;
  test: SeqSet;
  hidden: number;
  readoutSteps?: number;
  inputGain?: number;
  surrogate?: Surrogate;
  epochs: number;
  batch: number;
  lr: number;
  /** Extra evaluation sets by name (e.g. "delay 30"), scored with the trained networks. */
  probes?: Record<string, SeqSet>;
  /** Stds of Gaussian noise added to the membrane at every step (one score per level, the same draws for all). */
  membraneNoise?: number[];
  /** L∞ attacks on the test inputs by name (e.g. "FGSM ε=0.05"). */
  attacks?: Record<string, AttackOptions>;
}

/** What one cell scored with one seed. */
export interface CellResult extends Cell {
  seed: number;
  trainAcc: number;
  testAcc: number;
  gap: number;
  /** Hidden spikes per neuron per step on the clean test set. */
  rate: number;
  /** Accuracy and hidden firing rate on each extra test set. */
  probes: Record<string, number>;
  probeRates: Record<string, number>;
  membraneNoiseAcc: number[];
  attacks: Record<string, number>;
  /** Mean training loss of the last epoch. */
  loss: number;
}

/**
 * Trains every cell for every seed (networks of seed s from `key.derive("init/" + s)`, batches from
 * `key.derive("order/" + s + …)`) and scores them; frees the networks unless `keep` is set, in which case the
 * caller disposes `net` (for membrane traces of trained networks).
 */
export async function runGrid(
  cells: readonly Cell[],
  seeds: readonly number[],
  s: GridSetup,
  key: Rng,
  o: { label?: string; keep?: boolean } = {},
): Promise<{ rows: CellResult[]; net?: Rsnn }> {
  const net = initRsnn(
    {
      nIn: s.train.c,
      nHidden: s.hidden,
      nOut: s.train.classes,
      readoutSteps: s.readoutSteps,
      inputGain: s.inputGain,
      surrogate: s.surrogate,
    },
    cells,
    seeds,
    key,
  );
  const bar = progress(
    s.epochs * Math.floor(s.train.n / s.batch),
    o.label ?? `${cells.length} cells × ${seeds.length} seeds`,
  );
  const loss = await trainRsnn(net, s.train, { epochs: s.epochs, batch: s.batch, lr: s.lr, key }, (l) =>
    bar.tick(1, `mean loss ${mean(l).toFixed(3)}`),
  );
  const last = loss[loss.length - 1];
  bar.done(`mean loss ${mean(last).toFixed(3)}`);
  const tr = evalRsnn(net, s.train),
    te = evalRsnn(net, s.test);
  const probes = Object.entries(s.probes ?? {}).map(([k, set]) => [k, evalRsnn(net, set)] as const);
  const noise = (s.membraneNoise ?? []).map(
    (sigma, i) => evalRsnn(net, s.test, { membraneNoise: sigma, seed: 7919 * (i + 1) }).acc,
  );
  const attacks = Object.entries(s.attacks ?? {}).map(([k, a]) => [k, attackRsnn(net, s.test, a)] as const);
  const rows = seeds.flatMap((seed, si) =>
    cells.map((cell, c): CellResult => {
      const m = si * cells.length + c;
      return {
        ...cell,
        seed,
        trainAcc: tr.acc[m],
        testAcc: te.acc[m],
        gap: tr.acc[m] - te.acc[m],
        rate: te.rate[m],
        probes: Object.fromEntries(probes.map(([k, a]) => [k, a.acc[m]])),
        probeRates: Object.fromEntries(probes.map(([k, a]) => [k, a.rate[m]])),
        membraneNoiseAcc: noise.map((a) => a[m]),
        attacks: Object.fromEntries(attacks.map(([k, a]) => [k, a[m]])),
        loss: last[m],
      };
    }),
  );
  if (!o.keep) {
    disposeRsnn(net);
    return { rows };
  }
  return { rows, net };
}

/**
 * The metric averaged over the cells that match `pick`, one number per seed (in the order of `seeds`): the
 * per-seed samples a paired test compares (e.g. no-reset cells against reset cells, seed by seed).
 */
export function cellsBySeed(
  rows: readonly CellResult[],
  seeds: readonly number[],
  pick: (r: CellResult) => boolean,
  metric: (r: CellResult) => number,
): number[] {
  return seeds.map((seed) => {
    const sel = rows.filter((r) => r.seed === seed && pick(r));
    if (sel.length === 0) throw new Error(`cellsBySeed: no cell of seed ${seed} matches the filter`);
    return mean(sel.map(metric));
  });
}
