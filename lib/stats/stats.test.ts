import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  binomialTest,
  binomialUpperTail,
  bootstrapCI,
  incompleteBeta,
  ks2,
  linearFit,
  logGamma,
  logLogSlope,
  mcnemar,
  mean,
  median,
  normalCdf,
  oneWayAnova,
  pairedEquivalence,
  pairedT,
  pearson,
  quantile,
  spearman,
  sd,
  spreadText,
  studentTCdf,
  studentTQuantile,
  summarize,
  welchT,
} from "./index";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

describe("stats", () => {
  it("summaries match hand-computed values", () => {
    assert.equal(mean([1, 2, 3, 4]), 2.5);
    close(sd([2, 4, 4, 4, 5, 5, 7, 9]), 2.138089935, 1e-9);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75); // R: quantile(1:4, .25) = 1.75
    assert.ok(Number.isNaN(sd([1])));
    // x̄ of three 0.998s rounds to 0.9980000000000001: the plain two-pass sum gave s = 1.4e-16
    assert.equal(sd([0.998, 0.998, 0.998]), 0);
  });
  it("special functions agree with tabulated values", () => {
    close(logGamma(5), Math.log(24), 1e-12, "lnΓ(5)");
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12, "lnΓ(½)");
    close(incompleteBeta(0.5, 2, 3), 0.6875, 1e-12, "I_.5(2,3)");
    close(normalCdf(1.959963985), 0.975, 1e-7, "Φ");
    close(studentTCdf(2.228138852, 10), 0.975, 1e-9, "t10");
    close(studentTQuantile(0.975, 2), 4.30265273, 1e-7, "t2 quantile");
    close(studentTQuantile(0.975, 1e6), 1.959966, 1e-5, "t∞ quantile");
  });
  it("the 95% interval is x̄ ± t s/√n", () => {
    const s = summarize([10, 12, 11, 13]);
    close(s.ci95[1] - s.mean, (3.182446305 * sd([10, 12, 11, 13])) / 2, 1e-7);
    assert.match(spreadText([1, 2, 3]), /2\.000 ± 1\.000 \(sd, n = 3; 95% CI/);
  });
  it("paired and Welch t-tests match R", () => {
    // scipy.stats.ttest_rel([5.1,4.9,5.6,5.8,6.0], [4.8,4.7,5.1,5.5,5.4]): t = 5.171145, df = 4, p = 0.0066467
    const p = pairedT([5.1, 4.9, 5.6, 5.8, 6.0], [4.8, 4.7, 5.1, 5.5, 5.4]);
    close(p.statistic, 5.171145, 1e-5);
    close(p.p, 0.0066467, 1e-6);
    // scipy.stats.ttest_ind([1,2,3,4,5], [2,4,6,8,10], equal_var=False): t = -1.897367, df = 5.882353, p = 0.107531
    const w = welchT([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    close(w.statistic, -1.897367, 1e-5);
    close(w.df!, 5.882353, 1e-5);
    close(w.p, 0.107531, 1e-5);
    assert.equal(pairedT([1, 2], [1, 2]).p, 1, "identical samples");
  });
  it("pairedEquivalence (TOST): the 90% t-interval of the paired difference, and its end farthest from zero", () => {
    const e = pairedEquivalence([0.9, 0.91, 0.92], [0.9, 0.9, 0.9]);
    // d = (0, 0.01, 0.02): mean 0.01, sd 0.01, t_{0.95, 2} = 2.919986
    const h = (2.919986 * 0.01) / Math.sqrt(3);
    assert.ok(
      Math.abs(e.meanDiff - 0.01) < 1e-12
        && Math.abs(e.ci[0] - (0.01 - h)) < 1e-5
        && Math.abs(e.bound - (0.01 + h)) < 1e-5,
      JSON.stringify(e),
    );
    assert.throws(() => pairedEquivalence([1], [1]), /length/);
  });
  it("binomial tails and McNemar's exact test", () => {
    close(binomialUpperTail(8, 10, 0.5), 56 / 1024, 1e-12);
    close(binomialTest(9, 10).p, 22 / 1024, 1e-12); // scipy.stats.binomtest(9, 10).pvalue = 0.021484375
    const m = mcnemar([1, 1, 1, 1, 1, 0, 1, 0], [0, 0, 0, 0, 1, 0, 1, 1]);
    assert.deepEqual([m.onlyA, m.onlyB], [4, 1]);
    close(m.p, 0.375, 1e-12); // scipy.stats.binomtest(4, 5).pvalue
  });
  it("KS separates shifted normals and not two draws of one", () => {
    const r = rng(1),
      a = r.derive("a").normalArray(400),
      b = r.derive("b").normalArray(400),
      c = r.derive("c").normalArray(400, 0.5);
    assert.ok(ks2(a, b).p > 0.05);
    assert.ok(ks2(a, c).p < 1e-6);
  });
  it("Pearson and Spearman correlations on hand cases (ties take their average rank)", () => {
    close(pearson([1, 2, 3], [2, 4, 6]), 1, 1e-15);
    close(pearson([1, 2, 3, 4], [1, -1, -1, 1]), 0, 1e-15);
    close(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1, 1e-15);
    close(spearman([1, 2, 3], [3, 2, 1]), -1, 1e-15);
    close(spearman([1, 2, 2, 3], [1, 2, 3, 4]), pearson([1, 2.5, 2.5, 4], [1, 2, 3, 4]), 1e-15);
    assert.throws(() => pearson([1], [1, 2]), /lengths/);
  });

  it("one-way ANOVA on a hand case: F = 13 and p = (1 + 2F/6)^−3 for F(2, 6)", () => {
    const a = oneWayAnova([
      [1, 2, 3],
      [2, 3, 4],
      [5, 6, 7],
    ]);
    assert.equal(a.df1, 2);
    assert.equal(a.df2, 6);
    assert.ok(Math.abs(a.F - 13) < 1e-12);
    assert.ok(Math.abs(a.p - (1 + 26 / 6) ** -3) < 1e-10, `p = ${a.p}`);
    assert.equal(
      oneWayAnova([
        [1, 1],
        [1, 1],
      ]).p,
      1,
    );
    assert.throws(() => oneWayAnova([[1, 2, 3]]), /2 groups/);
  });

  it("ANOVA p-values are calibrated under the null (4 groups × 3, normal data) and small under a shift", () => {
    const r = rng(71);
    let rejected = 0;
    const R = 2000;
    for (let c = 0; c < R; c++)
      if (oneWayAnova(Array.from({ length: 4 }, () => Array.from(r.normalArray(3)))).p < 0.05) rejected++;
    assert.ok(Math.abs(rejected / R - 0.05) < 0.015, `${rejected}/${R} rejections at 5%`);
    assert.ok(oneWayAnova([0, 1, 2, 3].map((g) => Array.from(r.normalArray(3, 3 * g)))).p < 1e-4);
  });

  it("fits recover a known power law", () => {
    const x = [1, 2, 4, 8, 16],
      y = x.map((v) => 3 * v ** -1.5);
    close(logLogSlope(x, y).slope, -1.5, 1e-12);
    close(linearFit([0, 1, 2], [1, 3, 5]).intercept, 1, 1e-12);
  });
  it("the bootstrap is reproducible and covers the mean", () => {
    const x = rng(3).normalArray(200, 5, 1);
    const a = bootstrapCI(x, mean, rng(4)),
      b = bootstrapCI(x, mean, rng(4));
    assert.deepEqual(a, b);
    assert.ok(a[0] < 5 && 5 < a[1], `${a}`);
  });
});
