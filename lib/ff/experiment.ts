/**
 * The experiment pieces notebook 01 runs: train a set of learners over several seeds (paired: seed s gives every
 * learner the same initial hidden weights and the same data order), record learning curves and the peak working
 * memory of a step, and sweep inference noise.
 * @see notebooks/01-distance-forward.ipynb
 */
import type { Rng } from "../rng";
import { progress, type Progress } from "../display";
import { trainLoopAsync, gatherRows, gatherLabels, type EpochRecord } from "../train/loop";
import { tensorMeter, type TensorMeter } from "../train/memory";
import { createFF, type FFModel } from "./ff";
import { createDF, type DFModel, type DFUpdate } from "./df";
import { createProto, type ProtoModel } from "./proto";
import { createBP, type BPModel } from "./bp";
import { trainStep, accuracy, predict, disposeModel, type Model } from "./models";
import { accuracyOf } from "./mlp";

export interface LabelledSet {
  x: Float32Array;
  y: Int32Array;
  n: number;
}
export type Learner = "ff" | "df" | "proto" | "bp";

/** A learner and its hyper-parameters: `kind`, Adam's rate, and any option of its `create…` function (DF's `update`, α, m, …). */
export interface LearnerSpec {
  kind: Learner;
  lr?: number /** Overrides the run's epoch count for this learner. */;
  epochs?: number;
  update?: DFUpdate;
  alpha?: number;
  margin?: number;
  collaborate?: boolean;
  endToEnd?: boolean;
  thetaScale?: number;
  predictFrom?: number;
}

/** Creates a learner of the given kind with its default hyper-parameters (overridable). */
export function createModel(
  kind: Learner,
  opts: { sizes: number[]; rng: Rng; lr?: number } & Omit<LearnerSpec, "kind">,
): Model {
  return kind === "ff"
    ? createFF(opts)
    : kind === "df"
      ? createDF(opts)
      : kind === "proto"
        ? createProto(opts)
        : createBP(opts);
}

export interface TrainResult {
  history: EpochRecord[];
  /** Largest live tensor bytes during a step above that step's resting level (distinct buffers), first step excluded. */
  peakStepBytes: number;
  /** The same with tf.memory().numBytes (every tensor view counted). */
  peakStepTensorBytes: number;
  /** Predictions on the test set after training, and their accuracy (also the last epoch's `testAccuracy`). */
  predictions: Int32Array;
  testAccuracy: number;
  /** Test predictions after each evaluated epoch (1-based; the last equals `predictions`). */
  predictionsAt: Map<number, Int32Array>;
}

/**
 * Trains `m` for `epochs` on `train` (yielding to the event loop between steps), recording the loss, the test
 * accuracy after every epoch (or, with `evaluate: "final"`, after the last only), and the peak working memory of a step. The first
 * step is not metered: it creates the optimisers' moment slots, which are resting state from then on.
 * `rng` orders the data; `stepRng` (default `rng`) draws FF's negative labels.
 */
export async function trainModel(
  m: Model,
  train: LabelledSet,
  test: LabelledSet,
  opts: {
    epochs: number;
    batchSize: number;
    rng: Rng;
    stepRng?: Rng;
    label?: string;
    evaluate?: "epoch" | "final";
    progress?: Progress;
  },
): Promise<TrainResult> {
  const buffers = tensorMeter(),
    views = tensorMeter({ perTensor: true });
  const both: TensorMeter = {
    begin() {
      buffers.begin();
      views.begin();
    },
    sample() {
      buffers.sample();
      views.sample();
    },
    get peakBytes() {
      return buffers.peakBytes;
    },
    get peakStepBytes() {
      return buffers.peakStepBytes;
    },
    reset() {
      buffers.reset();
      views.reset();
    },
  };
  const dim = train.x.length / train.n,
    stepRng = opts.stepRng ?? opts.rng;
  let steps = 0;
  const predictionsAt = new Map<number, Int32Array>();
  const history = await trainLoopAsync({
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    n: train.n,
    rng: opts.rng,
    label: opts.label ?? m.kind,
    progress: opts.progress,
    step: (idx) => {
      const loss = trainStep(m, gatherRows(train.x, dim, idx), gatherLabels(train.y, idx), {
        rng: stepRng,
        meter: both,
      });
      if (steps++ === 0) both.reset();
      return loss;
    },
    onEpoch: (epoch) => {
      if (opts.evaluate === "final" && epoch < opts.epochs) return;
      const p = predict(m, test.x, test.n);
      predictionsAt.set(epoch, p);
      return { testAccuracy: accuracyOf(p, test.y) };
    },
  });
  const predictions = predictionsAt.get(opts.epochs)!;
  return {
    history,
    peakStepBytes: buffers.peakStepBytes,
    peakStepTensorBytes: views.peakStepBytes,
    predictions,
    testAccuracy: accuracyOf(predictions, test.y),
    predictionsAt,
  };
}

/** One trained learner of a multi-seed run. */
export interface SeedRun {
  name: string;
  seed: number;
  model: Model;
  result: TrainResult;
}

/**
 * Trains every learner of `specs` once per seed. Seed s derives the initial weights (`init/s`: learners with the
 * same hidden widths start from the same hidden weights), the data order (`order/s`) and FF's negative labels
 * (`negatives/s`) from `key`, so that the runs of one seed are paired. One progress bar covers all the runs.
 */
export async function trainSeeds(
  specs: Record<string, LearnerSpec>,
  seeds: readonly number[],
  opts: {
    sizes: number[];
    train: LabelledSet;
    test: LabelledSet;
    epochs: number;
    batchSize: number;
    key: Rng;
    evaluate?: "epoch" | "final";
    label?: string;
  },
): Promise<SeedRun[]> {
  const runs: SeedRun[] = [];
  const steps =
    Object.values(specs).reduce((s, sp) => s + (sp.epochs ?? opts.epochs) * Math.ceil(opts.train.n / opts.batchSize), 0)
    * seeds.length;
  const bar = progress(steps, opts.label ?? "training");
  for (const seed of seeds)
    for (const [name, { kind, epochs, ...o }] of Object.entries(specs)) {
      const model = createModel(kind, { sizes: opts.sizes, rng: opts.key.derive(`init/${seed}`), ...o });
      const result = await trainModel(model, opts.train, opts.test, {
        epochs: epochs ?? opts.epochs,
        batchSize: opts.batchSize,
        rng: opts.key.derive(`order/${seed}`),
        stepRng: opts.key.derive(`negatives/${seed}`),
        label: `${name}, seed ${seed}`,
        evaluate: opts.evaluate,
        progress: bar,
      });
      runs.push({ name, seed, model, result });
    }
  bar.done(`${runs.length} runs`);
  return runs;
}

/** Peak working memory (bytes above rest, distinct buffers) of a few training steps of a fresh learner on random data (the first step, which creates the optimiser slots, excluded). */
export function stepMemory(
  kind: Learner,
  sizes: number[],
  batchSize: number,
  rng: Rng,
  steps = 2,
  opts: Omit<LearnerSpec, "kind"> = {},
): number {
  const meter = tensorMeter();
  const m = createModel(kind, { sizes, rng, ...opts });
  const x = rng.uniformArray(batchSize * sizes[0]),
    y = Int32Array.from({ length: batchSize }, () => rng.int(m.classes));
  try {
    for (let i = 0; i <= steps; i++) {
      trainStep(m, x, y, { rng, meter });
      if (i === 0) meter.reset();
    }
    return meter.peakStepBytes;
  } finally {
    disposeModel(m);
  }
}

/** Test accuracy at each noise level σ, with relative Gaussian noise on the weights or on the activations (see Noise); level i draws from `rng.derive(i)`. */
export function noiseSweep(
  m: Model,
  test: LabelledSet,
  levels: readonly number[],
  target: "weight" | "activation",
  rng: Rng,
): number[] {
  return levels.map((s, i) => accuracy(m, test, { noise: { [target]: s, rng: rng.derive(i) } }));
}

export type { FFModel, DFModel, ProtoModel, BPModel };
