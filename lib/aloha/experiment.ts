/**
 * The experiments of notebook 14, as functions of a system, a list of seeds and the notebook's key: the best static
 * ALOHA found by simulation, RLRA-DC trained and then evaluated frozen, and the ablation that gives every station
 * the population's mean probabilities (the paper's explanation of 1/e: identical probabilities in every slot).
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */
import type { Rng } from "../rng";
import { optimalStaticP } from "./meanfield";
import { rlraInit, simulateRlra, type RlraParams, type RlraState, RLRA_DEFAULTS } from "./rlra";
import { simulateStaticAloha, type RunResult } from "./simulate";
import type { AccessSystem } from "./system";

/**
 * The best static p by simulation: a grid of ratio 2 over [1/(4N), 1], refined with ratio 2^{1/4} around the best
 * point, each p run for `slots` slots on the same stream `rng` (common random numbers). The mean-field optimum
 * (optimalStaticP) is accurate for large N but not for a few sparse stations, where a collided pair collides again.
 */
export function bestStaticP(sys: AccessSystem, rng: Rng, slots = 20_000): { p: number; throughput: number } {
  const run = (p: number) => simulateStaticAloha(sys, p, slots, rng.derive("common"), { warmup: sys.D }).throughput;
  let best = { p: 1, throughput: run(1) };
  for (let p = 1 / (4 * sys.N); p < 1; p *= 2) {
    const t = run(p);
    if (t > best.throughput) best = { p, throughput: t };
  }
  const centre = best.p;
  for (let k = -3; k <= 3; k++) {
    const p = Math.min(1, centre * 2 ** (k / 4));
    if (k === 0) continue;
    const t = run(p);
    if (t > best.throughput) best = { p, throughput: t };
  }
  return best;
}

/** A copy of a learned RLRA-DC state with learning switched off (α = β = 0). */
export function frozen(state: RlraState): RlraState {
  return { N: state.N, theta: state.theta.slice(), params: { ...state.params, alpha: 0, beta: 0 } };
}

/**
 * The ablation: every station gets the population mean θ̄[c] = (1/N) Σ_i θ_i[c] of each context, so all backlogged
 * stations again use one probability in every slot (learning off). Same average aggressiveness, no differentiation.
 */
export function symmetrized(state: RlraState): RlraState {
  const out = frozen(state),
    { N } = state;
  for (let c = 0; c < 4; c++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += state.theta[i * 4 + c];
    for (let i = 0; i < N; i++) out.theta[i * 4 + c] = m / N;
  }
  return out;
}

/** One seed of the comparison at one system: throughputs (packets per slot) and what was learned. */
export interface Comparison {
  seed: number;
  N: number;
  /** best static ALOHA (p chosen on a separate stream, evaluated on this seed's) */
  aloha: number;
  pAloha: number;
  /** mean-field prediction at the mean-field optimum */
  alohaMeanField: number;
  /** RLRA-DC, learned policy evaluated frozen on a fresh stream */
  rlra: number;
  /** the same evaluation with every station given the population's mean probabilities */
  rlraSymmetrized: number;
  /** share of the delivered packets carried by the busiest 1% of stations (at least one), RLRA-DC and ALOHA */
  rlraTopShare: number;
  alohaTopShare: number;
  curve: RunResult["curve"];
  window: number;
  state: RlraState;
}

/** Sizes of one comparison: training slots, evaluation slots (each scheme), slots per point of the ALOHA grid. */
export interface CompareOptions {
  train?: number;
  evaluate?: number;
  grid?: number;
  params?: RlraParams;
}

/**
 * For each seed s: RLRA-DC learns for `train` slots from θ₀ (stream key/"train/s"), then the learned and the
 * symmetrized policies and the best static ALOHA each run `evaluate` slots on streams key/"eval/s"; the ALOHA p is
 * chosen once per system on key/"grid".
 */
export function compareSchemes(
  sys: AccessSystem,
  seeds: readonly number[],
  key: Rng,
  opts: CompareOptions = {},
): Comparison[] {
  const train = opts.train ?? 20_000,
    evaluate = opts.evaluate ?? 10_000,
    params = opts.params ?? RLRA_DEFAULTS;
  const tag = `N${sys.N}/D${sys.D}/l${sys.lambda}`;
  const grid = bestStaticP(sys, key.derive(`grid/${tag}`), opts.grid ?? 20_000);
  const mf = optimalStaticP(sys).throughput;
  return seeds.map((seed) => {
    const state = rlraInit(sys.N, params);
    const run = simulateRlra(sys, state, train, key.derive(`train/${tag}/${seed}`), {
      window: Math.max(1, Math.floor(train / 50)),
    });
    const ev = (s: RlraState) => simulateRlra(sys, s, evaluate, key.derive(`eval/${tag}/${seed}`));
    const aloha = simulateStaticAloha(sys, grid.p, evaluate, key.derive(`eval/${tag}/${seed}`), { warmup: sys.D });
    const learned = ev(frozen(state));
    return {
      seed,
      N: sys.N,
      aloha: aloha.throughput,
      pAloha: grid.p,
      alohaMeanField: mf,
      rlra: learned.throughput,
      rlraSymmetrized: ev(symmetrized(state)).throughput,
      rlraTopShare: topShare(learned.perStation),
      alohaTopShare: topShare(aloha.perStation),
      curve: run.curve,
      window: run.window,
      state,
    };
  });
}

/** Share of all deliveries made by the busiest ⌈fraction·N⌉ stations (1/N·⌈fraction·N⌉ when all are equal). */
export function topShare(perStation: Int32Array, fraction = 0.01): number {
  const sorted = Array.from(perStation).sort((a, b) => b - a),
    k = Math.max(1, Math.ceil(fraction * sorted.length));
  const total = sorted.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : sorted.slice(0, k).reduce((a, b) => a + b, 0) / total;
}

/** Static ALOHA at one N: the mean-field optimum, its simulated throughput per seed, and the pooled standard error. */
export interface AlohaPoint {
  N: number;
  p: number;
  meanField: number;
  busy: number;
  simulated: number[];
  se: number;
}

/**
 * Static ALOHA against N: for each N the mean-field optimum p* (optimalStaticP) and `slots` simulated slots at p*
 * per seed (stream key/"aloha/N/seed"). `se` is the standard error of the mean over seeds from batch means (100
 * windows per run), which is tighter than the spread of three numbers. With large `slots` this is the precision
 * run of the 1/e finding.
 */
export function alohaSweep(
  base: { D: number; lambda: number },
  Ns: readonly number[],
  seeds: readonly number[],
  key: Rng,
  slots: number,
): AlohaPoint[] {
  return Ns.map((N) => {
    const sys = { N, ...base },
      mf = optimalStaticP(sys),
      warmup = 10 * sys.D;
    const runs = seeds.map((s) =>
      simulateStaticAloha(sys, mf.p, slots, key.derive(`aloha/${N}/${s}/${slots}`), {
        warmup,
        window: Math.ceil(slots / 100),
      }),
    );
    const windows = runs.flatMap((r) => Array.from(r.curve.subarray(1))); // the first window holds the warm-up
    const m = windows.reduce((a, b) => a + b, 0) / windows.length;
    const se = Math.sqrt(windows.reduce((a, b) => a + (b - m) ** 2, 0) / (windows.length - 1) / windows.length);
    return { N, p: mf.p, meanField: mf.throughput, busy: mf.busy, simulated: runs.map((r) => r.throughput), se };
  });
}
