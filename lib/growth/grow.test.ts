import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { duplicate, rcSample } from "./grow";
import { initBackend } from "../tensor";
import { forward, initMeanField, lossOf, type MeanFieldMLP } from "./mlp";
import { logLogSlope } from "../stats";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("growth/mlp", () => {
  it("forward pass on a hand-computed net: 3·tanh(2·0.5) + 1, and the 1/N average over two hidden units", () => {
    const one: MeanFieldMLP = {
      sizes: [1, 1, 1],
      W: [Float32Array.of(2), Float32Array.of(3)],
      b: [Float32Array.of(0), Float32Array.of(1)],
    };
    assert.ok(Math.abs(forward(one, [0.5], 1)[0] - (3 * Math.tanh(1) + 1)) < 1e-12);
    const two: MeanFieldMLP = {
      sizes: [1, 2, 1],
      W: [Float32Array.of(2, -1), Float32Array.of(3, 5)],
      b: [Float32Array.of(0, 0), Float32Array.of(0)],
    };
    assert.ok(Math.abs(forward(two, [0.5], 1)[0] - (3 * Math.tanh(1) + 5 * Math.tanh(-0.5)) / 2) < 1e-12);
    assert.ok(
      Math.abs(
        forward({ ...two, scaling: "standard" }, [0.5], 1)[0] - (3 * Math.tanh(1) + 5 * Math.tanh(-0.5)) / Math.SQRT2,
      ) < 1e-12,
    );
  });

  it("initialisation: σ per deeper layer (0 puts the middle layer at its mean-field limit), standard scaling recorded", () => {
    const net = initMeanField([3, 4, 4, 2], rng(49), { sigmaW: [0, 1], scaling: "standard" });
    assert.ok(net.W[1].every((w) => w === 0) && net.W[2].some((w) => w !== 0));
    assert.equal(net.scaling, "standard");
    assert.equal(initMeanField([3, 4, 4, 2], rng(49)).scaling, undefined);
  });

  it("the tfjs loss uses the same scaling as the float64 forward pass (mean-field and standard)", async () => {
    await initBackend({ quiet: true });
    const r = rng(50);
    for (const scaling of ["mean-field", "standard"] as const) {
      const net = initMeanField([2, 7, 5, 1], r.derive(scaling), { scaling, sigmaW: [0.5, 2] });
      const X = r.normalArray(40),
        Y = r.normalArray(20),
        f = forward(net, X, 20);
      const want = f.reduce((s, v, i) => s + 0.5 * (v - Y[i]) ** 2, 0) / 20;
      assert.ok(Math.abs(lossOf(net, X, Y, 20, "mse") - want) < 1e-5 * (1 + want), scaling);
    }
  });
});

describe("growth/grow", () => {
  it("duplication preserves the function to float precision (with and without symmetric noise)", () => {
    const r = rng(51);
    for (let c = 0; c < 20; c++) {
      const sizes = [1 + r.int(5), 2 + r.int(6), 2 + r.int(6), 1 + r.int(3)];
      const net = initMeanField(sizes, r);
      net.b.forEach((b) =>
        b.forEach((_, i) => {
          b[i] = r.normal();
        }),
      );
      const X = r.normalArray(50 * sizes[0]);
      const f = forward(net, X, 50);
      const widths = [sizes[1] * (1 + r.int(6)), sizes[2] * (2 + 2 * r.int(3))];
      for (const noise of [0, 0.5]) {
        const g = duplicate(net, widths, { noise, rng: r });
        assert.deepEqual(g.sizes, [sizes[0], ...widths, sizes[3]]);
        const err = maxAbs(forward(g, X, 50), f);
        assert.ok(err < 1e-5, `case ${c} noise ${noise}: max |Δf| = ${err}`);
      }
    }
  });

  it("symmetric noise really perturbs the weights, and non-multiples are refused", () => {
    const r = rng(52);
    const net = initMeanField([2, 3, 3, 1], r);
    const g = duplicate(net, [6, 6], { noise: 0.5, rng: r }),
      h = duplicate(net, [6, 6]);
    assert.ok(maxAbs(g.W[1], h.W[1]) > 0.1);
    assert.throws(() => duplicate(net, [5, 6]), /multiple/);
    assert.throws(() => rcSample(initMeanField([2, 3, 3, 1], r, { scaling: "standard" }), [6, 6], r), /mean-field/);
  });

  it("RC sampling of a one-hidden-layer net: E‖f_M − f‖² matches the analytic Var/M and falls as 1/M", () => {
    // f(x) = (1/N) Σ_j a_j tanh(w_j x + c_j); sampling M neurons uniformly is an unbiased mean of M draws,
    // so E(f_M(x) − f(x))² = Var_j[a_j tanh(w_j x + c_j)] / M exactly.
    const r = rng(53);
    const net = initMeanField([1, 12, 1], r);
    net.b[0].forEach((_, i) => {
      net.b[0][i] = r.normal();
    });
    const X = Float64Array.from({ length: 25 }, (_, i) => -2 + (4 * i) / 24),
      f = forward(net, X, 25);
    let analytic = 0;
    for (let k = 0; k < X.length; k++) {
      const t = Array.from({ length: 12 }, (_, j) => net.W[1][j] * Math.tanh(net.W[0][j] * X[k] + net.b[0][j]));
      const m = t.reduce((a, b) => a + b) / 12;
      analytic += t.reduce((s, v) => s + (v - m) ** 2, 0) / 12 / X.length;
    }
    const Ms = [24, 48, 96, 192, 384, 768],
      mse: number[] = [];
    for (const M of Ms) {
      let s = 0;
      const R = 1000;
      for (let rep = 0; rep < R; rep++) {
        const g = forward(rcSample(net, [M], r), X, 25);
        for (let k = 0; k < 25; k++) s += (g[k] - f[k]) ** 2 / 25;
      }
      mse.push(s / R);
      assert.ok(Math.abs(((s / R) * M) / analytic - 1) < 0.1, `M=${M}: M·mse/Var = ${((s / R) * M) / analytic}`);
    }
    const fit = logLogSlope(Ms, mse);
    assert.ok(Math.abs(fit.slope + 1) < 0.1, `slope ${fit.slope}`);
  });

  it("RC sampling of a two-hidden-layer net converges: the function error shrinks as width grows", () => {
    const r = rng(54);
    const net = initMeanField([3, 8, 8, 2], r);
    const X = r.normalArray(40 * 3),
      f = forward(net, X, 40);
    const err = [16, 128, 1024].map((M) => {
      let s = 0;
      for (let rep = 0; rep < 20; rep++) {
        const g = forward(rcSample(net, [M, M], r), X, 40);
        for (let k = 0; k < g.length; k++) s += (g[k] - f[k]) ** 2;
      }
      return s / 20 / f.length;
    });
    assert.ok(err[1] < err[0] / 4 && err[2] < err[1] / 4, `errors ${err}`);
  });
});
