/**
 * RLRA-DC as reconstructed for Folio. The paper (arXiv 2206.09779) gives the idea: the same learning code at every
 * station, learning only from the access point's feedback, so that stations come to use different transmission
 * probabilities; its exact state, action and reward design could not be read here. We take the state and the
 * reward signs from the same group's published learner for this system, TSRA (DanzhouWu/TSRA,
 * `multi_device/TSRA/tsra_agent.py`: the last feedback as state; reward when the slot carried a packet, penalty
 * for one's own collision and for waiting through an idle slot), and learn a transmission probability per state
 * with a linear reward–penalty learning automaton (Narendra & Thathachar, "Learning Automata", 1989), which keeps
 * TSRA's two actions but makes the policy stochastic. In context c (own success, another's success, idle,
 * collision) station i sends with probability θ_i[c] and then updates
 *   sent, success:           θ ← θ + α(1 − θ)
 *   sent, collision:         θ ← θ − αθ
 *   waited, idle slot:       θ ← θ + βθ(1 − θ)   (it should have sent; shy stations move slowly)
 *   waited, other's success: θ ← θ − βθ(1 − θ)   (waiting let the slot carry a packet)
 * clipped to [θmin, 1 − θmin]. Stations start alike (θ = θ₀) and diverge by their histories: one that keeps
 * winning after idle slots becomes bold, the others shy, and the winner of a slot tends to keep the channel.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import type { Rng } from "../rng";
import { checkSystem, type AccessSystem } from "./system";
import { Queues, recorder, type Context, type RunOptions, type RunResult } from "./simulate";

/** Parameters of the learning rule, the same for every N (the same code runs everywhere). */
export interface RlraParams {
  alpha: number;
  beta: number;
  theta0: number;
  thetaMin: number;
}

/** The rule's settings used for every N in notebook 14: α = 0.2, β = 0.05, θ₀ = 1/2, θmin = 10⁻⁶. */
export const RLRA_DEFAULTS: RlraParams = { alpha: 0.2, beta: 0.05, theta0: 0.5, thetaMin: 1e-6 };

/** RLRA-DC's learned state: θ_i[c] for N stations × 4 contexts (row-major, contexts as in CONTEXT). */
export interface RlraState {
  readonly N: number;
  readonly theta: Float64Array;
  readonly params: RlraParams;
}

/** A fresh RLRA-DC population of N stations, every θ_i[c] = θ₀. */
export function rlraInit(N: number, params: RlraParams = RLRA_DEFAULTS): RlraState {
  return { N, theta: new Float64Array(N * 4).fill(params.theta0), params };
}

/**
 * Runs RLRA-DC for `slots` slots, learning in place in `state` (so a second call continues training). Every slot
 * each station holding a packet sends with θ_i[c_i]; the AP's feedback is broadcast; every station that held a
 * packet updates the θ of the context it acted in. O(N) per slot, one uniform per backlogged station.
 */
export function simulateRlra(
  sys: AccessSystem,
  state: RlraState,
  slots: number,
  rng: Rng,
  opts: RunOptions = {},
): RunResult {
  checkSystem(sys);
  if (state.N !== sys.N) throw new Error(`aloha: RLRA-DC state has ${state.N} stations, the system ${sys.N}`);
  const { N } = sys,
    q = new Queues(N, sys.D, sys.lambda, rng),
    rec = recorder(N, slots, opts);
  const { theta } = state,
    { alpha, beta, thetaMin } = state.params,
    hi = 1 - thetaMin;
  const acted = new Int32Array(N),
    sent = new Uint8Array(N);
  let last: Context = 2,
    lastWinner = -1; // the run starts as if after an idle slot
  for (let t = 0; t < slots; t++) {
    let n = 0,
      senders = 0,
      who = -1;
    const shared = last === 0 ? 1 : last; // a success is "own" only for its winner
    for (let i = 0; i < N; i++) {
      if (q.at(i, t) === 0) continue;
      const j = (i << 2) + (i === lastWinner && last === 0 ? 0 : shared);
      acted[n++] = j;
      if (rng.uniform() < theta[j]) {
        sent[i] = 1;
        senders++;
        who = i;
      } else sent[i] = 0;
    }
    if (senders === 1) {
      q.deliver(who);
      rec.add(t, who);
    }
    // the update each station makes depends only on its own action and the broadcast outcome
    const upSent = senders === 1 ? alpha : 0,
      downSent = senders === 1 ? 0 : alpha;
    const wait = senders === 0 ? beta : senders === 1 ? -beta : 0;
    for (let k = 0; k < n; k++) {
      const j = acted[k];
      let th = theta[j];
      if (sent[j >> 2] === 1) th += upSent * (1 - th) - downSent * th;
      else if (wait !== 0) th += wait * th * (1 - th);
      else continue;
      theta[j] = Math.max(thetaMin, Math.min(hi, th));
    }
    last = senders === 0 ? 2 : senders === 1 ? 0 : 3;
    lastWinner = who;
  }
  return rec.result();
}

/** The learned probabilities of one context across stations (for the histogram of differentiated stations). */
export function rlraContextProbabilities(state: RlraState, c: Context): Float64Array {
  const out = new Float64Array(state.N);
  for (let i = 0; i < state.N; i++) out[i] = state.theta[i * 4 + c];
  return out;
}
