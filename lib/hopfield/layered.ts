/**
 * The layered (global) energy, reconstructed from Niu, Bai, Deng & Han 2024 (arXiv 2405.08707, §4.1): when the
 * patterns memorised by all L blocks together cover the training samples, the stack behaves as one associative
 * memory over the union of its blocks' patterns. Its energy is a smooth minimum of the block energies,
 *   E_G(x) = −β⁻¹ log Σ_l exp(−β E_l(x)),   so   min_l E_l − β⁻¹ log L ≤ E_G ≤ min_l E_l,
 * and its majorization–minimization step mixes the blocks' own MM steps with weights softmax(−β E_l(x)).
 * (The paper's exact global energy was not retrievable; this is the reading its text supports.)
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import { distanceEnergy, distanceUpdate, logSumExp, softmax, type Patterns } from "./energy";

/** E_G(x) = −β⁻¹ log Σ_l exp(−β E_l(x)) over the blocks' pattern sets (reconstructed, Niu et al. 2024 §4.1). */
export function layeredEnergy(blocks: readonly Patterns[], x: readonly number[], beta = 1): number {
  return -logSumExp(blocks.map((P) => -beta * distanceEnergy(P, x, beta))) / beta;
}

/** Weights w_l = softmax(−β E_l(x)): how much of the global MM step block l contributes. */
export function blockWeights(blocks: readonly Patterns[], x: readonly number[], beta = 1): number[] {
  return softmax(blocks.map((P) => -beta * distanceEnergy(P, x, beta)));
}

/** Global MM step x ← Σ_l w_l(x) u_l(x), u_l the block's own update; never increases E_G. */
export function layeredUpdate(blocks: readonly Patterns[], x: readonly number[], beta = 1): number[] {
  const w = blockWeights(blocks, x, beta);
  const out = new Array<number>(x.length).fill(0);
  blocks.forEach((P, l) => {
    const u = distanceUpdate(P, x, beta);
    for (let k = 0; k < out.length; k++) out[k] += w[l] * u[k];
  });
  return out;
}

/**
 * Iterates the global MM step from x₀ and checks the layered energy along the way: the trajectory of E_G, of each
 * block's E_l, the largest step outside the band [min_l E_l − β⁻¹ log L, min_l E_l] and the largest rise of E_G.
 */
export function layeredDescent(
  blocks: readonly Patterns[],
  x0: readonly number[],
  steps: number,
  beta = 1,
): { global: number[]; perBlock: number[][]; bandViolation: number; rise: number } {
  const global: number[] = [],
    perBlock: number[][] = blocks.map(() => []);
  let x = Array.from(x0),
    bandViolation = -Infinity,
    rise = -Infinity;
  for (let t = 0; t <= steps; t++) {
    const El = blocks.map((P) => distanceEnergy(P, x, beta)),
      m = Math.min(...El),
      e = layeredEnergy(blocks, x, beta);
    El.forEach((v, l) => perBlock[l].push(v));
    bandViolation = Math.max(bandViolation, e - m, m - Math.log(blocks.length) / beta - e);
    if (t) rise = Math.max(rise, e - global[t - 1]);
    global.push(e);
    if (t < steps) x = layeredUpdate(blocks, x, beta);
  }
  return { global, perBlock, bandViolation, rise };
}
