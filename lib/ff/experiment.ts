/**
 * The experiment pieces notebook 01 runs for each learner: train with a learning curve and a memory meter,
 * measure the working memory of one step as the network deepens, and sweep inference noise.
 * @see notebooks/01-distance-forward.ipynb
 */
import { Rng } from "../rng";
import { trainLoopAsync, gatherRows, gatherLabels, type EpochRecord } from "../train/loop";
import { tensorMeter } from "../train/memory";
import { createFF, type FFModel } from "./ff";
import { createDF, type DFModel } from "./df";
import { createBP, type BPModel } from "./bp";
import { trainStep, accuracy, disposeModel, type Model } from "./models";

export interface LabelledSet { x: Float32Array; y: Int32Array; n: number }
export type Learner = "ff" | "df" | "bp";

/** Creates a learner of the given kind with its default hyper-parameters (overridable). */
export function createModel(kind: Learner, opts: { sizes: number[]; rng: Rng; lr?: number } & Record<string, unknown>): Model {
  return kind === "ff" ? createFF(opts) : kind === "df" ? createDF(opts) : createBP(opts);
}

export interface TrainResult {
  history: EpochRecord[];
  /** Largest live tensor bytes during a step above that step's resting level (distinct buffers). */
  peakStepBytes: number;
  /** The same with tf.memory().numBytes (every tensor view counted). */
  peakStepTensorBytes: number;
  /** CPU seconds of the training (evaluation included). */
  cpuSeconds: number;
}

/** Trains `m` for `epochs` on `train`, recording the loss and test accuracy per epoch and the peak step memory (yields to the event loop between steps). */
export async function trainModel(m: Model, train: LabelledSet, test: LabelledSet, opts: { epochs: number; batchSize: number; rng: Rng; label?: string }): Promise<TrainResult> {
  const buffers = tensorMeter(), views = tensorMeter({ perTensor: true });
  const both = { begin() { buffers.begin(); views.begin(); }, sample() { buffers.sample(); views.sample(); }, get peakBytes() { return buffers.peakBytes; }, get peakStepBytes() { return buffers.peakStepBytes; }, reset() { buffers.reset(); views.reset(); } };
  const dim = train.x.length / train.n, c0 = process.cpuUsage();
  const history = await trainLoopAsync({
    epochs: opts.epochs, batchSize: opts.batchSize, n: train.n, rng: opts.rng, label: opts.label ?? m.kind,
    step: (idx) => trainStep(m, gatherRows(train.x, dim, idx), gatherLabels(train.y, idx), { rng: opts.rng, meter: both }),
    onEpoch: () => ({ testAccuracy: accuracy(m, test) }),
  });
  const c = process.cpuUsage(c0);
  return { history, peakStepBytes: buffers.peakStepBytes, peakStepTensorBytes: views.peakStepBytes, cpuSeconds: (c.user + c.system) / 1e6 };
}

/** Peak working memory (bytes above rest, distinct buffers) of a few training steps of a fresh learner on random data. */
export function stepMemory(kind: Learner, sizes: number[], batchSize: number, rng: Rng, steps = 2): number {
  const meter = tensorMeter();
  const m = createModel(kind, { sizes, rng });
  const x = rng.uniformArray(batchSize * sizes[0]), y = Int32Array.from({ length: batchSize }, () => rng.int(m.classes));
  try {
    for (let i = 0; i < steps; i++) trainStep(m, x, y, { rng, meter });
    return meter.peakStepBytes;
  } finally { disposeModel(m); }
}

/** Test accuracy at each noise level σ, with relative Gaussian noise on the weights or on the activations (see Noise). */
export function noiseSweep(m: Model, test: LabelledSet, levels: number[], target: "weight" | "activation", rng: Rng): number[] {
  return levels.map((s) => accuracy(m, test, { noise: { [target]: s, rng: rng.split() } }));
}

export type { FFModel, DFModel, BPModel };
