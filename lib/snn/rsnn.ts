/**
 * A one-hidden-layer (optionally recurrent) spiking classifier for sequence tasks, with the LIF components as
 * switches: the network of the leak × reset × recurrence ablation of Yin et al. 2024 (arXiv:2403.16674), in the small.
 *
 *   I^t = x^t W + b (+ ξ^t, ξ ~ N(0, σ²) when probing membrane noise),  (o^t, h^t) = LIF(h^{t−1}, o^{t−1}; I^t)
 *   logits = (1/R) Σ_{t > T−R} (o^t W_o + b_o)      a non-spiking readout averaged over the answer window
 *
 * Trained by BPTT with a surrogate spike gradient and softmax cross-entropy.
 * @see notebooks/07-lif-components.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { progress } from "../display";
import { denseLif, unroll, checkLifParams, type LifParams, type Reset } from "./lif";
import type { Surrogate } from "./surrogate";
import { timeMajorBatch, type SeqSet } from "./tasks";

/** Architecture and neuron switches of the recurrent SNN classifier. */
export interface RsnnConfig {
  nIn: number; nHidden: number; nOut: number;
  /** Leak factor k_τ ∈ [0,1]; 1 = integrate-and-fire. */
  kTau: number;
  reset: Reset;
  /** Learned recurrent weights V on the previous step's hidden spikes. */
  recurrent: boolean;
  /** Threshold (default 1). */
  uTh?: number;
  surrogate?: Surrogate;
  /** Readout averages the last R steps (default: all T). */
  readoutSteps?: number;
  /** Std of the input weights is inputGain/√nIn (default 1). */
  inputGain?: number;
}

/** Trainable tensors of the classifier. */
export interface RsnnParams { W: tf.Variable; b: tf.Variable; V?: tf.Variable; Wo: tf.Variable; bo: tf.Variable }

/** Seeded initialisation: W ~ N(0, gain²/nIn), V ~ N(0, 0.25/nHidden) with a zero diagonal, W_o ~ N(0, 1/nHidden). */
export function initRsnn(cfg: RsnnConfig, rng: Rng): RsnnParams {
  const { nIn, nHidden: H, nOut } = cfg;
  const g = cfg.inputGain ?? 1;
  const W = tf.variable(tf.tensor2d(rng.normalArray(nIn * H, 0, g / Math.sqrt(nIn)), [nIn, H]));
  const b = tf.variable(tf.zeros([H]));
  let V: tf.Variable | undefined;
  if (cfg.recurrent) {
    const v = rng.normalArray(H * H, 0, 0.5 / Math.sqrt(H));
    for (let i = 0; i < H; i++) v[i * H + i] = 0; // self-excitation is the leak's job
    V = tf.variable(tf.tensor2d(v, [H, H]));
  }
  const Wo = tf.variable(tf.tensor2d(rng.normalArray(H * nOut, 0, 1 / Math.sqrt(H)), [H, nOut]));
  const bo = tf.variable(tf.zeros([nOut]));
  return { W, b, V, Wo, bo };
}

/** All trainable variables (for optimizers and disposal). */
export function rsnnVariables(p: RsnnParams): tf.Variable[] {
  return [p.W, p.b, ...(p.V ? [p.V] : []), p.Wo, p.bo];
}

/** Probes applied in a forward pass: Gaussian noise σ on the membrane (added to the current each step). */
export interface RsnnProbe { membraneNoise?: number; seed?: number }

/** Forward pass on a time-major batch x [T, B, nIn]: logits [B, nOut], hidden spikes and membranes [T, B, H]. */
export function rsnnForward(cfg: RsnnConfig, p: RsnnParams, x: tf.Tensor3D, probe: RsnnProbe = {}): { logits: tf.Tensor2D; spikes: tf.Tensor; u: tf.Tensor } {
  const lif: LifParams = checkLifParams({ kTau: cfg.kTau, uTh: cfg.uTh ?? 1, reset: cfg.reset, V: p.V as tf.Tensor2D | undefined, surrogate: cfg.surrogate });
  const [T, B] = x.shape;
  if (probe.membraneNoise) {
    // noise enters with the current, i.e. straight onto the membrane: u^t = k_τ h^{t−1} + I^t + ξ^t
    const I = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [T * B, cfg.nIn]) as tf.Tensor2D, p.W as tf.Tensor2D), [T, B, cfg.nHidden]), p.b);
    const noisy = tf.add(I, tf.randomNormal([T, B, cfg.nHidden], 0, probe.membraneNoise, "float32", probe.seed ?? 1));
    return readout(cfg, p, unroll(lif, noisy), T);
  }
  return readout(cfg, p, denseLif(lif, p.W as tf.Tensor2D, p.b, x), T);
}

function readout(cfg: RsnnConfig, p: RsnnParams, run: { spikes: tf.Tensor; u: tf.Tensor }, T: number) {
  const R = Math.min(T, cfg.readoutSteps ?? T);
  const [, B, H] = run.spikes.shape;
  const last = tf.slice(run.spikes, [T - R, 0, 0], [R, B, H]);
  const mean = tf.mean(last, 0) as tf.Tensor2D; // the readout is linear, so averaging spikes first is the same
  const logits = tf.add(tf.matMul(mean, p.Wo as tf.Tensor2D), p.bo) as tf.Tensor2D;
  return { logits, spikes: run.spikes, u: run.u };
}

/** Options of `trainRsnn`. */
export interface TrainOptions { epochs: number; batch: number; lr: number; rng: Rng; label?: string; maxSteps?: number }

/** Adam on softmax cross-entropy, mini-batches shuffled by `rng`; resolves to the mean loss of each epoch. */
export function trainRsnn(cfg: RsnnConfig, p: RsnnParams, set: SeqSet, o: TrainOptions): Promise<number[]> {
  return fitSeqClassifier((x) => rsnnForward(cfg, p, x).logits, rsnnVariables(p), set, o);
}

/**
 * The training loop shared by the spiking classifiers: Adam on softmax cross-entropy of `logitsOf(x)` for
 * time-major batches x [T, B, c] of a sample-major set, shuffled by `o.rng`, with a progress bar. Resolves to the
 * mean loss of each epoch. It yields to the event loop after every batch, so that a kernel can flush the progress
 * display and deliver an interrupt while a long training runs.
 */
export async function fitSeqClassifier(logitsOf: (x: tf.Tensor3D) => tf.Tensor2D, vars: tf.Variable[], set: SeqSet, o: TrainOptions): Promise<number[]> {
  const opt = tf.train.adam(o.lr);
  const perEpoch = Math.floor(set.n / o.batch);
  const bar = progress(o.epochs * perEpoch, o.label ?? "train");
  const losses: number[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const perm = o.rng.permutation(set.n);
    let sum = 0;
    for (let k = 0; k < perEpoch; k++) {
      const idx = perm.subarray(k * o.batch, (k + 1) * o.batch);
      const loss = tf.tidy(() => {
        const x = tf.tensor3d(timeMajorBatch(set, idx), [set.T, o.batch, set.c]);
        const y = tf.oneHot(tf.tensor1d(Array.from(idx, (i) => set.y[i]), "int32"), set.classes);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logitsOf(x)) as tf.Scalar, true, vars)!;
      });
      const l = loss.dataSync()[0]; loss.dispose();
      sum += l;
      bar.tick(1, `loss ${l.toFixed(3)}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    losses.push(sum / perEpoch);
  }
  bar.done(`loss ${losses[losses.length - 1]?.toFixed(3)}`);
  opt.dispose();
  return losses;
}

/** Accuracy and hidden firing rate (spikes per neuron per step) of a trained network on a set, under an optional probe. */
export function evalRsnn(cfg: RsnnConfig, p: RsnnParams, set: SeqSet, probe: RsnnProbe & { batch?: number } = {}): { acc: number; rate: number } {
  const B = probe.batch ?? 250;
  let correct = 0, spikes = 0, events = 0;
  for (let s = 0; s < set.n; s += B) {
    const idx = Array.from({ length: Math.min(B, set.n - s) }, (_, i) => s + i);
    let pred: ArrayLike<number> = [], sp = 0, ev = 0;
    tf.tidy(() => {
      const x = tf.tensor3d(timeMajorBatch(set, idx), [set.T, idx.length, set.c]);
      const r = rsnnForward(cfg, p, x, { ...probe, seed: (probe.seed ?? 1) + s });
      pred = r.logits.argMax(1).dataSync(); sp = r.spikes.sum().dataSync()[0]; ev = r.spikes.size;
    });
    idx.forEach((i, j) => { if (pred[j] === set.y[i]) correct++; });
    spikes += sp; events += ev;
  }
  return { acc: correct / set.n, rate: spikes / events };
}
