/** Small dense linear algebra on row-major Float64Arrays: Cholesky, triangular solves, symmetric eigen (Jacobi). */

/** Lower-triangular L with L Lᵀ = S (S symmetric positive definite, n×n). Throws if S is not positive definite. */
export function cholesky(S: ArrayLike<number>, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = S[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix not positive definite at ${i} (pivot ${s})`);
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  return L;
}

/** Solves S X = B for symmetric positive definite S (n×n) and B (n×m), via Cholesky. */
export function solveSpd(S: ArrayLike<number>, n: number, B: ArrayLike<number>, m: number): Float64Array {
  const L = cholesky(S, n),
    X = Float64Array.from(B);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = X[i * m + c];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * X[k * m + c];
      X[i * m + c] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = X[i * m + c];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + c];
      X[i * m + c] = s / L[i * n + i];
    }
  }
  return X;
}

/** Symmetric eigendecomposition S = U diag(λ) Uᵀ by cyclic Jacobi rotations; U's columns are the eigenvectors. */
export function eigSym(
  S: ArrayLike<number>,
  n: number,
  tol = 1e-12,
  maxSweeps = 30,
): { values: Float64Array; U: Float64Array } {
  const A = Float64Array.from(S),
    U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) U[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0,
      diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += A[i * n + j] ** 2;
    }
    if (off <= tol * tol * diag) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1)),
          c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          // A ← A J (columns p, q)
          const akp = A[k * n + p],
            akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // A ← Jᵀ A (rows p, q)
          const apk = A[p * n + k],
            aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const ukp = U[k * n + p],
            ukq = U[k * n + q];
          U[k * n + p] = c * ukp - s * ukq;
          U[k * n + q] = s * ukp + c * ukq;
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => A[i * n + i]), U };
}

/** C = A B for row-major A (n×k) and B (k×m). */
export function matmul(A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j] += a * B[l * m + j];
    }
  return C;
}
