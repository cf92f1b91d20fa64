/**
 * Seeded random trials for the notebook's identities: draw many random memories (patterns, query, β), apply a
 * check to each, and keep the worst violation. One harness (`worstOver`), one case generator (`randomMemory`),
 * and the four checks notebook 05 states: energy descent, the LogSumExp band, update = attention, and the
 * read-out cross-entropy identity. Case i of a run draws from `key.derive(i)`, so a re-run gives the same cases.
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import type { Rng } from "../rng";
import { tf } from "../tensor";
import { attention } from "./attention";
import { crossEntropyViaEnergy, distanceReadoutCrossEntropy } from "./bounds";
import {
  descend,
  distanceEnergy,
  distanceUpdate,
  halfSqDistances,
  mchnEnergy,
  mchnUpdate,
  type Patterns,
} from "./energy";
import { tfAttention } from "./transformer";

/** One random memory: N stored patterns in d dimensions, a query x and an inverse temperature β. */
export interface RandomMemory {
  P: number[][];
  x: number[];
  beta: number;
}

/** Ranges a random memory is drawn from: integers uniform in [lo, hi], reals uniform in [lo, hi). */
export interface MemoryRanges {
  n: [number, number];
  d: [number, number];
  beta: [number, number];
  patternScale: [number, number];
  queryScale: number;
}

const uniformIn = (r: Rng, [lo, hi]: [number, number]) => lo + (hi - lo) * r.uniform();
const intIn = (r: Rng, [lo, hi]: [number, number]) => lo + r.int(hi - lo + 1);

/** Draws N, d, β and a pattern scale s from `ranges`, then ρ_i ~ N(0, s² I) and x ~ N(0, queryScale² I). */
export function randomMemory(r: Rng, ranges: MemoryRanges): RandomMemory {
  const n = intIn(r, ranges.n),
    d = intIn(r, ranges.d),
    beta = uniformIn(r, ranges.beta),
    s = uniformIn(r, ranges.patternScale);
  return {
    P: Array.from({ length: n }, () => Array.from(r.normalArray(d, 0, s))),
    x: Array.from(r.normalArray(d, 0, ranges.queryScale)),
    beta,
  };
}

/** The trial harness: max over i < count of measure(draw(key.derive(i))), the worst violation seen. */
export function worstOver<C>(
  key: Rng,
  count: number,
  draw: (r: Rng, i: number) => C,
  measure: (c: C, i: number) => number,
): number {
  let worst = -Infinity;
  for (let i = 0; i < count; i++) worst = Math.max(worst, measure(draw(key.derive(i), i), i));
  return worst;
}

/** Largest relative rise (E_{t+1} − E_t)/(1 + |E_t|) along a trajectory: ≤ 0 when the energy never increases. */
export function largestRise(energies: readonly number[]): number {
  let m = -Infinity;
  for (let t = 1; t < energies.length; t++)
    m = Math.max(m, (energies[t] - energies[t - 1]) / (1 + Math.abs(energies[t - 1])));
  return m;
}

/**
 * Energy descent under both updates (MCHN ξ ← X softmax(βXᵀξ), Ramsauer et al. 2020; distance MM step, Niu et al.
 * 2024) from random starts: the largest relative rise over all trials, and the first three trajectories of each.
 */
export function descentTrials(
  key: Rng,
  count = 300,
  steps = 15,
): { worstRise: number; examples: { name: string; energies: number[] }[] } {
  const examples: { name: string; energies: number[] }[] = [];
  const ranges: MemoryRanges = { n: [2, 31], d: [2, 31], beta: [0.05, 2.05], patternScale: [0.3, 1.3], queryScale: 2 };
  const worstRise = worstOver(
    key,
    count,
    (r) => randomMemory(r, ranges),
    ({ P, x, beta }, i) =>
      Math.max(
        ...(
          [
            ["MCHN", mchnEnergy, mchnUpdate],
            ["distance", distanceEnergy, distanceUpdate],
          ] as const
        ).map(([name, E, U]) => {
          const e = descend(
            (y) => E(P, y, beta),
            (y) => U(P, y, beta),
            x,
            steps,
          ).energies;
          if (i < 3) examples.push({ name: `${name}, start ${i + 1}`, energies: e });
          return largestRise(e);
        }),
      ),
  );
  return { worstRise, examples };
}

/** How far E(x) leaves the band [min_i d_i − β⁻¹ log N, min_i d_i] (≤ 0 inside it). */
export function bandViolation({ P, x, beta }: RandomMemory): number {
  const md = Math.min(...halfSqDistances(P, x)),
    E = distanceEnergy(P, x, beta);
  return Math.max(E - md, md - Math.log(P.length) / beta - E);
}

/**
 * The LogSumExp band on random inputs: the worst violation, and (min d, E) for the first `shown` cases, which use
 * N = 50 and β = 1 so that they can be drawn against the band's two lines.
 */
export function bandTrials(
  key: Rng,
  count = 2000,
  shown = 400,
): { worst: number; scatter: { minD: number[]; E: number[] } } {
  const scatter = { minD: [] as number[], E: [] as number[] };
  const worst = worstOver(
    key,
    count,
    (r, i) =>
      randomMemory(
        r,
        i < shown
          ? { n: [50, 50], d: [1, 12], beta: [1, 1], patternScale: [1.5, 1.5], queryScale: 2 }
          : { n: [1, 60], d: [1, 12], beta: [0.1, 3.1], patternScale: [1.5, 1.5], queryScale: 2 },
      ),
    (m, i) => {
      if (i < shown) {
        scatter.minD.push(Math.min(...halfSqDistances(m.P, m.x)));
        scatter.E.push(distanceEnergy(m.P, m.x, m.beta));
      }
      return bandViolation(m);
    },
  );
  return { worst, scatter };
}

/** max_k |a_k − b_k|, optionally relative to 1 + |a_k|. */
const maxGap = (a: readonly number[], b: readonly number[], relative = false) =>
  Math.max(...a.map((v, k) => Math.abs(v - b[k]) / (relative ? 1 + Math.abs(v) : 1)));

/**
 * One update = one attention head, on random memories: the MCHN update against an independent float64
 * attention(Q = ξ, K = V = X) and against the float32 tfjs attention the transformer uses (relative), and the
 * distance MM step against attention with key bias −β½‖ρ_i‖².
 */
export function attentionTrials(key: Rng, count = 200): { float64: number; float32: number; distance: number } {
  const ranges: MemoryRanges = { n: [2, 21], d: [2, 17], beta: [0.1, 1.1], patternScale: [1, 1], queryScale: 1 };
  const cases = (r: Rng) => randomMemory(r, ranges);
  return {
    float64: worstOver(key, count, cases, ({ P, x, beta }) =>
      maxGap(mchnUpdate(P, x, beta), attention([x], P, P, beta)[0]),
    ),
    float32: worstOver(key, count, cases, ({ P, x, beta }) =>
      maxGap(
        mchnUpdate(P, x, beta),
        tf.tidy(() => Array.from(tfAttention(tf.tensor3d([[x]]), tf.tensor3d([P]), tf.tensor3d([P]), beta).dataSync())),
        true,
      ),
    ),
    distance: worstOver(key, count, cases, ({ P, x, beta }) =>
      maxGap(
        distanceUpdate(P, x, beta),
        attention(
          [x],
          P,
          P,
          beta,
          P.map((p) => -0.5 * beta * p.reduce((s, v) => s + v * v, 0)),
        )[0],
      ),
    ),
  };
}

/** Largest |−log softmax_k(−βd(x)) − β(d_k(x) − E(x))| over random read-outs (target k uniform). */
export function readoutTrials(key: Rng, count = 500): number {
  const ranges: MemoryRanges = { n: [2, 31], d: [1, 10], beta: [0.2, 2.2], patternScale: [2, 2], queryScale: 2 };
  return worstOver(
    key,
    count,
    (r) => ({ m: randomMemory(r, ranges), k: r.uniform() }),
    ({ m: { P, x, beta }, k }) => {
      const target = Math.floor(k * P.length);
      return Math.abs(
        distanceReadoutCrossEntropy(P as Patterns, x, target, beta) - crossEntropyViaEnergy(P, x, target, beta),
      );
    },
  );
}
