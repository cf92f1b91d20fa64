/**
 * Linear decoders for y = A x + n, n ~ N(0, σ_y² I). The LMMSE (Wiener) estimate under the empirical mean μ and
 * covariance Σ of the images: x̂ = μ + Σ Aᵀ (A Σ Aᵀ + σ_y² I)⁻¹ (y − A μ) (Kay 1993, ch. 12).
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import { matmul, solveSpd } from "../linalg";

/** Empirical mean and covariance (1/n normalisation) of n rows of length d. */
export function meanCov(x: ArrayLike<number>, d: number): { mu: Float64Array; cov: Float64Array } {
  const n = x.length / d,
    mu = new Float64Array(d),
    cov = new Float64Array(d * d),
    c = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mu[i] += x[r * d + i] / n;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) c[i] = x[r * d + i] - mu[i];
    for (let i = 0; i < d; i++) {
      const ci = c[i] / n;
      if (ci === 0) continue;
      for (let j = 0; j < d; j++) cov[i * d + j] += ci * c[j];
    }
  }
  return { mu, cov };
}

/** The LMMSE decoder as an affine map: gain G = Σ Aᵀ (A Σ Aᵀ + σ_y² I)⁻¹ (d×k); A given densely (k×d). */
export function lmmseDecoder(
  mu: ArrayLike<number>,
  cov: ArrayLike<number>,
  A: ArrayLike<number>,
  k: number,
  d: number,
  sigmaY: number,
): (y: ArrayLike<number>) => Float64Array {
  const At = new Float64Array(d * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) At[j * k + i] = A[i * d + j];
  const SAt = matmul(cov, At, d, d, k),
    M = matmul(A, SAt, k, d, k);
  for (let i = 0; i < k; i++) M[i * k + i] += sigmaY * sigmaY;
  // G = SAt M⁻¹  ⇔  Gᵀ = M⁻¹ SAtᵀ (M symmetric)
  const SAtT = new Float64Array(k * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) SAtT[j * d + i] = SAt[i * k + j];
  const GT = solveSpd(M, k, SAtT, d);
  const Amu = matmul(A, mu, k, d, 1);
  return (y) => {
    const n = y.length / k,
      out = new Float64Array(n * d);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < d; i++) {
        let s = mu[i];
        for (let j = 0; j < k; j++) s += GT[j * d + i] * (y[r * k + j] - Amu[j]);
        out[r * d + i] = s;
      }
    return out;
  };
}
