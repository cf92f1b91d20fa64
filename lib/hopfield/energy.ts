/**
 * Hopfield energies and their retrieval updates, in plain float64 arithmetic so that the identities the
 * notebook checks (energy descent, update = attention) are not blurred by float32 rounding.
 *
 * Symbols: stored patterns X = (x_1 … x_N) (Ramsauer) or ρ_1 … ρ_N (Niu et al.), state ξ or x, inverse
 * temperature β, squared half-distances d_i(x) = ½‖x − ρ_i‖².
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */

/** A list of stored patterns, one row each (N × d). */
export type Patterns = readonly (readonly number[])[];

/** log Σ_i exp(z_i), stabilised by its maximum. */
export function logSumExp(z: readonly number[]): number {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** softmax(z)_i = exp(z_i − LSE(z)); the gradient of LogSumExp. */
export function softmax(z: readonly number[]): number[] {
  const l = logSumExp(z);
  return z.map((v) => Math.exp(v - l));
}

/** Dot product a·b. */
export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Σ_i w_i ρ_i: the convex combination of patterns a softmax selects. */
export function combine(P: Patterns, w: readonly number[]): number[] {
  const out = new Array<number>(P[0].length).fill(0);
  P.forEach((p, i) => {
    for (let k = 0; k < out.length; k++) out[k] += w[i] * p[k];
  });
  return out;
}

/** d_i(x) = ½‖x − ρ_i‖² for every stored pattern. */
export function halfSqDistances(P: Patterns, x: readonly number[]): number[] {
  return P.map((p) => {
    let s = 0;
    for (let k = 0; k < x.length; k++) {
      const t = x[k] - p[k];
      s += t * t;
    }
    return 0.5 * s;
  });
}

/**
 * Modern continuous Hopfield energy (Ramsauer et al. 2020, "Hopfield Networks is All You Need", arXiv 2008.02217):
 * E(ξ) = −β⁻¹ log Σ_i exp(β x_i·ξ) + ½ ξ·ξ + β⁻¹ log N + ½ M², with M = max_i ‖x_i‖.
 */
export function mchnEnergy(X: Patterns, xi: readonly number[], beta = 1): number {
  const M = Math.max(...X.map((x) => Math.sqrt(dot(x, x))));
  return (
    -logSumExp(X.map((x) => beta * dot(x, xi))) / beta + 0.5 * dot(xi, xi) + Math.log(X.length) / beta + 0.5 * M * M
  );
}

/** The MCHN update ξ ← X softmax(β Xᵀ ξ) (Ramsauer et al. 2020): a CCCP step, so E never increases. */
export function mchnUpdate(X: Patterns, xi: readonly number[], beta = 1): number[] {
  return combine(X, softmax(X.map((x) => beta * dot(x, xi))));
}

/**
 * Distance-based energy of Niu, Bai, Deng & Han 2024 (arXiv 2405.08707):
 * E(x) = −β⁻¹ log Σ_i exp(−β ½‖x − ρ_i‖²), a smooth minimum of the distances to the stored patterns.
 */
export function distanceEnergy(P: Patterns, x: readonly number[], beta = 1): number {
  return -logSumExp(halfSqDistances(P, x).map((d) => -beta * d)) / beta;
}

/**
 * Majorization–minimization step on the distance energy (Niu et al. 2024): LogSumExp is convex, so its tangent
 * at x_t bounds E from above by Σ_i p_i(x_t) ½‖x − ρ_i‖² + const with p = softmax(−β d(x_t)); the minimiser of
 * that quadratic is x_{t+1} = Σ_i p_i ρ_i. E(x_{t+1}) ≤ E(x_t) follows.
 */
export function distanceUpdate(P: Patterns, x: readonly number[], beta = 1): number[] {
  return combine(P, softmax(halfSqDistances(P, x).map((d) => -beta * d)));
}

/** Iterates an update from x_0, returning the trajectory of states and energies (for descent plots). */
export function descend(
  energy: (x: readonly number[]) => number,
  update: (x: readonly number[]) => number[],
  x0: readonly number[],
  steps: number,
): { states: number[][]; energies: number[] } {
  const states = [Array.from(x0)],
    energies = [energy(x0)];
  for (let t = 0; t < steps; t++) {
    const next = update(states[t]);
    states.push(next);
    energies.push(energy(next));
  }
  return { states, energies };
}
