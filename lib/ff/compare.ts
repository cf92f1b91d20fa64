/**
 * Comparing learners trained over paired seeds (`trainSeeds`): accuracy summaries, McNemar's test per seed on the
 * shared test set (McNemar 1947, via lib/stats), the seed-to-seed differences of one learner that any real
 * difference must exceed, and inference-noise sweeps.
 * @see notebooks/01-distance-forward.ipynb
 */
import { mcnemar, mean } from "../stats";
import type { Rng } from "../rng";
import { accuracyOf } from "./mlp";
import { noiseSweep, type SeedRun, type LabelledSet } from "./experiment";

/** The runs of one learner, in seed order. */
export function runsOf(runs: readonly SeedRun[], name: string): SeedRun[] {
  const out = runs.filter((r) => r.name === name).sort((a, b) => a.seed - b.seed);
  if (!out.length)
    throw new Error(`no runs named "${name}" (have ${[...new Set(runs.map((r) => r.name))].join(", ")})`);
  return out;
}

/** Test predictions of a run after `epoch` (default: its last). */
export function predictionsAfter(run: SeedRun, epoch?: number): Int32Array {
  const p = epoch === undefined ? run.result.predictions : run.result.predictionsAt.get(epoch);
  if (!p) throw new Error(`${run.name}, seed ${run.seed}: no predictions stored after epoch ${epoch}`);
  return p;
}

/** Test accuracy of a run after `epoch` (default: its last). */
export function accuracyAfter(run: SeedRun, y: Int32Array, epoch?: number): number {
  return accuracyOf(predictionsAfter(run, epoch), y);
}

const correct = (p: Int32Array, y: Int32Array) => Array.from(p, (v, i) => v === y[i]);

/**
 * McNemar's z of A against B for each seed (A's and B's runs of the same seed, same test set): z = (b − c)/√(b + c),
 * b = digits only A classifies correctly. z > 3 on every seed means A is better beyond test-set noise every time.
 */
export function pairedMcnemar(
  a: readonly SeedRun[],
  b: readonly SeedRun[],
  y: Int32Array,
  opts: { epochA?: number; epochB?: number } = {},
): number[] {
  if (a.length !== b.length || a.some((r, i) => r.seed !== b[i].seed))
    throw new Error("pairedMcnemar: runs are not paired by seed");
  return a.map(
    (r, i) =>
      mcnemar(correct(predictionsAfter(r, opts.epochA), y), correct(predictionsAfter(b[i], opts.epochB), y)).statistic,
  );
}

/** |McNemar z| between every two seeds of one learner: how far apart the same method lands by chance. */
export function seedToSeedMcnemar(runs: readonly SeedRun[], y: Int32Array, epoch?: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs.length; i++)
    for (let j = i + 1; j < runs.length; j++)
      out.push(
        Math.abs(
          mcnemar(correct(predictionsAfter(runs[i], epoch), y), correct(predictionsAfter(runs[j], epoch), y)).statistic,
        ),
      );
  return out;
}

/** Accuracy of every run at each noise level (rows follow `runs`); run r, level i draws from `key.derive(`${target}/${seed}`).derive(i)`. */
export function noiseAccuracies(
  runs: readonly SeedRun[],
  test: LabelledSet,
  levels: readonly number[],
  target: "weight" | "activation",
  key: Rng,
): number[][] {
  return runs.map((r) => noiseSweep(r.model, test, levels, target, key.derive(`${target}/${r.seed}`)));
}

/** The learning curve averaged over seeds: epoch → mean test accuracy (runs of one learner, same epoch count). */
export function meanCurve(runs: readonly SeedRun[]): { x: number[]; y: number[] } {
  const h = runs[0].result.history;
  return { x: h.map((r) => r.epoch), y: h.map((_, e) => mean(runs.map((r) => r.result.history[e].testAccuracy))) };
}

/** Per run, the mean accuracy drop over the noise levels: mean_i (clean − acc_i), from `noiseAccuracies` rows. */
export function meanDrops(runs: readonly SeedRun[], y: Int32Array, accuracies: readonly number[][]): number[] {
  return runs.map((r, i) => mean(accuracies[i].map((a) => accuracyAfter(r, y) - a)));
}
