/**
 * A small convolutional spiking network with optional multi-dimensional attention in each conv layer, after the
 * layer structure of MA-SNN's official code (BICLab/Attention-SNN, `ConvAttLIF`): conv → (pool) → attention on the
 * current of all T steps → LIF over time. Yao et al. 2023, arXiv:2209.13929.
 *
 *   X¹ = BN(conv₃ₓ₃(events)),       S¹ = LIF(MA(X¹))             [T, B, s, s, c₁]
 *   X² = pool₂ₓ₂(BN(conv₃ₓ₃(S¹))),   S² = LIF(MA(X²))             [T, B, s/2, s/2, c₂]
 *   logits = (1/T) Σ_t vec(S²_t) W_o + b_o                        a non-spiking readout averaged over time
 *
 * BN normalises each channel with the statistics of the current batch (over T, B and pixels) at training and at test
 * time alike, as the official code does (`track_running_stats=False`). Convolutions are im2col + matMul (`conv.ts`)
 * so that they train on the wasm backend.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { unroll, type Reset } from "./lif";
import type { Surrogate } from "./surrogate";
import { conv2dSame, avgPool2 } from "./conv";
import { initMaAttention, maAttention, maVariables, type MaKind, type MaParams } from "./attention";
import { convFanOut, denseFanOut, energyPJ, type LayerActivity } from "./counters";
import { fitSeqClassifier, type FitOptions, type TrainRecord } from "./fit";
import { timeMajorBatch } from "./tasks";
import type { EventSet } from "./events";

/** Architecture of the conv SNN. */
export interface ConvSnnConfig {
  /** Input frame side and channels (2: ON/OFF), time steps. */
  side: number;
  inChannels: number;
  T: number;
  /** Channels of the two conv layers. */
  c1: number;
  c2: number;
  classes: number;
  attention: MaKind;
  kTau: number;
  reset: Reset;
  uTh?: number;
  surrogate?: Surrogate;
  /** Std of conv weights is gain·√(2/fan-in) (default 1). */
  gain?: number;
  /** Batch normalisation of each conv output before attention (default true) and its initial scale γ (default 1). */
  batchNorm?: boolean;
  bnScale?: number;
  tRatio?: number;
  cRatio?: number;
}

/** Trainable tensors: two conv filters (as im2col matrices) with biases, readout, and each layer's attention. */
export interface ConvSnnParams {
  W1: tf.Variable;
  b1: tf.Variable;
  W2: tf.Variable;
  b2: tf.Variable;
  Wo: tf.Variable;
  bo: tf.Variable;
  /** BN scale γ per channel of each conv layer (the shift is the conv bias). */
  g1: tf.Variable;
  g2: tf.Variable;
  att1: MaParams;
  att2: MaParams;
}

/** Seeded initialisation (He-style conv weights, attention as `initMaAttention`). */
export function initConvSnn(cfg: ConvSnnConfig, rng: Rng): ConvSnnParams {
  const g = cfg.gain ?? 1,
    s2 = cfg.side / 2;
  const he = (fanIn: number, n: number, shape: [number, number]) =>
    tf.variable(tf.tensor2d(rng.normalArray(n, 0, g * Math.sqrt(2 / fanIn)), shape));
  const o = { tRatio: cfg.tRatio, cRatio: cfg.cRatio };
  return {
    W1: he(9 * cfg.inChannels, 9 * cfg.inChannels * cfg.c1, [9 * cfg.inChannels, cfg.c1]),
    b1: tf.variable(tf.zeros([cfg.c1])),
    W2: he(9 * cfg.c1, 9 * cfg.c1 * cfg.c2, [9 * cfg.c1, cfg.c2]),
    b2: tf.variable(tf.zeros([cfg.c2])),
    Wo: tf.variable(
      tf.tensor2d(rng.normalArray(s2 * s2 * cfg.c2 * cfg.classes, 0, 1 / Math.sqrt(s2 * s2 * cfg.c2)), [
        s2 * s2 * cfg.c2,
        cfg.classes,
      ]),
    ),
    bo: tf.variable(tf.zeros([cfg.classes])),
    g1: tf.variable(tf.fill([cfg.c1], cfg.bnScale ?? 1)),
    g2: tf.variable(tf.fill([cfg.c2], cfg.bnScale ?? 1)),
    att1: initMaAttention(cfg.attention, cfg.T, cfg.c1, rng.derive("attention/1"), o),
    att2: initMaAttention(cfg.attention, cfg.T, cfg.c2, rng.derive("attention/2"), o),
  };
}

/** Every trainable tensor of the network. */
export function convSnnVariables(cfg: ConvSnnConfig, p: ConvSnnParams): tf.Variable[] {
  return [
    p.W1,
    p.b1,
    p.W2,
    p.b2,
    p.Wo,
    p.bo,
    ...(cfg.batchNorm === false ? [] : [p.g1, p.g2]),
    ...maVariables(p.att1),
    ...maVariables(p.att2),
  ];
}

/** Forward pass on a time-major event batch x [T, B, side·side·inChannels]: logits and the spikes of both layers ([T, B, ·]). */
export function convSnnForward(
  cfg: ConvSnnConfig,
  p: ConvSnnParams,
  x: tf.Tensor3D,
): { logits: tf.Tensor2D; spikes: [tf.Tensor3D, tf.Tensor3D] } {
  const [T, B] = x.shape,
    s = cfg.side,
    s2 = s / 2;
  const lif = { kTau: cfg.kTau, uTh: cfg.uTh ?? 1, reset: cfg.reset, surrogate: cfg.surrogate };
  // layer 1: conv over all T·B frames at once, attention over the [T, B, P, C] current, then LIF through time
  const bn = (z: tf.Tensor4D, g: tf.Variable, b: tf.Variable): tf.Tensor4D => {
    if (cfg.batchNorm === false) return tf.add(z, b);
    // channel statistics as ones·Z matMuls: wasm reduces over leading axes by transposing first (slow)
    const [N, H, W, C] = z.shape,
      z2 = tf.reshape(z, [N * H * W, C]) as tf.Tensor2D,
      ones = tf.fill([1, N * H * W], 1 / (N * H * W)) as tf.Tensor2D;
    const centred = tf.sub(z2, tf.matMul(ones, z2));
    const variance = tf.matMul(ones, tf.square(centred));
    return tf.reshape(tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))), g), b), z.shape) as tf.Tensor4D;
  };
  const X1 = bn(
    conv2dSame(tf.reshape(x, [T * B, s, s, cfg.inChannels]) as tf.Tensor4D, p.W1 as tf.Tensor2D, 3),
    p.g1,
    p.b1,
  );
  const A1 = maAttention(cfg.attention, p.att1, tf.reshape(X1, [T, B, s * s, cfg.c1]) as tf.Tensor4D, s, s);
  const S1 = unroll(lif, tf.reshape(A1, [T, B, s * s * cfg.c1])).spikes as tf.Tensor3D;
  // layer 2: conv, 2×2 average pool, attention, LIF
  const X2 = avgPool2(
    bn(conv2dSame(tf.reshape(S1, [T * B, s, s, cfg.c1]) as tf.Tensor4D, p.W2 as tf.Tensor2D, 3), p.g2, p.b2),
  );
  const A2 = maAttention(cfg.attention, p.att2, tf.reshape(X2, [T, B, s2 * s2, cfg.c2]) as tf.Tensor4D, s2, s2);
  const S2 = unroll(lif, tf.reshape(A2, [T, B, s2 * s2 * cfg.c2])).spikes as tf.Tensor3D;
  const logits = tf.add(tf.matMul(tf.mean(S2, 0) as tf.Tensor2D, p.Wo as tf.Tensor2D), p.bo) as tf.Tensor2D;
  return { logits, spikes: [S1, S2] };
}

/** Trains with Adam on cross-entropy (the shared loop of `fitSeqClassifier`); resolves to per-epoch losses. */
export function trainConvSnn(cfg: ConvSnnConfig, p: ConvSnnParams, set: EventSet, o: FitOptions): Promise<TrainRecord> {
  return fitSeqClassifier((x) => convSnnForward(cfg, p, x).logits, convSnnVariables(cfg, p), set, o);
}

/**
 * The price of attention per sample (both layers), in real-valued operations: multiplications (the MLPs, the k×k
 * conv and the rescaling of every current by its weight, each one MAC) and additions (the pooling, one AC per
 * element per pooled statistic).
 */
export function attentionOps(cfg: ConvSnnConfig): { macs: number; adds: number } {
  let macs = 0,
    adds = 0;
  const mlp = (n: number, r: number) => 2 * 2 * n * Math.max(1, Math.floor(n / r)); // two passes (avg, max) through two matrices
  for (const [C, P] of [
    [cfg.c1, cfg.side * cfg.side],
    [cfg.c2, (cfg.side / 2) ** 2],
  ]) {
    const N = cfg.T * P * C; // currents of the layer
    if (cfg.attention.includes("T")) {
      macs += mlp(cfg.T, cfg.tRatio ?? 4) + N;
      adds += 2 * N;
    }
    if (cfg.attention.includes("C")) {
      macs += mlp(C, cfg.cRatio ?? 4) + N;
      adds += 2 * N;
    }
    if (cfg.attention.includes("S") && cfg.attention !== "none") {
      macs += 9 * 2 * P + N;
      adds += 2 * N;
    }
  }
  return { macs, adds };
}

/** Test accuracy, per-layer activity (input events, layer 1, layer 2) and the energy estimate, per sample. */
export interface ConvSnnEval {
  acc: number;
  layers: LayerActivity[];
  /** Spikes of the two hidden layers per sample (input events excluded). */
  spikesPerSample: number;
  /** Synaptic operations per sample (input events and both hidden layers, each × its fan-out). */
  sopsPerSample: number;
  /** Synaptic energy E = SOP·0.9 pJ per sample, in nanojoules. */
  synapticNJ: number;
  /** Energy including attention's own cost: (SOP + attention adds)·0.9 pJ + attention MACs·4.6 pJ, in nanojoules. */
  energyNJ: number;
}

/** Evaluates accuracy and counts spikes and SOPs layer by layer (fan-outs: 9·c₁, 9·c₂, classes). */
export function evalConvSnn(cfg: ConvSnnConfig, p: ConvSnnParams, set: EventSet, batch = 100): ConvSnnEval {
  const fan = [convFanOut(cfg.c1, 3), convFanOut(cfg.c2, 3), denseFanOut(cfg.classes)];
  const names = ["input events", "conv1 LIF", "conv2 LIF"];
  const spikes = [0, 0, 0],
    sizes = [0, 0, 0];
  let correct = 0;
  for (let s = 0; s < set.n; s += batch) {
    const idx = Array.from({ length: Math.min(batch, set.n - s) }, (_, i) => s + i);
    tf.tidy(() => {
      const x = tf.tensor3d(timeMajorBatch(set, idx), [set.T, idx.length, set.c]);
      const r = convSnnForward(cfg, p, x);
      const pred = r.logits.argMax(1).dataSync();
      idx.forEach((i, j) => {
        if (pred[j] === set.y[i]) correct++;
      });
      [x, ...r.spikes].forEach((t, l) => {
        spikes[l] += tf.sum(t).dataSync()[0];
        sizes[l] += t.size;
      });
    });
  }
  const layers = names.map((name, l) => ({
    name,
    spikes: spikes[l] / set.n,
    events: sizes[l] / set.n,
    rate: spikes[l] / sizes[l],
    sops: (spikes[l] * fan[l]) / set.n,
  }));
  const sopsPerSample = layers.reduce((a, l) => a + l.sops, 0);
  return {
    acc: correct / set.n,
    layers,
    spikesPerSample: layers[1].spikes + layers[2].spikes,
    sopsPerSample,
    synapticNJ: energyPJ({ sops: sopsPerSample }) / 1000,
    energyNJ: energyPJ({ sops: sopsPerSample + attentionOps(cfg).adds, macs: attentionOps(cfg).macs }) / 1000,
  };
}

/** One trained variant of the attention comparison: its evaluation, training record and parameter count. */
export interface AttentionRun extends ConvSnnEval {
  kind: MaKind;
  fit: TrainRecord;
  params: number;
}

/**
 * Trains the conv SNN with attention `kind` (everything else from `base`) from `init` on `train` and evaluates it
 * on `test`; frees the network afterwards. `params` counts the trainable numbers, to show attention's parameter cost.
 */
export async function runAttention(
  kind: MaKind,
  base: Omit<ConvSnnConfig, "attention">,
  train: EventSet,
  test: EventSet,
  o: FitOptions & { init: Rng },
): Promise<AttentionRun> {
  const cfg: ConvSnnConfig = { ...base, attention: kind };
  const p = initConvSnn(cfg, o.init);
  const fit = await trainConvSnn(cfg, p, train, { ...o, label: o.label ?? kind });
  const ev = evalConvSnn(cfg, p, test);
  const vars = convSnnVariables(cfg, p);
  const params = vars.reduce((a, v) => a + v.size, 0);
  [p.W1, p.b1, p.W2, p.b2, p.Wo, p.bo, p.g1, p.g2, ...maVariables(p.att1), ...maVariables(p.att2)].forEach((v) =>
    v.dispose(),
  );
  return { ...ev, kind, fit, params };
}
