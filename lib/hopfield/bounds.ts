/**
 * Lower bounds on the cross-entropy a language model can reach, in the associative-memory reading of
 * Niu, Bai, Deng & Han 2024 (arXiv 2405.08707, §5). The paper's closed form (a constant ≈ 1 under its
 * assumptions) was not retrievable; these are the two bounds its argument rests on, stated so they can be tested:
 *  1. a distance read-out p(k|x) = softmax_k(−β ½‖x − ρ_k‖²) has cross-entropy β(d_k(x) − E(x)), hence between
 *     β(d_k − min_j d_j) and β(d_k − min_j d_j) + log N;
 *  2. a model that has memorised every training context perfectly still pays the entropy of what follows each
 *     context (Gibbs' inequality), so no trained loss can fall below the empirical conditional entropy.
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import { distanceEnergy, halfSqDistances, logSumExp, type Patterns } from "./energy";

/** Cross-entropy −log softmax_k(−β d(x)) of a distance read-out: equals β(d_k(x) − E(x)) (Niu et al. 2024, reconstructed). */
export function distanceReadoutCrossEntropy(P: Patterns, x: readonly number[], k: number, beta = 1): number {
  const d = halfSqDistances(P, x);
  return beta * d[k] + logSumExp(d.map((v) => -beta * v));
}

/** The same cross-entropy through the energy: β(d_k(x) − E(x)). */
export function crossEntropyViaEnergy(P: Patterns, x: readonly number[], k: number, beta = 1): number {
  return beta * (halfSqDistances(P, x)[k] - distanceEnergy(P, x, beta));
}

/** Entropy (nats) of a count vector's empirical distribution. */
export function entropyOfCounts(counts: Iterable<number>): number {
  const c_ = Array.from(counts); // an iterator can be walked only once
  let n = 0,
    s = 0;
  for (const c of c_) n += c;
  for (const c of c_) if (c > 0) s -= (c / n) * Math.log(c / n);
  return s;
}

/**
 * Empirical conditional entropy H(next | context) of a list of (context, next) pairs, in nats per pair:
 * the training cross-entropy of a perfect memoriser, and by Gibbs' inequality a floor for every model.
 */
export function memorisationFloor(pairs: Iterable<{ context: string; next: number }>): number {
  const table = new Map<string, Map<number, number>>();
  let n = 0;
  for (const { context, next } of pairs) {
    let row = table.get(context);
    if (!row) table.set(context, (row = new Map()));
    row.set(next, (row.get(next) ?? 0) + 1);
    n++;
  }
  let total = 0;
  for (const row of table.values()) {
    let m = 0;
    for (const c of row.values()) m += c;
    total += m * entropyOfCounts(row.values());
  }
  return total / n;
}

/** Mean cross-entropy −(1/n) Σ log q(next | context) of a model given as a function returning probabilities. */
export function meanCrossEntropy(
  pairs: readonly { context: string; next: number }[],
  q: (context: string) => readonly number[],
): number {
  let s = 0;
  for (const { context, next } of pairs) s -= Math.log(q(context)[next]);
  return s / pairs.length;
}
