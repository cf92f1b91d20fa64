import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import { denseOf, poolA, poolPinv } from "./linear";
import { matmul } from "../linalg";
import { lmmseDecoder, meanCov } from "./lmmse";
import { fitGmm, gmmMmseDecoder, gmmPosterior, sampleGmm, type Gmm } from "./gmm";
import { ddnm } from "./sampler";
import { transmitLinear, awgn } from "./channel";
import { meanPsnr, slicedWasserstein } from "./metrics";
import { trainDeepJscc } from "./deepjscc";
import { gmmMoments, makeSetup, matchedPrior, pooledPsnr, rangePart, swapNullSpace, pairedGap } from "./experiment";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("jscc/linear", () => {
  const side = 6,
    s = 2,
    d = 36;
  const A = denseOf((x) => poolA(x, side, s), d),
    P = denseOf((y) => poolPinv(y, side, s), 9);
  it("A A⁺ A = A and A⁺ A A⁺ = A⁺ (Moore–Penrose), A⁺A symmetric", () => {
    const AP = matmul(A.a, P.a, 9, d, 9),
      APA = matmul(AP, A.a, 9, 9, d);
    assert.ok(maxAbs(APA, A.a) < 1e-15);
    const PAP = matmul(matmul(P.a, A.a, d, 9, d), P.a, d, d, 9);
    assert.ok(maxAbs(PAP, P.a) < 1e-15);
    const PA = matmul(P.a, A.a, d, 9, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(PA[i * d + j], PA[j * d + i]);
  });
  it("A averages 2×2 blocks and A⁺ copies them back", () => {
    const x = Float64Array.from({ length: 16 }, (_, i) => i);
    assert.deepEqual(Array.from(poolA(x, 4, 2)), [2.5, 4.5, 10.5, 12.5]); // (0+1+4+5)/4 …
    assert.deepEqual(Array.from(poolPinv([1, 2, 3, 4], 4, 2)), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});

describe("jscc/lmmse", () => {
  it("equals the closed form on a 2-pixel Gaussian toy case", () => {
    // x ~ N(μ, Σ), y = (x1 + x2)/2 + n: G = Σ Aᵀ / (Aᵀ Σ A + σ²) with AΣAᵀ = (a + b + 2c)/4
    const a = 1,
      b = 2,
      c = 0.5,
      s2 = 0.3,
      mu = [0.2, -0.1];
    const dec = lmmseDecoder(mu, [a, c, c, b], [0.5, 0.5], 1, 2, Math.sqrt(s2));
    const denom = (a + b + 2 * c) / 4 + s2,
      g = [(a + c) / 2 / denom, (c + b) / 2 / denom],
      y = 0.7,
      r = y - (mu[0] + mu[1]) / 2;
    assert.ok(maxAbs(dec([y]), [mu[0] + g[0] * r, mu[1] + g[1] * r]) < 1e-14);
  });
  it("on Gaussian data its empirical MSE matches the predicted error trace", () => {
    const r = rng(1),
      n = 20000,
      d = 2,
      x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const u = r.normal(),
        v = r.normal();
      x[i * 2] = u;
      x[i * 2 + 1] = 0.8 * u + 0.6 * v;
    }
    const { mu, cov } = meanCov(x, d);
    assert.ok(maxAbs(cov, [1, 0.8, 0.8, 1]) < 0.03);
    // observe only the first pixel: x2 | x1 has variance 1 − 0.8² = 0.36
    const dec = lmmseDecoder(mu, cov, [1, 0], 1, 2, 1e-6),
      y = Float64Array.from({ length: n }, (_, i) => x[i * 2]);
    const xh = dec(y);
    let m = 0;
    for (let i = 0; i < n; i++) m += (xh[i * 2 + 1] - x[i * 2 + 1]) ** 2;
    assert.ok(Math.abs(m / n - 0.36) < 0.02);
  });
});

// a two-component prior on 4×4 images, written down by hand (no fitting), so its denoiser is exactly known
const mk = (): Gmm => {
  const d = 16,
    I = (v: number) => Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? v : 0));
  const mu = new Float64Array(2 * d);
  for (let i = 0; i < d; i++) {
    mu[i] = 0.2;
    mu[d + i] = i % 2 ? 0.9 : 0.1;
  }
  const U = I(1);
  return {
    K: 2,
    d,
    logw: Float64Array.from([Math.log(0.5), Math.log(0.5)]),
    mu,
    cov: [I(0.01), I(0.04)],
    lam: [new Float64Array(d).fill(0.01), new Float64Array(d).fill(0.04)],
    U: [U, U],
  };
};

describe("jscc/gmm and sampler", function () {
  this.timeout(120000);
  before(async () => {
    await initBackend({ quiet: true });
  });
  const d = 16,
    side = 4,
    s = 2;
  it("the GMM denoiser equals the single-Gaussian shrinkage when one component dominates", () => {
    const g = mk();
    g.logw = Float64Array.from([0, -1e9]);
    const u = Float64Array.from({ length: d }, (_, i) => 0.2 + 0.1 * Math.sin(i));
    const { mean } = gmmPosterior(g, u, 0.03);
    const want = Array.from(u, (v) => 0.2 + (0.01 / 0.04) * (v - 0.2));
    assert.ok(maxAbs(mean, want) < 1e-6);
  });
  it("with a noiseless channel the sampler output satisfies A x̂ = y to float precision", () => {
    const g = mk(),
      r = rng(2),
      x = Float64Array.from({ length: 5 * d }, () => r.uniform());
    const y = poolA(x, side, s);
    const xh = ddnm(y, (u, s2) => gmmPosterior(g, u, s2).mean, { side, s, sigmaY: 0, rng: rng(3), steps: 20 });
    assert.ok(maxAbs(poolA(xh, side, s), y) < 1e-12);
    assert.ok(maxAbs(xh, poolPinv(y, side, s)) > 1e-3, "the null space must have been filled in");
  });
  it("is reproducible for a seed and differs across seeds", () => {
    const g = mk(),
      y = poolA(
        Float64Array.from({ length: 3 * d }, (_, i) => (i % 7) / 7),
        side,
        s,
      );
    const D = (u: Float64Array, s2: number) => gmmPosterior(g, u, s2).mean;
    const a = ddnm(y, D, { side, s, sigmaY: 0.05, rng: rng(4), steps: 10 }),
      b = ddnm(y, D, { side, s, sigmaY: 0.05, rng: rng(4), steps: 10 }),
      c = ddnm(y, D, { side, s, sigmaY: 0.05, rng: rng(5), steps: 10 });
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.ok(maxAbs(a, c) > 1e-3);
    assert.deepEqual(Array.from(awgn([1, 2, 3], 10, rng(6))), Array.from(awgn([1, 2, 3], 10, rng(6))));
  });
  it("the GMM MMSE decoder reduces to LMMSE for one component", () => {
    const g = mk();
    g.K = 1;
    g.logw = Float64Array.from([0]);
    g.mu = g.mu.slice(0, d);
    g.cov = [g.cov[1]];
    const A = denseOf((v) => poolA(v, side, s), d),
      y = [0.3, 0.5, 0.1, 0.9];
    const a = gmmMmseDecoder(g, A.a, 4, 0.1)(y),
      b = lmmseDecoder(g.mu, g.cov[0], A.a, 4, d, 0.1)(y);
    assert.ok(maxAbs(a, b) < 1e-12);
  });
  it("draws from the prior have the components' mean and variance", () => {
    const g = mk(),
      x = sampleGmm(g, 4000, rng(12));
    let m = 0,
      v = 0;
    for (let r = 0; r < 4000; r++) m += x[r * d + 1] / 4000; // pixel 1: means 0.2 and 0.9, variances 0.01 and 0.04
    for (let r = 0; r < 4000; r++) v += (x[r * d + 1] - m) ** 2 / 4000;
    assert.ok(Math.abs(m - 0.55) < 0.02, `${m}`);
    assert.ok(Math.abs(v - (0.025 + 0.35 ** 2)) < 0.01, `${v}`); // mixture variance: mean of variances + variance of means
  });
  it("EM raises the likelihood and recovers two well separated clusters", () => {
    const r = rng(7),
      n = 400,
      dd = 4,
      x = new Float32Array(n * dd);
    for (let i = 0; i < n; i++) for (let j = 0; j < dd; j++) x[i * dd + j] = (i < n / 2 ? 0 : 3) + 0.3 * r.normal();
    const { gmm, history } = fitGmm(x, dd, { K: 2, iters: 5, reg: 1e-4, rng: rng(8) });
    for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-3);
    const means = [gmm.mu[0], gmm.mu[dd]].sort((p, q) => p - q);
    assert.ok(Math.abs(means[0]) < 0.1 && Math.abs(means[1] - 3) < 0.1, `${means}`);
    assert.ok(Math.abs(gmm.lam[0][0] - 0.09) < 0.03);
  });
});

describe("jscc/channel and metrics", () => {
  it("the linear scheme's receiver sees A x plus noise of std σ_y = 1/(c√SNR)", () => {
    const r = rng(9),
      k = 4,
      n = 20000,
      ax = Float64Array.from({ length: n * k }, () => r.normal()),
      amu = [0, 0, 0, 0];
    const { y, sigmaY } = transmitLinear(ax, amu, k, 2, 10, rng(10));
    assert.ok(Math.abs(sigmaY - 1 / (2 * Math.sqrt(10))) < 1e-12);
    let v = 0;
    for (let i = 0; i < y.length; i++) v += (y[i] - ax[i]) ** 2;
    assert.ok(Math.abs(Math.sqrt(v / y.length) - sigmaY) < 0.003);
    assert.deepEqual(
      Array.from(transmitLinear(ax.subarray(0, 8), amu, k, 2, Infinity, r).y),
      Array.from(ax.subarray(0, 8)),
    );
  });
  it("PSNR and sliced Wasserstein on known cases", () => {
    assert.ok(Math.abs(meanPsnr([0.5, 0.5], [0.6, 0.4], 2) - 20) < 1e-9);
    const a = [0, 0, 1, 1],
      b = [0.5, 0.5, 1.5, 1.5]; // clipped: [0.5,0.5],[1,1] vs [0,0],[1,1]
    assert.equal(slicedWasserstein(a, a, 2, 8, rng(11)), 0);
    assert.ok(slicedWasserstein(a, b, 2, 64, rng(11)) > 0.1);
  });
});

describe("jscc/experiment", function () {
  this.timeout(120000);
  before(async () => {
    await initBackend({ quiet: true });
  });
  const d = 16,
    side = 4,
    s = 2; // the prior `mk` above

  it("gmmMoments gives the mixture's mean and covariance (mean of covariances plus covariance of means)", () => {
    const { mu, cov } = gmmMoments(mk());
    assert.ok(Math.abs(mu[1] - 0.55) < 1e-12 && Math.abs(mu[0] - 0.15) < 1e-12);
    assert.ok(Math.abs(cov[1 * d + 1] - (0.025 + 0.35 ** 2)) < 1e-12); // pixel 1: variances 0.01, 0.04; means 0.2, 0.9
    assert.ok(Math.abs(cov[1 * d + 3] - 0.35 ** 2) < 1e-12); // pixels 1 and 3 move together between components
    assert.ok(Math.abs(cov[0 * d + 1] - -0.05 * 0.35) < 1e-12); // pixel 0: means 0.2, 0.1
  });

  it("rangePart keeps A x̂; swapNullSpace keeps each row's range part and takes another row's null space", () => {
    const S = makeSetup(Float32Array.from(sampleGmm(mk(), 50, rng(1))), side, s, mk());
    const xh = sampleGmm(mk(), 6, rng(2)),
      r = rangePart(S, xh),
      sw = swapNullSpace(S, xh, rng(3));
    assert.ok(maxAbs(poolA(r, side, s), poolA(xh, side, s)) < 1e-12);
    assert.ok(maxAbs(poolA(sw, side, s), poolA(xh, side, s)) < 1e-12);
    for (let i = 0; i < 6; i++) {
      const own = Array.from({ length: d }, (_, p) => xh[i * d + p] - r[i * d + p]),
        got = Array.from({ length: d }, (_, p) => sw[i * d + p] - r[i * d + p]);
      assert.ok(maxAbs(own, got) > 1e-3, `row ${i} kept its own null space`);
    }
  });

  it("pooledPsnr is 10 log10(1/MSE) over all pixels; meanPsnr with clip: false does not clip", () => {
    assert.ok(Math.abs(pooledPsnr([0, 0, 0, 0], [0.1, -0.1, 0.1, -0.1]) - 20) < 1e-9);
    assert.ok(Math.abs(meanPsnr([1.5, 1.5], [1.6, 1.4], 2, { clip: false }) - 20) < 1e-9);
    assert.ok(meanPsnr([1.5, 1.5], [1.6, 1.4], 2) < 10, "clipped to [0, 1] the error is 0.5");
  });

  it("matched prior: the exact posterior mean beats LMMSE and the sampler sits about 3 dB below the mean", () => {
    const S = makeSetup(Float32Array.from(sampleGmm(mk(), 400, rng(4))), side, s, mk());
    const rows = matchedPrior(S, { n: 300, snrs: [10], seeds: [0], key: rng(5) });
    assert.deepEqual(
      [...new Set(rows.map((r) => r.method))],
      ["A⁺y", "LMMSE", "GMM posterior mean", "DDNM+", "prior draw, y ignored"],
    );
    assert.ok(pairedGap(rows, "GMM posterior mean", "LMMSE", 10)[0] > 0);
    const price = pairedGap(rows, "GMM posterior mean", "DDNM+", 10)[0];
    assert.ok(Math.abs(price - 10 * Math.log10(2)) < 1, `posterior mean − sample = ${price} dB`);
  });

  it("trainDeepJscc with a target decodes rows of the target's width and learns it", async () => {
    const x = Float32Array.from(sampleGmm(mk(), 200, rng(6)), (v) => Math.min(1, Math.max(0, v))),
      t = Float32Array.from(poolA(x, side, s));
    const m = await trainDeepJscc(x, d, {
      k: 4,
      hidden: 16,
      snrDb: 20,
      epochs: 30,
      batch: 50,
      lr: 1e-2,
      rng: rng(7),
      target: { x: t, d: 4 },
    });
    const out = m.run(x, 20, rng(8));
    assert.equal(m.dOut, 4);
    assert.equal(out.length, 200 * 4);
    let e = 0,
      v = 0;
    const mean = t.reduce((a, b) => a + b) / t.length;
    for (let i = 0; i < t.length; i++) {
      e += (out[i] - t[i]) ** 2;
      v += (t[i] - mean) ** 2;
    }
    assert.ok(e < 0.5 * v, `MSE ${e / t.length} vs variance ${v / t.length}`);
    m.dispose();
    await assert.rejects(
      () =>
        trainDeepJscc(x, d, {
          k: 4,
          hidden: 8,
          snrDb: 20,
          epochs: 1,
          batch: 50,
          lr: 1e-2,
          rng: rng(7),
          target: { x: t.subarray(0, 40), d: 4 },
        }),
      /target has 10 rows, images 200/,
    );
  });
});
