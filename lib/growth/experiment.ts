/**
 * Experiment helpers for the weight-transfer notebook: a 1-D regression task, excess-loss sweeps over widths,
 * and time-to-target of grown networks against training from scratch.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import { duplicate, rcSample } from "./grow";
import { initMeanField, lossOf, train, type LossKind, type MeanFieldMLP } from "./mlp";

/** 1-D regression data y = sin(2x) + 0.3x + ε, x ~ U[−2, 2], ε ~ N(0, noise²). */
export function sineTask(n: number, rng: Rng, noise = 0.05): { X: Float32Array; Y: Float32Array; n: number } {
  const X = rng.uniformArray(n, -2, 2);
  const Y = Float32Array.from(X, (x) => Math.sin(2 * x) + 0.3 * x + rng.normal(0, noise));
  return { X, Y, n };
}

/**
 * Excess loss of RC-sampled growth, E[L(grown)] − L(small), for every width M (all hidden layers set to M),
 * averaged over `seeds` independent samplings; sampling s of width M draws from `key.derive(\`${M}/${s}\`)`.
 */
export function excessLossSweep(
  small: MeanFieldMLP,
  widths: readonly number[],
  seeds: number,
  key: Rng,
  loss: (net: MeanFieldMLP) => number,
): { M: number[]; mean: number[]; sd: number[]; base: number } {
  const base = loss(small),
    hidden = small.sizes.length - 2;
  const mean: number[] = [],
    sd: number[] = [];
  for (const M of widths) {
    const ex = Array.from(
      { length: seeds },
      (_, s) => loss(rcSample(small, new Array(hidden).fill(M), key.derive(`${M}/${s}`))) - base,
    );
    const m = ex.reduce((a, b) => a + b) / seeds;
    mean.push(m);
    sd.push(Math.sqrt(ex.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, seeds - 1)));
  }
  return { M: [...widths], mean, sd, base };
}

/** First step at which a recorded loss curve reaches `target` (Infinity if it never does). */
export function stepsToReach(steps: readonly number[], losses: readonly number[], target: number): number {
  for (let i = 0; i < losses.length; i++) if (losses[i] <= target) return steps[i];
  return Infinity;
}

/** One continuation run: a method's name, its recorded curve and the step at which it reached the target. */
export interface ContinuationRun {
  name: string;
  steps: number[];
  losses: number[];
  reach: number;
}

/** The four starts of a continuation, in the order `compareContinuation` returns them. */
export const CONTINUATION_METHODS = [
  "duplication + noise",
  "RC sampling",
  "fresh init (scratch)",
  "fresh init, second seed",
] as const;

/** The training set of a continuation: inputs X, targets Y, n examples, and the loss. */
export interface ContinuationData {
  X: Float32Array;
  Y: Float32Array;
  n: number;
  kind: LossKind;
}

/** Settings of a continuation: step budget, learning rate, batch, duplication noise, the seed key; eval period and target slack. */
export interface ContinuationOptions {
  budget: number;
  lr: number;
  batch: number;
  noise: number;
  key: Rng;
  evalEvery?: number;
  slack?: number;
  onStep?: () => void;
}

/**
 * Continues training after growth to width M by duplication (+ symmetric noise) and by RC sampling, against two
 * independently initialised width-M networks trained from scratch (the second is the null: scratch against
 * scratch). The target is the small model's loss × (1 + slack); every run stops once it reaches the target or
 * after `budget` steps. Start s draws from `key.derive(name)`.
 */
export async function compareContinuation(
  small: MeanFieldMLP,
  data: ContinuationData,
  M: number,
  opts: ContinuationOptions,
): Promise<{ target: number; runs: ContinuationRun[] }> {
  const hidden = new Array(small.sizes.length - 2).fill(M),
    k = opts.key;
  const target = lossOf(small, data.X, data.Y, data.n, data.kind) * (1 + (opts.slack ?? 0.02));
  const fresh = (label: string) =>
    initMeanField([small.sizes[0], ...hidden, small.sizes[small.sizes.length - 1]], k.derive(label));
  const starts = [
    duplicate(small, hidden, { noise: opts.noise, rng: k.derive(CONTINUATION_METHODS[0]) }),
    rcSample(small, hidden, k.derive(CONTINUATION_METHODS[1])),
    fresh(CONTINUATION_METHODS[2]),
    fresh(CONTINUATION_METHODS[3]),
  ];
  const runs: ContinuationRun[] = [];
  for (const [i, net] of starts.entries()) {
    const name = CONTINUATION_METHODS[i];
    const res = await train(net, data.X, data.Y, data.n, {
      kind: data.kind,
      steps: opts.budget,
      batch: opts.batch,
      lr: opts.lr,
      rng: k.derive(`batches/${name}`),
      evalEvery: opts.evalEvery ?? 10,
      stopAt: target,
      onStep: opts.onStep,
    });
    runs.push({ name, steps: res.steps, losses: res.losses, reach: stepsToReach(res.steps, res.losses, target) });
  }
  return { target, runs };
}

/**
 * Speed-up of start a over start b: reach_b / reach_a, where a run that never reached the target counts as
 * reaching it one evaluation after the budget (so the ratio is a bound when either is censored).
 */
export function speedup(a: ContinuationRun, b: ContinuationRun, budget: number, evalEvery = 10): number {
  const r = (x: ContinuationRun) => (Number.isFinite(x.reach) ? Math.max(x.reach, evalEvery) : budget + evalEvery);
  return r(b) / r(a);
}

/** `compareContinuation` for each small model in turn, model s drawing from `key.derive(s)`. */
export async function continuationTrials(
  smalls: readonly MeanFieldMLP[],
  data: ContinuationData,
  M: number,
  opts: ContinuationOptions,
): Promise<{ target: number; runs: ContinuationRun[] }[]> {
  const out: { target: number; runs: ContinuationRun[] }[] = [];
  for (const [s, small] of smalls.entries())
    out.push(await compareContinuation(small, data, M, { ...opts, key: opts.key.derive(s) }));
  return out;
}
