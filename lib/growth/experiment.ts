/**
 * Small experiment helpers for the weight-transfer notebook: a 1-D regression task, excess-loss sweeps over
 * widths, and time-to-target on training curves.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import { rcSample } from "./grow";
import type { MeanFieldMLP } from "./mlp";

/** 1-D regression data y = sin(2x) + 0.3x + ε, x ~ U[−2, 2], ε ~ N(0, noise²). */
export function sineTask(n: number, rng: Rng, noise = 0.05): { X: Float32Array; Y: Float32Array; n: number } {
  const X = rng.uniformArray(n, -2, 2);
  const Y = Float32Array.from(X, (x) => Math.sin(2 * x) + 0.3 * x + rng.normal(0, noise));
  return { X, Y, n };
}

/**
 * Excess loss of RC-sampled growth, L(grown) − L(small), for every width M (all hidden layers set to M),
 * averaged over `seeds` independent samplings.
 */
export function excessLossSweep(
  small: MeanFieldMLP, widths: readonly number[], seeds: number, rng: Rng, loss: (net: MeanFieldMLP) => number,
): { M: number[]; mean: number[]; sd: number[]; base: number } {
  const base = loss(small), hidden = small.sizes.length - 2;
  const mean: number[] = [], sd: number[] = [];
  for (const M of widths) {
    const ex = Array.from({ length: seeds }, () => loss(rcSample(small, new Array(hidden).fill(M), rng)) - base);
    const m = ex.reduce((a, b) => a + b) / seeds;
    mean.push(m);
    sd.push(Math.sqrt(ex.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, seeds - 1)));
  }
  return { M: [...widths], mean, sd, base };
}

/** First step at which a recorded loss curve reaches `target` (Infinity if it never does). */
export function stepsToReach(steps: readonly number[], losses: readonly number[], target: number): number {
  for (let i = 0; i < losses.length; i++) if (losses[i] <= target) return steps[i];
  return Infinity;
}
