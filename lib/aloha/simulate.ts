/**
 * Seeded slot-level simulators of delay-constrained random access (see model.ts for the system). Stations are
 * simulated individually with typed arrays and no per-slot allocation, so 1000 stations × 10^5 slots run in
 * about a second.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import { Rng } from "../rng";
import type { AccessSystem } from "./model";

/** Result of a run: delivered packets per slot overall and per frame (the learning curve). */
export interface RunResult { throughput: number; delivered: number; slots: number; perFrame: Float32Array }

/** Draws the backlogged stations of a new frame into `active` (each station has a packet w.p. λ); returns their count. */
function arrivals(sys: AccessSystem, rng: Rng, active: Int32Array): number {
  let n = 0;
  for (let i = 0; i < sys.N; i++) if (sys.lambda >= 1 || rng.uniform() < sys.lambda) active[n++] = i;
  return n;
}

/**
 * ALOHA family: in slot t every backlogged station transmits independently with probability p(t, n), where n
 * is the number of backlogged stations (schemes that do not know n ignore it). Runs `frames` frames.
 */
export function simulateAloha(sys: AccessSystem, p: (t: number, n: number) => number, frames: number, rng: Rng): RunResult {
  const active = new Int32Array(sys.N), perFrame = new Float32Array(frames);
  let delivered = 0;
  for (let f = 0; f < frames; f++) {
    let n = arrivals(sys, rng, active), got = 0;
    for (let t = 0; t < sys.D && n > 0; t++) {
      const q = p(t, n);
      let tx = 0, who = -1;
      for (let k = 0; k < n && tx < 2; k++) if (rng.uniform() < q) { tx++; who = k; }
      // stop drawing after a second transmitter: the slot is a collision whatever the others do
      if (tx === 1) { active[who] = active[--n]; got++; }
    }
    perFrame[f] = got / sys.D;
    delivered += got;
  }
  return { throughput: delivered / (frames * sys.D), delivered, slots: frames * sys.D, perFrame };
}

/** Parameters of RLRA-DC's learning rule (see simulateRlra). */
export interface RlraParams {
  /** learning rate α of the per-slot action values */
  alpha: number;
  /** Boltzmann temperature τ of the slot choice: slot s is chosen with probability ∝ exp(Q[s]/τ) */
  tau: number;
}

/** Default learning rule, fixed for every N (the same code runs at every station). */
export const RLRA_DEFAULTS: RlraParams = { alpha: 0.3, tau: 0.05 };

/** Learned state of RLRA-DC: each station's action value Q_i[t] of transmitting in slot t of a frame (row-major N × D). */
export interface RlraState { Q: Float32Array; N: number; D: number }

/** Fresh RLRA-DC state: every slot valued 0, so the first choices are uniform. */
export function rlraInit(sys: AccessSystem): RlraState {
  return { Q: new Float32Array(sys.N * sys.D), N: sys.N, D: sys.D };
}

/** Station i's probability of choosing each slot at the start of a frame, softmax(Q_i/τ): its learned transmission profile. */
export function rlraSlotProbabilities(state: RlraState, i: number, params: RlraParams = RLRA_DEFAULTS): Float64Array {
  const { D, Q } = state, w = new Float64Array(D);
  let mx = -Infinity, z = 0;
  for (let t = 0; t < D; t++) mx = Math.max(mx, Q[i * D + t]);
  for (let t = 0; t < D; t++) { w[t] = Math.exp((Q[i * D + t] - mx) / params.tau); z += w[t]; }
  return w.map((x) => x / z);
}

/**
 * RLRA-DC as reconstructed for Folio (the paper's exact state/action/reward design could not be read; this follows
 * the frame-based Q-learning of ALOHA-Q, Chu et al. 2012, adapted to deadlines). The same code runs at every
 * station and learns only from the access point's acknowledgement: a backlogged station picks a slot of the
 * frame with probability softmax(Q_i/τ), transmits there, receives reward +1 (success) or −1 (collision),
 * updates Q_i[t] ← Q_i[t] + α(r − Q_i[t]), and after a collision picks again among the slots left before its
 * deadline. The AP's broadcast of another station's success in slot t is a virtual reward of −1 for slot t, and an idle
 * slot relaxes negative values towards 0 (otherwise a slot where two owners once collided stays unused forever). Identical code, different histories: each station comes to favour its own slots, a self-organised
 * reservation with differentiated transmission probabilities, which identical-probability ALOHA cannot reach.
 */
export function simulateRlra(sys: AccessSystem, state: RlraState, frames: number, rng: Rng, params: RlraParams = RLRA_DEFAULTS): RunResult {
  const { N, D } = sys, { Q } = state, { alpha, tau } = params;
  const active = new Int32Array(N), target = new Int32Array(N), perFrame = new Float32Array(frames);
  const cdf = new Float64Array(D), inv = 1 / tau;
  // draws a slot in [from, D) with probability ∝ exp(Q_i[s]/τ); -1 if none is left
  const pick = (i: number, from: number): number => {
    if (from >= D) return -1;
    const row = i * D;
    let mx = -Infinity;
    for (let s = from; s < D; s++) if (Q[row + s] > mx) mx = Q[row + s];
    let z = 0;
    for (let s = from; s < D; s++) { z += Math.exp((Q[row + s] - mx) * inv); cdf[s] = z; }
    const u = rng.uniform() * z;
    for (let s = from; s < D; s++) if (cdf[s] > u) return s;
    return D - 1;
  };
  let delivered = 0;
  for (let f = 0; f < frames; f++) {
    let n = arrivals(sys, rng, active), got = 0;
    for (let k = 0; k < n; k++) target[k] = pick(active[k], 0);
    for (let t = 0; t < D && n > 0; t++) {
      let m = 0, who = -1;
      for (let k = 0; k < n; k++) if (target[k] === t) { m++; who = k; }
      if (m === 1) {
        const w = active[who];
        // the AP's broadcast tells every other station the slot is taken: a virtual reward of −1 there
        for (let i = 0, j = t; i < N; i++, j += D) Q[j] += alpha * ((i === w ? 1 : -1) - Q[j]);
        active[who] = active[--n]; target[who] = target[n]; got++;
      } else if (m > 1) {
        for (let k = 0; k < n; k++) if (target[k] === t) {
          const j = active[k] * D + t;
          Q[j] += alpha * (-1 - Q[j]);
          target[k] = pick(active[k], t + 1);
        }
      } else {
        // an idle slot is free again: values pushed negative by past collisions relax towards 0, so slots never die
        for (let j = t; j < N * D; j += D) if (Q[j] < 0) Q[j] -= alpha * Q[j];
      }
    }
    perFrame[f] = got / D;
    delivered += got;
  }
  return { throughput: delivered / (frames * D), delivered, slots: frames * D, perFrame };
}
