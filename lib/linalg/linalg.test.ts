import assert from "node:assert/strict";
import { cholesky, eigSym, matmul, solveSpd } from ".";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("linalg", () => {
  it("Cholesky, SPD solve and Jacobi eigen agree with hand values", () => {
    const S = [4, 2, 2, 3];
    assert.deepEqual(Array.from(cholesky(S, 2)), [2, 0, 1, Math.SQRT2]);
    const x = solveSpd(S, 2, [2, 1], 1); // 4a+2b=2, 2a+3b=1 → a=0.5, b=0
    assert.ok(maxAbs(x, [0.5, 0]) < 1e-14);
    const e = eigSym([2, 1, 1, 2], 2); // eigenvalues 1 and 3
    assert.deepEqual(
      Array.from(e.values)
        .map((v) => Math.round(v * 1e12) / 1e12)
        .sort(),
      [1, 3],
    );
  });
  it("Jacobi eigen-decomposition reproduces A u = λ u, with orthonormal U", () => {
    const A = [4, 1, 2, 1, 3, 0, 2, 0, 5],
      { values, U } = eigSym(A, 3);
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 3; i++) {
        const Au = [0, 1, 2].reduce((s, j) => s + A[i * 3 + j] * U[j * 3 + c], 0);
        assert.ok(Math.abs(Au - values[c] * U[i * 3 + c]) < 1e-9);
      }
    const UtU = matmul(
      Array.from({ length: 9 }, (_, k) => U[(k % 3) * 3 + Math.floor(k / 3)]),
      U,
      3,
      3,
      3,
    );
    assert.ok(maxAbs(UtU, [1, 0, 0, 0, 1, 0, 0, 0, 1]) < 1e-12);
  });
});
