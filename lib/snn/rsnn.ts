/**
 * One-hidden-layer (optionally recurrent) spiking classifiers for sequence tasks, with the LIF components as
 * switches: the networks of the leak × reset × recurrence ablation of Yin et al. 2024 (arXiv:2403.16674), in the
 * small. A whole grid of them (cells × seeds) is one `Rsnn`: M independent networks whose hidden layers sit side
 * by side in one [B, M·H] state, so that each time step is a handful of tensor ops for all of them (on wasm a
 * small network's cost is per-op overhead, and batched matMuls are 9× slower than plain ones).
 *
 *   I^t = x^t W + b (+ ξ^t, ξ ~ N(0, σ²) when probing membrane noise)
 *   u^t = k_τ h^{t−1} + I^t + o^{t−1} V,   (o^t, h^t) = LIF(u^t)        (V only in recurrent cells)
 *   logits = (1/R) Σ_{t > T−R} (o^t W_o + b_o)      a non-spiking readout averaged over the answer window
 *
 * The networks share nothing: W, V and W_o are block-diagonal across networks (masked), the loss is the sum of
 * their losses, so each one's gradient, and Adam's elementwise update, is what it would be alone. The cells of one
 * seed start from the same weights and see the same mini-batches (common random numbers), which pairs comparisons
 * between cells by seed. Network m = s·C + c is cell c of seed s (the order of `cells`); inside, each seed's
 * recurrent cells come first so that its recurrence is one matMul.
 * @see notebooks/07-lif-components.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { lifStep, resetSwitches, type LifParams, type Reset } from "./lif";
import type { Surrogate } from "./surrogate";
import { timeMajorBatch, type SeqSet } from "./tasks";

/** One cell of the ablation grid: leak factor k_τ (1 = integrate-and-fire), reset mode, recurrence. */
export interface Cell {
  name: string;
  kTau: number;
  reset: Reset;
  recurrent: boolean;
}

/** The architecture every network of the grid shares. */
export interface RsnnConfig {
  nIn: number;
  nHidden: number;
  nOut: number;
  /** Threshold (default 1). */
  uTh?: number;
  surrogate?: Surrogate;
  /** Readout averages the last R steps (default: all T). */
  readoutSteps?: number;
  /** Std of the input weights is inputGain/√nIn (default 1). */
  inputGain?: number;
}

/** M = seeds × cells networks, their hidden layers side by side. */
export interface Rsnn {
  cfg: RsnnConfig;
  cells: readonly Cell[];
  seeds: readonly number[];
  M: number;
  /** Column block of cell c inside its seed's C·H columns (recurrent cells first). */
  slot: readonly number[];
  /** Recurrent cells per seed. */
  R: number;
  /** Per seed: input weights [nIn, C·H], biases [1, C·H], recurrent weights [R·H, R·H] (block-diagonal). */
  W: tf.Variable[];
  b: tf.Variable[];
  V: tf.Variable[];
  /** Readout [M·H, M·nOut] (block-diagonal) and its bias [1, M·nOut]. */
  Wo: tf.Variable;
  bo: tf.Variable;
  /** Per hidden column [1, M·H]: leak and reset switches; block masks of V and W_o. */
  kTau: tf.Tensor;
  hard: tf.Tensor;
  soft: tf.Tensor;
  vMask: tf.Tensor;
  woMask: tf.Tensor;
}

/** Block index (seed s, slot) of network m = s·C + c. */
const blockOf = (net: Rsnn, m: number) =>
  Math.floor(m / net.cells.length) * net.cells.length + net.slot[m % net.cells.length];

/** P [M·k, M·k] with (row block blockOf(m), column block m) = I_k: block-ordered columns · P = columns in network order. */
function permutation(net: Rsnn, k: number): tf.Tensor2D {
  const n = net.M * k,
    a = new Float32Array(n * n);
  for (let m = 0; m < net.M; m++) for (let i = 0; i < k; i++) a[(blockOf(net, m) * k + i) * n + m * k + i] = 1;
  return tf.tensor2d(a, [n, n]);
}

/** A block-diagonal 0/1 mask of n blocks of size r × c. */
function blockMask(n: number, r: number, c: number): tf.Tensor2D {
  const a = new Float32Array(n * r * n * c);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < r; i++) a.fill(1, (k * r + i) * n * c + k * c, (k * r + i) * n * c + (k + 1) * c);
  return tf.tensor2d(a, [n * r, n * c]);
}

/**
 * Seeded initialisation, as one network per (seed, cell): W ~ N(0, gain²/nIn), V ~ N(0, 0.25/H) with a zero
 * diagonal (self-excitation is the leak's job), W_o ~ N(0, 1/H), biases 0; all drawn from `key.derive("init/" + seed)`
 * so that the cells of a seed start alike.
 */
export function initRsnn(cfg: RsnnConfig, cells: readonly Cell[], seeds: readonly number[], key: Rng): Rsnn {
  const { nIn, nHidden: H, nOut: K } = cfg,
    C = cells.length,
    S = seeds.length,
    M = S * C,
    g = cfg.inputGain ?? 1;
  if (C === 0 || S === 0) throw new Error("initRsnn needs at least one cell and one seed");
  const rec = cells
    .map((c, i) => [c, i] as const)
    .filter(([c]) => c.recurrent)
    .map(([, i]) => i);
  const ff = cells
    .map((c, i) => [c, i] as const)
    .filter(([c]) => !c.recurrent)
    .map(([, i]) => i);
  const slot = new Array<number>(C);
  [...rec, ...ff].forEach((c, j) => {
    slot[c] = j;
  });
  const R = rec.length,
    CH = C * H,
    MH = M * H;
  const W: tf.Variable[] = [],
    V: tf.Variable[] = [],
    Wo = new Float32Array(MH * M * K);
  seeds.forEach((seed, s) => {
    const r = key.derive(`init/${seed}`);
    const w = r.normalArray(nIn * H, 0, g / Math.sqrt(nIn)),
      v = r.normalArray(H * H, 0, 0.5 / Math.sqrt(H)),
      wo = r.normalArray(H * K, 0, 1 / Math.sqrt(H));
    for (let i = 0; i < H; i++) v[i * H + i] = 0;
    const ws = new Float32Array(nIn * CH),
      vs = new Float32Array(R * H * R * H);
    for (let j = 0; j < C; j++) for (let i = 0; i < nIn; i++) ws.set(w.subarray(i * H, (i + 1) * H), i * CH + j * H);
    for (let j = 0; j < R; j++)
      for (let i = 0; i < H; i++) vs.set(v.subarray(i * H, (i + 1) * H), (j * H + i) * R * H + j * H);
    for (let j = 0; j < C; j++) {
      const blk = s * C + j;
      for (let i = 0; i < H; i++) Wo.set(wo.subarray(i * K, (i + 1) * K), (blk * H + i) * M * K + blk * K);
    }
    W.push(tf.variable(tf.tensor2d(ws, [nIn, CH])));
    if (R > 0) V.push(tf.variable(tf.tensor2d(vs, [R * H, R * H])));
  });
  const perColumn = (f: (c: Cell) => number) => {
    const a = new Float32Array(MH);
    for (let s = 0; s < S; s++) cells.forEach((c, i) => a.fill(f(c), (s * C + slot[i]) * H, (s * C + slot[i] + 1) * H));
    return tf.tensor2d(a, [1, MH]);
  };
  return {
    cfg,
    cells,
    seeds,
    M,
    slot,
    R,
    W,
    b: seeds.map(() => tf.variable(tf.zeros([1, CH]))),
    V,
    Wo: tf.variable(tf.tensor2d(Wo, [MH, M * K])),
    bo: tf.variable(tf.zeros([1, M * K])),
    kTau: perColumn((c) => c.kTau),
    hard: perColumn((c) => resetSwitches(c.reset)[0]),
    soft: perColumn((c) => resetSwitches(c.reset)[1]),
    vMask: blockMask(R, H, H),
    woMask: blockMask(M, H, K),
  };
}

/** Network m's own weights, cut out of the grid (W [nIn, H], b [1, H], V [H, H] or undefined, W_o [H, K], b_o [1, K]). */
export function networkWeights(
  net: Rsnn,
  m: number,
): { W: tf.Tensor2D; b: tf.Tensor2D; V?: tf.Tensor2D; Wo: tf.Tensor2D; bo: tf.Tensor2D } {
  const { nIn, nHidden: H, nOut: K } = net.cfg,
    C = net.cells.length,
    s = Math.floor(m / C),
    j = net.slot[m % C],
    blk = blockOf(net, m);
  const cut = (v: tf.Variable, at: [number, number], size: [number, number]) => tf.slice(v as tf.Tensor2D, at, size);
  return {
    W: cut(net.W[s], [0, j * H], [nIn, H]),
    b: cut(net.b[s], [0, j * H], [1, H]),
    V: net.cells[m % C].recurrent ? cut(net.V[s], [j * H, j * H], [H, H]) : undefined,
    Wo: cut(net.Wo, [blk * H, blk * K], [H, K]),
    bo: cut(net.bo, [0, blk * K], [1, K]),
  };
}

/** The trainable variables (masked entries get zero gradient and stay zero). */
export function rsnnVariables(net: Rsnn): tf.Variable[] {
  return [...net.W, ...net.b, ...net.V, net.Wo, net.bo];
}

/** Frees a grid of networks. */
export function disposeRsnn(net: Rsnn): void {
  tf.dispose([...rsnnVariables(net), net.kTau, net.hard, net.soft, net.vMask, net.woMask]);
}

/** Probes applied in a forward pass: Gaussian noise σ on the membrane (added to the current each step). */
export interface RsnnProbe {
  membraneNoise?: number;
  seed?: number;
}

/** What a forward pass returns, per network m (in the order s·C + c): logits [M, B, nOut] and spike counts [M]. */
export interface RsnnOut {
  logits: tf.Tensor3D;
  spikes: tf.Tensor1D;
}

/**
 * Forward pass of every network. `inputs` are time-major batches [T·B, nIn] (row t·B + b is sample b at step t):
 * one per seed, shared by that seed's cells, or one per network (m = s·C + c), e.g. for attacks. Each step runs in
 * its own `tf.tidy` and frees the previous state, so evaluation keeps little memory; under a gradient tape the
 * tensors the backward pass needs are kept by the tape.
 */
export function rsnnForward(net: Rsnn, inputs: readonly tf.Tensor2D[], T: number, probe: RsnnProbe = {}): RsnnOut {
  const { M, cfg, R } = net,
    H = cfg.nHidden,
    K = cfg.nOut,
    C = net.cells.length,
    S = net.seeds.length;
  const TB = inputs[0].shape[0],
    B = TB / T;
  if (!Number.isInteger(B)) throw new Error(`rsnnForward: ${TB} rows is not T·B for T = ${T}`);
  if (inputs.length !== S && inputs.length !== M)
    throw new Error(`rsnnForward: ${inputs.length} inputs for ${S} seeds and ${M} networks`);
  const RO = Math.min(T, cfg.readoutSteps ?? T);
  // the input current of step t, from that step's rows of the inputs (small slices: wasm's Slice is slow on
  // large tensors, so the [T·B, M·H] current is never built and cut up)
  const current = (t: number): tf.Tensor => {
    const rows = (x: tf.Tensor2D) => tf.slice(x, [t * B, 0], [B, cfg.nIn]);
    if (inputs.length === S)
      return tf.concat(
        inputs.map((x, s) => tf.add(tf.matMul(rows(x), net.W[s] as tf.Tensor2D), net.b[s])),
        1,
      );
    const blocks = new Array<tf.Tensor>(M);
    inputs.forEach((x, m) => {
      const s = Math.floor(m / C),
        j = net.slot[m % C];
      blocks[s * C + j] = tf.add(
        tf.matMul(rows(x), tf.slice(net.W[s], [0, j * H], [cfg.nIn, H]) as tf.Tensor2D),
        tf.slice(net.b[s], [0, j * H], [1, H]),
      );
    });
    return tf.concat(blocks, 1);
  };
  const V = net.V.map((v) => tf.mul(v, net.vMask) as tf.Tensor2D);
  const zerosFF = R < C ? tf.zeros([B, (C - R) * H]) : undefined;
  const lif: LifParams = {
    kTau: net.kTau,
    uTh: cfg.uTh ?? 1,
    reset: { hard: net.hard, soft: net.soft },
    surrogate: cfg.surrogate,
  };
  let cur = {
    h: tf.zeros([B, M * H]),
    o: tf.zeros([B, M * H]),
    read: tf.zeros([B, M * H]),
    count: tf.zeros([B, M * H]),
  };
  for (let t = 0; t < T; t++) {
    const next = tf.tidy(() => {
      let input = current(t);
      if (probe.membraneNoise)
        input = tf.add(
          input,
          tf.randomNormal([B, M * H], 0, probe.membraneNoise, "float32", (probe.seed ?? 1) * 7919 + t),
        );
      if (R > 0 && t > 0) {
        // each seed's recurrent cells: o^{t−1} V on their R·H columns, zeros for the feed-forward ones
        const parts = net.seeds.flatMap((_, s) => [
          tf.matMul(tf.slice(cur.o, [0, s * C * H], [B, R * H]) as tf.Tensor2D, V[s]),
          ...(zerosFF ? [zerosFF] : []),
        ]);
        input = tf.add(input, tf.concat(parts, 1));
      }
      const r = lifStep(lif, cur, input);
      return {
        h: r.state.h,
        o: r.state.o,
        read: t >= T - RO ? tf.add(cur.read, r.output) : tf.clone(cur.read),
        count: tf.add(cur.count, r.output),
      };
    });
    // the previous state is no longer needed (a gradient tape keeps its own copies of what it saved)
    tf.dispose([cur.h, cur.o, cur.read, cur.count]);
    cur = next;
  }
  // the readout is linear, so averaging the spikes of the window first is the same as averaging the logits
  const blockLogits = tf.reshape(
    tf.add(tf.matMul(tf.div(cur.read, RO) as tf.Tensor2D, tf.mul(net.Wo, net.woMask) as tf.Tensor2D), net.bo),
    [B, M, K],
  );
  const blockSpikes = tf.sum(tf.reshape(tf.sum(cur.count, 0), [M, H]), 1);
  tf.dispose([cur.h, cur.o, cur.read, cur.count, ...V, ...(zerosFF ? [zerosFF] : [])]);
  // back to the order m = s·C + c, by permutation matrices (gather has no gradient on wasm)
  const logits = tf.transpose(
    tf.reshape(tf.matMul(tf.reshape(blockLogits, [B, M * K]) as tf.Tensor2D, permutation(net, K)), [B, M, K]),
    [1, 0, 2],
  );
  const spikes = tf.reshape(tf.matMul(tf.reshape(blockSpikes, [1, M]) as tf.Tensor2D, permutation(net, 1)), [M]);
  return { logits: logits as tf.Tensor3D, spikes: spikes as tf.Tensor1D };
}

/** Softmax cross-entropy of every network, mean over its batch: logits [M, B, K], labels [M·B] → [M]. */
export function perNetworkLoss(logits: tf.Tensor3D, labels: tf.Tensor1D): tf.Tensor1D {
  const [M, B, K] = logits.shape;
  const y = tf.oneHot(labels, K).reshape([M, B, K]);
  return tf.mean(tf.sub(tf.logSumExp(logits, 2), tf.sum(tf.mul(logits, y), 2)), 1) as tf.Tensor1D;
}

/** Options of `trainRsnn`. */
export interface TrainOptions {
  epochs: number;
  batch: number;
  lr: number;
  key: Rng;
}

/**
 * Adam on the summed cross-entropy of every network. Seed s shuffles its mini-batches with
 * `key.derive("order/" + seed + "/" + epoch)`, the same for all its cells. Calls `onStep` after each step with the
 * mean loss of each network, and yields to the event loop so that a kernel can show progress and deliver an
 * interrupt. Resolves to each network's mean loss per epoch ([epoch][m]).
 */
export async function trainRsnn(
  net: Rsnn,
  set: SeqSet,
  o: TrainOptions,
  onStep?: (loss: Float32Array) => void,
): Promise<Float32Array[]> {
  const opt = tf.train.adam(o.lr),
    vars = rsnnVariables(net),
    C = net.cells.length;
  const perEpoch = Math.floor(set.n / o.batch),
    losses: Float32Array[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const perms = net.seeds.map((seed) => o.key.derive(`order/${seed}/${e}`).permutation(set.n));
    const sum = new Float32Array(net.M);
    for (let k = 0; k < perEpoch; k++) {
      const idx = perms.map((p) => p.subarray(k * o.batch, (k + 1) * o.batch));
      const y = Int32Array.from(
        { length: net.M * o.batch },
        (_, j) => set.y[idx[Math.floor(j / o.batch / C)][j % o.batch]],
      );
      const l = tf.tidy(() => {
        const xs = idx.map((ix) => tf.tensor2d(timeMajorBatch(set, ix), [set.T * o.batch, set.c])),
          yt = tf.tensor1d(y, "int32");
        let per: tf.Tensor1D | undefined;
        const { grads } = tf.variableGrads(() => {
          per = tf.keep(perNetworkLoss(rsnnForward(net, xs, set.T).logits, yt));
          return tf.sum(per) as tf.Scalar;
        }, vars);
        opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
        const values = per!.dataSync() as Float32Array;
        per!.dispose();
        return values;
      });
      l.forEach((v, m) => {
        sum[m] += v / perEpoch;
      });
      onStep?.(l);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    losses.push(sum);
  }
  opt.dispose();
  return losses;
}

/** Each network's accuracy and hidden firing rate (spikes per neuron per step) on a set, under an optional probe. */
export function evalRsnn(
  net: Rsnn,
  set: SeqSet,
  probe: RsnnProbe & { batch?: number } = {},
): { acc: number[]; rate: number[] } {
  const Bt = probe.batch ?? 100,
    correct = new Float64Array(net.M),
    spikes = new Float64Array(net.M);
  for (let s = 0; s < set.n; s += Bt) {
    const idx = Array.from({ length: Math.min(Bt, set.n - s) }, (_, i) => s + i);
    tf.tidy(() => {
      const x = tf.tensor2d(timeMajorBatch(set, idx), [set.T * idx.length, set.c]);
      const r = rsnnForward(
        net,
        net.seeds.map(() => x),
        set.T,
        { ...probe, seed: (probe.seed ?? 1) + s },
      );
      const pred = tf.argMax(r.logits, 2).dataSync(),
        sp = r.spikes.dataSync();
      for (let m = 0; m < net.M; m++) {
        spikes[m] += sp[m];
        idx.forEach((i, j) => {
          if (pred[m * idx.length + j] === set.y[i]) correct[m]++;
        });
      }
    });
  }
  const neuronSteps = set.n * set.T * net.cfg.nHidden;
  return { acc: Array.from(correct, (c) => c / set.n), rate: Array.from(spikes, (c) => c / neuronSteps) };
}
