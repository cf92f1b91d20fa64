/**
 * Seeded slot-level simulators of the delay-constrained system (system.ts). Every station is simulated with its
 * own queue (typed arrays, no per-slot allocation). Arrivals are drawn lazily per station by geometric skips over
 * its Bernoulli(λ) stream, which is exact because a queue only changes when its station is looked at.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import type { Rng } from "../rng";
import { checkSystem, type AccessSystem, type Feedback } from "./system";

/** A run: delivered packets per slot after the warm-up, and the throughput of each window (the learning curve). */
export interface RunResult {
  throughput: number;
  delivered: number;
  /** slots counted in `throughput` (after `warmup`) */
  slots: number;
  /** throughput of consecutive windows of `window` slots over the whole run, warm-up included */
  curve: Float32Array;
  window: number;
  /** packets each station delivered after the warm-up */
  perStation: Int32Array;
}

/** Run options: slots excluded from the throughput at the start, and the window of the learning curve. */
export interface RunOptions {
  warmup?: number;
  window?: number;
}

/** Number of failures before the first success of Bernoulli(p) trials, by inversion; `inv` = 1/ln(1 − p). */
function geometric(rng: Rng, inv: number): number {
  return inv === 0 ? 0 : Math.floor(Math.log(1 - rng.uniform()) * inv);
}
const invLog = (p: number) => (p >= 1 ? 0 : p <= 0 ? -Infinity : 1 / Math.log1p(-p));

/**
 * The stations' queues. Station i's live packets are kept oldest first as their arrival slots τ (a packet that
 * arrives at the end of slot τ − 1 may be sent in slots τ … τ + D − 1, as in TSRA's `update_queue`); arrivals
 * are drawn only when the station is looked at, starting as if every station had received packets for D slots
 * without sending (TSRA's `initialize`).
 */
export class Queues {
  readonly buf: Int32Array;
  readonly head: Int32Array;
  readonly len: Int32Array;
  readonly next: Float64Array;
  private readonly inv: number;
  constructor(
    readonly N: number,
    readonly D: number,
    private readonly lambda: number,
    private readonly rng: Rng,
  ) {
    this.buf = new Int32Array(N * D);
    this.head = new Int32Array(N);
    this.len = new Int32Array(N);
    this.next = new Float64Array(N);
    this.inv = lambda <= 0 ? 0 : invLog(lambda);
    for (let i = 0; i < N; i++) this.next[i] = lambda <= 0 ? Infinity : -(D - 1) + this.gap();
  }
  /** Slots without arrival before the next one: by sequential search when λ is large (about 1/λ steps, no log). */
  private gap(): number {
    const { lambda } = this;
    if (lambda < 0.2) return geometric(this.rng, this.inv);
    let g = 0,
      term = lambda,
      cum = lambda;
    const u = this.rng.uniform();
    while (u >= cum && g < 1e6) {
      term *= 1 - lambda;
      cum += term;
      g++;
    }
    return g;
  }
  /** Brings station i to the start of slot t (drops expired packets, adds arrivals); returns its queue length. */
  at(i: number, t: number): number {
    const { D, buf } = this,
      lo = t - D + 1,
      row = i * D;
    let h = this.head[i],
      n = this.len[i];
    while (n > 0 && buf[row + h] < lo) {
      h = h + 1 === D ? 0 : h + 1;
      n--;
    }
    let a = this.next[i];
    if (a <= t) {
      // the Bernoulli stream is memoryless: arrivals that would already have expired need not be drawn
      if (a < lo) a = lo + this.gap();
      while (a <= t) {
        let k = h + n;
        if (k >= D) k -= D;
        buf[row + k] = a;
        n++;
        a += 1 + this.gap();
      }
      this.next[i] = a;
    }
    this.head[i] = h;
    this.len[i] = n;
    return n;
  }
  /** Delivers station i's most urgent (oldest) packet. */
  deliver(i: number): void {
    this.head[i] = this.head[i] + 1 === this.D ? 0 : this.head[i] + 1;
    this.len[i]--;
  }
}

/** Accumulates delivered packets into the learning curve and the post-warm-up total. */
export function recorder(N: number, slots: number, opts: RunOptions) {
  const warmup = Math.min(opts.warmup ?? 0, slots - 1),
    window = opts.window ?? Math.max(1, Math.ceil(slots / 100));
  const curve = new Float32Array(Math.ceil(slots / window)),
    perStation = new Int32Array(N);
  let delivered = 0;
  return {
    add(t: number, who: number) {
      curve[Math.floor(t / window)]++;
      if (t >= warmup) {
        delivered++;
        perStation[who]++;
      }
    },
    result(): RunResult {
      for (let k = 0; k < curve.length; k++) curve[k] /= Math.min(window, slots - k * window);
      return { throughput: delivered / (slots - warmup), delivered, slots: slots - warmup, curve, window, perStation };
    },
  };
}

/**
 * Static ALOHA (TSRA's `ALOHA_AGENT`): every station with a packet sends its most urgent one with probability p in
 * every slot. Senders are drawn by geometric skips over the station indices and only they are looked at, so a slot
 * costs O(1 + pN) whatever N: 10^4 stations × 10^6 slots run in about a second.
 */
export function simulateStaticAloha(
  sys: AccessSystem,
  p: number,
  slots: number,
  rng: Rng,
  opts: RunOptions = {},
): RunResult {
  checkSystem(sys);
  const { N } = sys,
    q = new Queues(N, sys.D, sys.lambda, rng),
    rec = recorder(N, slots, opts),
    inv = invLog(p);
  for (let t = 0; t < slots; t++) {
    if (p <= 0) continue;
    let senders = 0,
      who = -1;
    for (let i = geometric(rng, inv); i < N; i += 1 + geometric(rng, inv)) {
      if (q.at(i, t) > 0) {
        senders++;
        who = i;
        if (senders > 1) break;
      } // a second sender makes it a collision
    }
    if (senders === 1) {
      q.deliver(who);
      rec.add(t, who);
    }
  }
  return rec.result();
}

/** What a backlogged station knows when it decides: the feedback of the previous slot, seen from where it stands. */
export type Context = 0 | 1 | 2 | 3;
/** Context codes: own success (S), another station's success (B), idle (I), collision (F): TSRA's observations. */
export const CONTEXT = { ownSuccess: 0, otherSuccess: 1, idle: 2, collision: 3 } as const;

/**
 * A random-access scheme run identically at every station. Station i, holding a packet, sends with probability
 * `sendProbability(i, context, n)`; `n` (how many stations hold a packet) is known only to a genie scheme.
 * `learn` is told, for every station that held a packet, whether it sent and what the AP broadcast.
 */
export interface Scheme {
  sendProbability(i: number, context: Context, n: number): number;
  learn?(i: number, context: Context, sent: boolean, feedback: Feedback): void;
}

/** Static ALOHA as a Scheme (for the general simulator; simulateStaticAloha is the fast path). */
export const alohaScheme = (p: number): Scheme => ({ sendProbability: () => p });

/**
 * Count-aware ALOHA (a genie): with n stations holding packets, each sends with p = 1/n, which maximises the
 * slot's success probability n p (1 − p)^{n−1} = (1 − 1/n)^{n−1} among schemes that give every backlogged station
 * the same probability. An upper bound of the ALOHA family; it tends to 1/e as n grows.
 */
export const countAwareScheme = (): Scheme => ({ sendProbability: (_i, _c, n) => 1 / n });

/**
 * General simulator: every slot, every station is brought up to date, the backlogged ones decide by the scheme,
 * the AP's feedback is computed and broadcast, and the scheme learns. O(N) per slot.
 */
export function simulateScheme(
  sys: AccessSystem,
  scheme: Scheme,
  slots: number,
  rng: Rng,
  opts: RunOptions = {},
): RunResult {
  checkSystem(sys);
  const { N } = sys,
    q = new Queues(N, sys.D, sys.lambda, rng),
    rec = recorder(N, slots, opts);
  const busy = new Int32Array(N),
    sent = new Uint8Array(N),
    ctx = new Uint8Array(N);
  let last: Feedback = "idle",
    lastWinner = -1;
  for (let t = 0; t < slots; t++) {
    let n = 0;
    for (let i = 0; i < N; i++) if (q.at(i, t) > 0) busy[n++] = i;
    let senders = 0,
      who = -1;
    for (let k = 0; k < n; k++) {
      const i = busy[k];
      const c: Context = last === "success" ? (i === lastWinner ? 0 : 1) : last === "idle" ? 2 : 3;
      const s = rng.uniform() < scheme.sendProbability(i, c, n);
      ctx[i] = c;
      sent[i] = s ? 1 : 0;
      if (s) {
        senders++;
        who = i;
      }
    }
    const fb: Feedback = senders === 0 ? "idle" : senders === 1 ? "success" : "collision";
    if (fb === "success") {
      q.deliver(who);
      rec.add(t, who);
    }
    if (scheme.learn)
      for (let k = 0; k < n; k++) {
        const i = busy[k];
        scheme.learn(i, ctx[i] as Context, sent[i] === 1, fb);
      }
    last = fb;
    lastWinner = who;
  }
  return rec.result();
}
