import { strict as assert } from "node:assert";
import { initBackend, registerFastMatMulGrad, tf } from "./index";
import { rng } from "../rng";

/**
 * The re-registered BatchMatMul gradient against (1) the analytic gradient in float64, (2) central finite
 * differences, and (3) the same computation on the pure-JS cpu backend, for every transpose combination and
 * for a batched, broadcasting case. Loss: L = Σ R ∘ matMul(A, B, tA, tB), so ∂L/∂A' = R B'ᵀ and ∂L/∂B' = A'ᵀ R.
 */
describe("lib/tensor: patched BatchMatMul gradient", () => {
  let backend = "";
  before(async () => {
    backend = await initBackend({ quiet: true });
    registerFastMatMulGrad();
  });
  after(async () => {
    await tf.setBackend(backend);
  });

  // plain float64 helpers on row-major matrices
  const mat = (d: Float32Array, r: number, c: number) => ({ d: Float64Array.from(d), r, c });
  type M = ReturnType<typeof mat>;
  const tr = (m: M): M => {
    const d = new Float64Array(m.r * m.c);
    for (let i = 0; i < m.r; i++) for (let j = 0; j < m.c; j++) d[j * m.r + i] = m.d[i * m.c + j];
    return { d, r: m.c, c: m.r };
  };
  const mm = (a: M, b: M): M => {
    const d = new Float64Array(a.r * b.c);
    for (let i = 0; i < a.r; i++)
      for (let k = 0; k < a.c; k++) for (let j = 0; j < b.c; j++) d[i * b.c + j] += a.d[i * a.c + k] * b.d[k * b.c + j];
    return { d, r: a.r, c: b.c };
  };

  const r = rng(2024);
  for (const [tA, tB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`transposeA=${tA}, transposeB=${tB}`, async () => {
      const [m, k, n] = [3, 4, 5];
      const aShape = tA ? [k, m] : [m, k],
        bShape = tB ? [n, k] : [k, n];
      const a = r.normalArray(m * k),
        b = r.normalArray(k * n),
        R = r.normalArray(m * n);
      const loss = (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, tA, tB), tf.tensor2d(R, [m, n])));
      const grads = () =>
        tf.tidy(() =>
          tf
            .grads(loss)([tf.tensor2d(a, aShape as [number, number]), tf.tensor2d(b, bShape as [number, number])])
            .map((g) => Array.from(g.dataSync())),
        );
      const [ga, gb] = grads();

      // (1) analytic, float64
      const A = mat(a, aShape[0], aShape[1]),
        B = mat(b, bShape[0], bShape[1]),
        Rm = mat(R, m, n);
      const Ap = tA ? tr(A) : A,
        Bp = tB ? tr(B) : B;
      const dAp = mm(Rm, tr(Bp)),
        dBp = mm(tr(Ap), Rm);
      const dA = tA ? tr(dAp) : dAp,
        dB = tB ? tr(dBp) : dBp;
      ga.forEach((v, i) => assert.ok(Math.abs(v - dA.d[i]) < 1e-4, `dA[${i}] ${v} vs ${dA.d[i]}`));
      gb.forEach((v, i) => assert.ok(Math.abs(v - dB.d[i]) < 1e-4, `dB[${i}] ${v} vs ${dB.d[i]}`));

      // (2) finite differences on a few entries of A (the loss is linear in A, so central differences are exact up to rounding)
      for (const i of [0, 5, 11]) {
        const up = a.slice(),
          dn = a.slice();
        up[i] += 0.01;
        dn[i] -= 0.01;
        const f = (v: Float32Array) =>
          tf.tidy(
            () =>
              loss(
                tf.tensor2d(v, aShape as [number, number]),
                tf.tensor2d(b, bShape as [number, number]),
              ).dataSync()[0],
          );
        assert.ok(Math.abs((f(up) - f(dn)) / 0.02 - ga[i]) < 2e-2, `finite difference dA[${i}]`);
      }

      // (3) the cpu backend gives the same numbers
      await tf.setBackend("cpu");
      const [ca, cb] = grads();
      await tf.setBackend(backend);
      ca.forEach((v, i) => assert.ok(Math.abs(v - ga[i]) < 1e-4));
      cb.forEach((v, i) => assert.ok(Math.abs(v - gb[i]) < 1e-4));
    });
  }

  it("batched and broadcast: A [2, 3, 4] · B [4, 5] gives dB summed over the batch", () => {
    const a = r.normalArray(24),
      b = r.normalArray(20),
      R = r.normalArray(30);
    const [ga, gb] = tf.tidy(() =>
      tf
        .grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), tf.tensor3d(R, [2, 3, 5]))))([
          tf.tensor3d(a, [2, 3, 4]),
          tf.tensor2d(b, [4, 5]),
        ])
        .map((g) => ({ shape: g.shape, d: Array.from(g.dataSync()) })),
    );
    assert.deepEqual(ga.shape, [2, 3, 4]);
    assert.deepEqual(gb.shape, [4, 5]);
    // dB = Σ_batch A_bᵀ R_b ; dA_b = R_b Bᵀ
    const B = mat(b, 4, 5);
    const want = new Float64Array(20);
    for (let s = 0; s < 2; s++) {
      const A = mat(a.subarray(s * 12, (s + 1) * 12), 3, 4),
        Rb = mat(R.subarray(s * 15, (s + 1) * 15), 3, 5);
      mm(tr(A), Rb).d.forEach((v, i) => {
        want[i] += v;
      });
      mm(Rb, tr(B)).d.forEach((v, i) => assert.ok(Math.abs(ga.d[s * 12 + i] - v) < 1e-4, `dA[${s}][${i}]`));
    }
    want.forEach((v, i) => assert.ok(Math.abs(gb.d[i] - v) < 1e-4, `dB[${i}] ${gb.d[i]} vs ${v}`));
  });

  it("skips dA when A is not on a path to the variables (lazy gradient)", () => {
    const x = tf.tensor2d(r.normalArray(6), [2, 3]);
    const W = tf.variable(tf.tensor2d(r.normalArray(12), [3, 4]));
    const before = tf.memory().numTensors;
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.matMul(x, W)), [W]);
    // dW = xᵀ·1 : column sums of x repeated
    const xs = Array.from(x.dataSync()),
      g = Array.from(grads[W.name].dataSync());
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) assert.ok(Math.abs(g[i * 4 + j] - (xs[i] + xs[3 + i])) < 1e-5);
    tf.dispose([value, grads[W.name]]);
    assert.equal(tf.memory().numTensors, before);
  });
});
