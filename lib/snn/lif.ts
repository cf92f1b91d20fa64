/**
 * Leaky integrate-and-fire neurons with each component switchable: leak, reset and recurrence.
 *
 *   u^t = k_τ · h^{t−1} + I^t + o^{t−1} V          membrane before spiking (V optional: recurrence)
 *   o^t = H(u^t − u_th)                           spike (Heaviside forward, surrogate backward)
 *   h^t = u^t (1 − o^t) + u_reset o^t   'hard'    (the paper's u·(1 − o) with u_reset = 0)
 *       = u^t − u_th o^t                'soft'    (reset by subtraction)
 *       = u^t                           'none'
 *
 * The three resets are one formula with two switches, h^t = u^t − o^t (ρ_hard (u^t − u_reset) + ρ_soft u_th),
 * (ρ_hard, ρ_soft) = (1, 0), (0, 1), (0, 0); `ResetMix` gives the switches as tensors, so that networks with
 * different resets run as one batched computation (`rsnn.ts`).
 *
 * Legend: u membrane potential, h membrane after reset (what is carried to the next step), I^t the synaptic input
 * Σ_j w_ij o_j^{t,n−1} from the layer below, k_τ ∈ [0,1] the leak factor (1 = integrate-and-fire, no leak;
 * 0 = complete leak), u_th the threshold, V the recurrent weights on the previous step's spikes.
 * With hard reset this is exactly u^{t,n} = k_τ u^{t−1,n}(1 − o^{t−1,n}) + Σ_j w_ij o_j^{t,n−1} of
 * Yin et al. 2024, "Understanding the functional roles of modelling components in spiking neural networks",
 * arXiv:2403.16674.
 *
 * The step is a pure function: state in, state out (no hidden `this.mem` as in snnTorch's Leaky). `unroll` runs it
 * over T steps inside the caller's gradient tape, which is backpropagation through time.
 * @see notebooks/07-lif-components.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import { fastSigmoid, spikeFn, type Surrogate } from "./surrogate";

export type Reset = "hard" | "soft" | "none";
export const RESETS: readonly Reset[] = ["hard", "soft", "none"];

/** Per-neuron (or per-network) reset switches ρ_hard, ρ_soft ∈ {0, 1}, broadcastable to the membrane. */
export interface ResetMix {
  hard: tf.Tensor;
  soft: tf.Tensor;
}

/** The switches (ρ_hard, ρ_soft) of a named reset. */
export function resetSwitches(reset: Reset): [number, number] {
  return reset === "hard" ? [1, 0] : reset === "soft" ? [0, 1] : [0, 0];
}

/** Parameters of a LIF layer (a plain record: a variant of the ablation grid is a different record). */
export interface LifParams {
  /** Leak factor k_τ ∈ [0,1] (scalar or a tensor broadcastable to [batch, n], e.g. learnable per neuron); 1 = IF. */
  kTau: number | tf.Tensor;
  /** Firing threshold u_th. */
  uTh: number;
  /** Reset after a spike: one for the whole layer, or switches per neuron/network. */
  reset: Reset | ResetMix;
  /** Hard-reset value u_reset (default 0). */
  uReset?: number;
  /** Recurrent weights V [n, n] on the previous step's spikes; omit for a feed-forward layer. */
  V?: tf.Tensor2D | tf.Tensor3D;
  /** Surrogate derivative of the spike (default fast sigmoid, α = 25). */
  surrogate?: Surrogate;
  /**
   * Cut the gradient through the reset term (treat o in the reset as a constant), as snnTorch and SpikingJelly
   * offer; Zenke & Vogels 2021 found it often helps. Default false.
   */
  detachReset?: boolean;
}

/** The carried state: membrane after reset h and the last spikes o, both [batch, n]. */
export interface LifState {
  h: tf.Tensor;
  o: tf.Tensor;
}

/** What one step returns: spikes, the new state, and the pre-spike membrane u (for traces and attention). */
export interface LifStep {
  output: tf.Tensor;
  state: LifState;
  u: tf.Tensor;
}

/** Validates a parameter record once (k_τ ∈ [0,1], threshold > 0, a known reset), not on every step. */
export function checkLifParams(p: LifParams): LifParams {
  if (typeof p.reset !== "object" && !RESETS.includes(p.reset))
    throw new Error(`LIF reset must be one of ${RESETS.join(", ")}, got ${String(p.reset)}`);
  if (typeof p.kTau === "number" && !(p.kTau >= 0 && p.kTau <= 1))
    throw new Error(`LIF leak k_τ must lie in [0,1], got ${p.kTau}`);
  if (!(p.uTh > 0)) throw new Error(`LIF threshold u_th must be positive, got ${p.uTh}`);
  return p;
}

/**
 * One LIF step: u = k_τ h + I + o_prev V; o = H(u − u_th); h' = reset(u, o). Pure; does not dispose its inputs.
 * Works for any trailing shape of `input` when V is omitted (e.g. [batch, c, h, w] for conv layers); with V, the
 * state may carry a leading network axis ([M, batch, n] against V [M, n, n], a batched matMul).
 */
export function lifStep(p: LifParams, state: LifState, input: tf.Tensor): LifStep {
  const spike = spikeFn(p.surrogate ?? fastSigmoid());
  let u = tf.add(tf.mul(p.kTau, state.h), input);
  if (p.V) u = tf.add(u, tf.matMul(state.o as tf.Tensor2D, p.V as tf.Tensor2D));
  const o = spike(tf.sub(u, p.uTh));
  const oR = p.detachReset ? detach(o) : o;
  let h: tf.Tensor;
  if (typeof p.reset === "object") {
    // h = u − o (ρ_hard (u − u_reset) + ρ_soft u_th)
    const back = tf.add(tf.mul(p.reset.hard, p.uReset ? tf.sub(u, p.uReset) : u), tf.mul(p.reset.soft, p.uTh));
    h = tf.sub(u, tf.mul(oR, back));
  } else if (p.reset === "hard") {
    h = tf.mul(u, tf.sub(1, oR));
    if (p.uReset) h = tf.add(h, tf.mul(p.uReset, oR));
  } else if (p.reset === "soft") {
    h = tf.sub(u, tf.mul(p.uTh, oR));
  } else {
    h = u;
  }
  return { output: o, state: { h, o }, u };
}

// Identity forward, zero gradient backward (tfjs has no stopGradient op).
const detach = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as (x: tf.Tensor) => tf.Tensor;

/** The result of running a layer over T steps: spikes and membranes stacked time-major [T, batch, ...]. */
export interface LifRun {
  spikes: tf.Tensor;
  u: tf.Tensor;
  state: LifState;
}

/**
 * Unrolls `lifStep` over the leading (time) axis of `inputs` [T, batch, ...] from `state0` (default zeros).
 * Call it inside `tf.variableGrads` / `optimizer.minimize` and the tape backpropagates through time.
 * Intermediate tensors are left to the caller's `tf.tidy`.
 */
export function unroll(p: LifParams, inputs: tf.Tensor | tf.Tensor[], state0?: LifState): LifRun {
  // T slices rather than tf.unstack, whose wasm kernel (Unpack) is about 100× slower on large inputs
  const xs = Array.isArray(inputs)
    ? inputs
    : Array.from({ length: inputs.shape[0] }, (_, t) => tf.squeeze(tf.slice(inputs, t, 1), [0]));
  if (xs.length === 0) throw new Error("unroll needs at least one time step");
  let state = state0 ?? { h: tf.zerosLike(xs[0]), o: tf.zerosLike(xs[0]) };
  const spikes: tf.Tensor[] = [],
    us: tf.Tensor[] = [];
  for (const x of xs) {
    const r = lifStep(p, state, x);
    spikes.push(r.output);
    us.push(r.u);
    state = r.state;
  }
  return { spikes: tf.stack(spikes), u: tf.stack(us), state };
}

/**
 * A fully connected LIF layer over T steps: I^t = x^t W + b, then `unroll`. `x` is [T, batch, nIn]; W is [nIn, n].
 * The input projection of all T steps is one matMul on the [T·batch, nIn] view (fast on wasm).
 */
export function denseLif(
  p: LifParams,
  W: tf.Tensor2D,
  b: tf.Tensor | undefined,
  x: tf.Tensor3D,
  state0?: LifState,
): LifRun {
  const [T, B, nIn] = x.shape;
  let I: tf.Tensor = tf.matMul(tf.reshape(x, [T * B, nIn]) as tf.Tensor2D, W);
  if (b) I = tf.add(I, b);
  return unroll(p, tf.reshape(I, [T, B, W.shape[1]]), state0);
}

/** Membrane trace of one neuron driven by a given current sequence I^1..I^T (plain numbers in, plain arrays out). */
export function lifTrace(p: LifParams, current: ArrayLike<number>): { u: number[]; o: number[] } {
  return tf.tidy(() => {
    const r = unroll(p, tf.tensor3d(Array.from(current), [current.length, 1, 1]));
    return { u: Array.from(r.u.dataSync()), o: Array.from(r.spikes.dataSync()) };
  });
}
