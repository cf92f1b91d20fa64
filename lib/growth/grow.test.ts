import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { duplicate, rcSample } from "./grow";
import { forward, initMeanField, type MeanFieldMLP } from "./mlp";
import { kolmogorovQ, ks2, logLogSlope } from "./stats";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

describe("growth/mlp", () => {
  it("forward pass on a hand-computed net: 3·tanh(2·0.5) + 1, and the 1/N average over two hidden units", () => {
    const one: MeanFieldMLP = { sizes: [1, 1, 1], W: [Float32Array.of(2), Float32Array.of(3)], b: [Float32Array.of(0), Float32Array.of(1)] };
    assert.ok(Math.abs(forward(one, [0.5], 1)[0] - (3 * Math.tanh(1) + 1)) < 1e-12);
    const two: MeanFieldMLP = { sizes: [1, 2, 1], W: [Float32Array.of(2, -1), Float32Array.of(3, 5)], b: [Float32Array.of(0, 0), Float32Array.of(0)] };
    assert.ok(Math.abs(forward(two, [0.5], 1)[0] - (3 * Math.tanh(1) + 5 * Math.tanh(-0.5)) / 2) < 1e-12);
  });
});

describe("growth/grow", () => {
  it("duplication preserves the function to float precision (with and without symmetric noise)", () => {
    const r = rng(51);
    for (let c = 0; c < 20; c++) {
      const sizes = [1 + r.int(5), 2 + r.int(6), 2 + r.int(6), 1 + r.int(3)];
      const net = initMeanField(sizes, r);
      net.b.forEach((b) => b.forEach((_, i) => { b[i] = r.normal(); }));
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
    const g = duplicate(net, [6, 6], { noise: 0.5, rng: r }), h = duplicate(net, [6, 6]);
    assert.ok(maxAbs(g.W[1], h.W[1]) > 0.1);
    assert.throws(() => duplicate(net, [5, 6]), /multiple/);
  });

  it("RC sampling of a one-hidden-layer net: E‖f_M − f‖² matches the analytic Var/M and falls as 1/M", () => {
    // f(x) = (1/N) Σ_j a_j tanh(w_j x + c_j); sampling M neurons uniformly is an unbiased mean of M draws,
    // so E(f_M(x) − f(x))² = Var_j[a_j tanh(w_j x + c_j)] / M exactly.
    const r = rng(53);
    const net = initMeanField([1, 12, 1], r);
    net.b[0].forEach((_, i) => { net.b[0][i] = r.normal(); });
    const X = Float64Array.from({ length: 25 }, (_, i) => -2 + (4 * i) / 24), f = forward(net, X, 25);
    let analytic = 0;
    for (let k = 0; k < X.length; k++) {
      const t = Array.from({ length: 12 }, (_, j) => net.W[1][j] * Math.tanh(net.W[0][j] * X[k] + net.b[0][j]));
      const m = t.reduce((a, b) => a + b) / 12;
      analytic += t.reduce((s, v) => s + (v - m) ** 2, 0) / 12 / X.length;
    }
    const Ms = [24, 48, 96, 192, 384, 768], mse: number[] = [];
    for (const M of Ms) {
      let s = 0;
      const R = 1000;
      for (let rep = 0; rep < R; rep++) { const g = forward(rcSample(net, [M], r), X, 25); for (let k = 0; k < 25; k++) s += (g[k] - f[k]) ** 2 / 25; }
      mse.push(s / R);
      assert.ok(Math.abs((s / R) * M / analytic - 1) < 0.1, `M=${M}: M·mse/Var = ${((s / R) * M) / analytic}`);
    }
    const fit = logLogSlope(Ms, mse);
    assert.ok(Math.abs(fit.slope + 1) < 0.1, `slope ${fit.slope}`);
  });

  it("RC sampling of a two-hidden-layer net converges: the function error shrinks as width grows", () => {
    const r = rng(54);
    const net = initMeanField([3, 8, 8, 2], r);
    const X = r.normalArray(40 * 3), f = forward(net, X, 40);
    const err = [16, 128, 1024].map((M) => {
      let s = 0;
      for (let rep = 0; rep < 20; rep++) { const g = forward(rcSample(net, [M, M], r), X, 40); for (let k = 0; k < g.length; k++) s += (g[k] - f[k]) ** 2; }
      return s / 20 / f.length;
    });
    assert.ok(err[1] < err[0] / 4 && err[2] < err[1] / 4, `errors ${err}`);
  });
});

describe("growth/stats", () => {
  it("KS statistic on hand cases and the Kolmogorov tail at its 5% point (λ = 1.358)", () => {
    assert.equal(ks2([1, 2, 3], [4, 5, 6]).D, 1);
    assert.equal(ks2([1, 2, 3, 4], [1, 2, 3, 4]).D, 0);
    assert.ok(Math.abs(ks2([1, 2, 3, 4], [3, 4, 5, 6]).D - 0.5) < 1e-15);
    assert.ok(Math.abs(kolmogorovQ(1.358) - 0.05) < 0.001);
    assert.ok(Math.abs(kolmogorovQ(1.628) - 0.01) < 0.0005);
  });

  it("KS p-values are roughly uniform under the null and tiny under a shift", () => {
    const r = rng(55);
    let rejections = 0;
    for (let c = 0; c < 400; c++) if (ks2(r.normalArray(100), r.normalArray(120)).p < 0.05) rejections++;
    assert.ok(rejections > 6 && rejections < 40, `${rejections}/400 rejections at 5%`);
    assert.ok(ks2(r.normalArray(200), r.normalArray(200, 0.5)).p < 1e-3);
  });

  it("log–log slope of y = 3/x is exactly −1", () => {
    const fit = logLogSlope([1, 2, 4, 8], [3, 1.5, 0.75, 0.375]);
    assert.ok(Math.abs(fit.slope + 1) < 1e-12 && Math.abs(fit.r2 - 1) < 1e-12);
  });
});
