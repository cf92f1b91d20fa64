/**
 * A full-covariance Gaussian mixture prior p(x) = Σ_k w_k N(x; μ_k, Σ_k) fitted by EM (Dempster, Laird & Rubin
 * 1977), and its exact MMSE denoiser: for u = x + σ ε,
 *   E[x | u] = Σ_k π_k(u) (μ_k + Σ_k (Σ_k + σ² I)⁻¹ (u − μ_k)),  π_k(u) ∝ w_k N(u; μ_k, Σ_k + σ² I),
 * evaluated in each component's eigenbasis Σ_k = U_k diag(λ_k) U_kᵀ. This is the "diffusion model" of the notebook:
 * a denoiser that is exact for a prior we can write down, in place of a trained DDPM network.
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { cholesky, eigSym, matmul, solveSpd } from "../linalg";

export interface Gmm {
  K: number;
  d: number;
  logw: Float64Array;
  mu: Float64Array;
  cov: Float64Array[];
  lam: Float64Array[];
  U: Float64Array[];
}

const LOG2PI = Math.log(2 * Math.PI);

function invLower(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let c = 0; c < n; c++)
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * n + k] * M[k * n + c];
      M[i * n + c] = s / L[i * n + i];
    }
  return M;
}

/** EM for a K-component full-covariance GMM on n rows of dimension d; Σ_k gets + reg·I (keeps flat pixels
 *  non-singular). Initialised by K seeded data points and one hard assignment. Returns the model and the
 *  per-iteration mean log-likelihood (nats per image). */
export function fitGmm(
  x: Float32Array,
  d: number,
  opts: { K: number; iters: number; reg: number; rng: Rng },
): { gmm: Gmm; history: number[] } {
  const { K, iters, reg, rng } = opts,
    n = x.length / d;
  const X = tf.tensor2d(x, [n, d]);
  const perm = rng.permutation(n);
  let mu = Float64Array.from({ length: K * d }, (_, i) => x[perm[Math.floor(i / d)] * d + (i % d)]);
  // hard assignment to the nearest seed for the first M-step
  let R: tf.Tensor2D = tf.tidy(() => {
    const M = tf.tensor2d(Float32Array.from(mu), [K, d]);
    const d2 = tf
      .sum(tf.square(X), 1, true)
      .sub(tf.mul(2, tf.matMul(X, tf.transpose(M))))
      .add(tf.transpose(tf.sum(tf.square(M), 1, true)));
    return tf.oneHot(tf.argMin(d2, 1), K).toFloat() as tf.Tensor2D;
  });
  const history: number[] = [];
  let covs: Float64Array[] = [],
    logw = new Float64Array(K);
  for (let it = 0; it <= iters; it++) {
    // M-step
    const Nk = R.sum(0).dataSync();
    const mus = tf.tidy(() =>
      tf.matMul(tf.transpose(R), X).div(
        tf.tensor2d(
          Float32Array.from(Nk, (v) => Math.max(v, 1e-8)),
          [K, 1],
        ),
      ),
    );
    mu = Float64Array.from(mus.dataSync());
    covs = [];
    for (let k = 0; k < K; k++) {
      const C = tf.tidy(() => {
        const xc = X.sub(mus.slice([k, 0], [1, d]));
        const w = tf.sqrt(R.slice([0, k], [n, 1]));
        const W = xc.mul(w);
        return tf.matMul(tf.transpose(W), W).div(Math.max(Nk[k], 1e-8));
      });
      const c = Float64Array.from(C.dataSync());
      C.dispose();
      for (let i = 0; i < d; i++) c[i * d + i] += reg;
      covs.push(c);
      logw[k] = Math.log(Math.max(Nk[k], 1e-8) / n);
    }
    mus.dispose();
    // E-step
    const logp: tf.Tensor2D[] = [];
    for (let k = 0; k < K; k++) {
      const L = cholesky(covs[k], d),
        Li = invLower(L, d);
      let logdet = 0;
      for (let i = 0; i < d; i++) logdet += 2 * Math.log(L[i * d + i]);
      logp.push(
        tf.tidy(() => {
          const xc = X.sub(tf.tensor2d(Float32Array.from(mu.subarray(k * d, (k + 1) * d)), [1, d]));
          const Z = tf.matMul(xc, tf.transpose(tf.tensor2d(Float32Array.from(Li), [d, d])));
          return tf
            .sum(tf.square(Z), 1, true)
            .mul(-0.5)
            .add(logw[k] - 0.5 * (logdet + d * LOG2PI)) as tf.Tensor2D;
        }),
      );
    }
    const LP = tf.concat(logp, 1);
    logp.forEach((t) => t.dispose());
    const lse = tf.logSumExp(LP, 1, true);
    history.push(lse.mean().dataSync()[0]);
    R.dispose();
    R = tf.tidy(() => tf.exp(LP.sub(lse)) as tf.Tensor2D);
    LP.dispose();
    lse.dispose();
  }
  R.dispose();
  X.dispose();
  history.shift(); // the first entry scores the hard initial assignment's M-step
  const lam: Float64Array[] = [],
    U: Float64Array[] = [];
  for (const c of covs) {
    const e = eigSym(c, d, 1e-10, 12);
    lam.push(e.values.map((v) => Math.max(v, reg * 0.5)));
    U.push(e.U);
  }
  return { gmm: { K, d, logw, mu, cov: covs, lam, U }, history };
}

/** Exact posterior mean E[x | u] for u = x + σ ε under the GMM (the MMSE denoiser), with log p(u). */
export function gmmPosterior(g: Gmm, u: ArrayLike<number>, sigma2: number): { mean: Float32Array; logp: Float32Array } {
  const { K, d } = g,
    n = u.length / d;
  return tf.tidy(() => {
    const Ut = tf.tensor2d(Float32Array.from(u), [n, d]);
    const logps: tf.Tensor[] = [],
      means: tf.Tensor[] = [];
    for (let k = 0; k < K; k++) {
      const lam = g.lam[k],
        shrink = new Float32Array(d),
        invv = new Float32Array(d);
      let logdet = 0;
      for (let i = 0; i < d; i++) {
        const v = lam[i] + sigma2;
        shrink[i] = lam[i] / v;
        invv[i] = 1 / v;
        logdet += Math.log(v);
      }
      const Uk = tf.tensor2d(Float32Array.from(g.U[k]), [d, d]),
        muk = tf.tensor2d(Float32Array.from(g.mu.subarray(k * d, (k + 1) * d)), [1, d]);
      const Z = tf.matMul(Ut.sub(muk), Uk);
      logps.push(
        tf
          .sum(tf.square(Z).mul(tf.tensor2d(invv, [1, d])), 1, true)
          .mul(-0.5)
          .add(g.logw[k] - 0.5 * (logdet + d * LOG2PI)),
      );
      means.push(muk.add(tf.matMul(Z.mul(tf.tensor2d(shrink, [1, d])), tf.transpose(Uk))));
    }
    const LP = tf.concat(logps, 1),
      lse = tf.logSumExp(LP, 1, true),
      P = tf.exp(LP.sub(lse));
    let mean = tf.zeros([n, d]);
    for (let k = 0; k < K; k++) mean = mean.add(means[k].mul(P.slice([0, k], [n, 1])));
    return { mean: mean.dataSync() as Float32Array, logp: lse.dataSync() as Float32Array };
  });
}

/**
 * The exact MMSE decoder for y = A x + n under the GMM prior (closed form, no sampling): the posterior is again a
 * mixture, E[x | y] = Σ_k π_k(y) (μ_k + Σ_k Aᵀ M_k⁻¹ (y − A μ_k)), M_k = A Σ_k Aᵀ + σ_y² I,
 * π_k(y) ∝ w_k N(y; A μ_k, M_k). It marks the distortion end of the perception–distortion trade-off for this prior.
 */
export function gmmMmseDecoder(
  g: Gmm,
  A: ArrayLike<number>,
  k: number,
  sigmaY: number,
): (y: ArrayLike<number>) => Float64Array {
  const { K, d } = g,
    At = new Float64Array(d * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) At[j * k + i] = A[i * d + j];
  const comps = Array.from({ length: K }, (_, c) => {
    const SAt = matmul(g.cov[c], At, d, d, k),
      M = matmul(A, SAt, k, d, k);
    for (let i = 0; i < k; i++) M[i * k + i] += Math.max(sigmaY * sigmaY, 1e-8);
    const SAtT = new Float64Array(k * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) SAtT[j * d + i] = SAt[i * k + j];
    const GT = solveSpd(M, k, SAtT, d),
      L = cholesky(M, k);
    let logdet = 0;
    for (let i = 0; i < k; i++) logdet += 2 * Math.log(L[i * k + i]);
    const mu = g.mu.subarray(c * d, (c + 1) * d);
    return { GT, L, logdet, mu, Amu: matmul(A, mu, k, d, 1) };
  });
  return (y) => {
    const n = y.length / k,
      out = new Float64Array(n * d),
      r = new Float64Array(k),
      lp = new Float64Array(K);
    for (let row = 0; row < n; row++) {
      comps.forEach((c, ci) => {
        for (let j = 0; j < k; j++) r[j] = y[row * k + j] - c.Amu[j];
        let q = 0; // ‖L⁻¹ r‖²
        const z = new Float64Array(k);
        for (let i = 0; i < k; i++) {
          let s = r[i];
          for (let m = 0; m < i; m++) s -= c.L[i * k + m] * z[m];
          z[i] = s / c.L[i * k + i];
          q += z[i] * z[i];
        }
        lp[ci] = g.logw[ci] - 0.5 * (q + c.logdet + k * LOG2PI);
      });
      const mx = Math.max(...lp);
      let tot = 0;
      for (let ci = 0; ci < K; ci++) {
        lp[ci] = Math.exp(lp[ci] - mx);
        tot += lp[ci];
      }
      comps.forEach((c, ci) => {
        const w = lp[ci] / tot;
        if (w < 1e-12) return;
        for (let j = 0; j < k; j++) r[j] = y[row * k + j] - c.Amu[j];
        for (let i = 0; i < d; i++) {
          let s = c.mu[i];
          for (let j = 0; j < k; j++) s += c.GT[j * d + i] * r[j];
          out[row * d + i] += w * s;
        }
      });
    }
    return out;
  };
}

/** n draws from the GMM: pick k with probability w_k, then x = μ_k + U_k diag(√λ_k) z, z ~ N(0, I). */
export function sampleGmm(g: Gmm, n: number, rng: Rng): Float64Array {
  const { K, d } = g,
    out = new Float64Array(n * d),
    w = Array.from(g.logw, Math.exp);
  for (let r = 0; r < n; r++) {
    let u = rng.uniform(),
      k = 0;
    while (k < K - 1 && u >= w[k]) {
      u -= w[k];
      k++;
    }
    const z = rng.normalArray(d).map((v, i) => v * Math.sqrt(g.lam[k][i]));
    for (let i = 0; i < d; i++) {
      let s = g.mu[k * d + i];
      for (let j = 0; j < d; j++) s += g.U[k][i * d + j] * z[j];
      out[r * d + i] = s;
    }
  }
  return out;
}
