/**
 * Small-sample statistics for the workbook's claims: summaries with their spread, confidence intervals, paired
 * and two-sample tests, McNemar's test, the two-sample Kolmogorov–Smirnov test, binomial tails and log–log fits.
 * Every function is pure; the one that resamples takes an explicit `Rng`.
 */
import type { Rng } from "../rng";

type Sample = ArrayLike<number>;
const arr = (x: Sample): number[] => Array.from(x);

/** Arithmetic mean (NaN for an empty sample). */
export function mean(x: Sample): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return n ? s / n : NaN;
}

/**
 * Sample variance with Bessel's correction, s² = Σ(xᵢ − x̄)² / (n − 1) (NaN for n < 2). A constant sample has
 * variance 0 exactly: its rounded mean x̄ may differ from the xᵢ in the last bit (three seeds at 0.998 gave
 * s = 1.4e-16, printed in a claims table as if it were a spread).
 */
export function variance(x: Sample): number {
  const n = x.length,
    m = mean(x);
  if (n < 2) return NaN;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = x[i] === x[0];
  if (constant) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) ** 2;
  return s / (n - 1);
}

/** Sample standard deviation s = √s². */
export function sd(x: Sample): number {
  return Math.sqrt(variance(x));
}

/** Quantile by linear interpolation between order statistics (R's type 7, NumPy's default). */
export function quantile(x: Sample, q: number): number {
  const s = arr(x).sort((a, b) => a - b),
    n = s.length;
  if (!n) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q)),
    lo = Math.floor(h);
  return lo + 1 < n ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** Median = quantile(x, 0.5). */
export function median(x: Sample): number {
  return quantile(x, 0.5);
}

// ---- special functions -------------------------------------------------------------------------------------

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9; Numerical Recipes §6.1), for x > 0. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1,
    c = 1,
    d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    const num =
      i === 0
        ? 1
        : i % 2 === 0
          ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
          : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return (front * (f - 1)) / a;
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function, relative error < 1.2e-7 everywhere (Numerical Recipes §6.2, erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x),
    t = 1 / (1 + 0.5 * z);
  const r =
    t
    * Math.exp(
      -z * z
        - 1.26551223
        + t
          * (1.00002368
            + t
              * (0.37409196
                + t
                  * (0.09678418
                    + t
                      * (-0.18628806
                        + t
                          * (0.27886807
                            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Student's t CDF with ν degrees of freedom: F(t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, nu: number): number {
  const p = 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t >= 0 ? 1 - p : p;
}

/** The t quantile t_{ν, q}, by bisection on the CDF. */
export function studentTQuantile(q: number, nu: number): number {
  if (q <= 0) return -Infinity;
  if (q >= 1) return Infinity;
  let lo = -1e3,
    hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, nu) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---- summaries ---------------------------------------------------------------------------------------------

/** A sample summarised: n, mean, sd and the two-sided 95% t interval of the mean. */
export interface Summary {
  n: number;
  mean: number;
  sd: number;
  ci95: [number, number];
}

/** Mean, sd and the t-based 95% confidence interval x̄ ± t_{n−1, 0.975} s/√n (Student 1908). */
export function summarize(x: Sample, level = 0.95): Summary {
  const n = x.length,
    m = mean(x),
    s = sd(x);
  const h = n >= 2 ? (studentTQuantile(0.5 + level / 2, n - 1) * s) / Math.sqrt(n) : NaN;
  return { n, mean: m, sd: s, ci95: [m - h, m + h] };
}

/** "0.912 ± 0.004 (sd, n = 3)": the spread string a claim records. `f` formats the numbers. */
export function spreadText(x: Sample, f: (v: number) => string = (v) => v.toFixed(3)): string {
  const s = summarize(x);
  return s.n < 2 ? `n = ${s.n}` : `${f(s.mean)} ± ${f(s.sd)} (sd, n = ${s.n}; 95% CI ${f(s.ci95[0])}…${f(s.ci95[1])})`;
}

/** Percentile bootstrap interval of `stat` over resamples of x (Efron 1979); `rng` makes it reproducible. */
export function bootstrapCI(
  x: Sample,
  stat: (s: number[]) => number,
  rng: Rng,
  opts: { resamples?: number; level?: number } = {},
): [number, number] {
  const xs = arr(x),
    n = xs.length,
    B = opts.resamples ?? 2000,
    level = opts.level ?? 0.95;
  const stats = new Float64Array(B),
    buf = new Array<number>(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) buf[i] = xs[rng.int(n)];
    stats[b] = stat(buf);
  }
  return [quantile(stats, (1 - level) / 2), quantile(stats, (1 + level) / 2)];
}

// ---- tests -------------------------------------------------------------------------------------------------

/** A test's outcome: the statistic, its two-sided p-value, and (where defined) the degrees of freedom. */
export interface TestResult {
  statistic: number;
  p: number;
  df?: number;
}

/**
 * Paired t-test on differences dᵢ = aᵢ − bᵢ: t = d̄ / (s_d/√n), ν = n − 1, two-sided p (Student 1908). Returns the
 * mean difference and its 95% interval too, which is what a claim should report beside the p-value.
 */
export function pairedT(a: Sample, b: Sample): TestResult & { meanDiff: number; ci95: [number, number] } {
  if (a.length !== b.length) throw new Error(`pairedT: samples of different lengths (${a.length}, ${b.length})`);
  const d = arr(a).map((x, i) => x - b[i]),
    s = summarize(d);
  const t = s.mean / (s.sd / Math.sqrt(s.n));
  const p = s.sd === 0 ? (s.mean === 0 ? 1 : 0) : 2 * (1 - studentTCdf(Math.abs(t), s.n - 1));
  return { statistic: t, p, df: s.n - 1, meanDiff: s.mean, ci95: s.ci95 };
}

/**
 * Equivalence of two paired samples by two one-sided tests (TOST; Schuirmann 1987, J. Pharmacokin. Biopharm.
 * 15:657): a and b are on par within ±δ at level α when the (1 − 2α) t-interval of the mean difference a − b lies
 * inside (−δ, δ). Returns the mean difference, that interval, and its farthest end from zero, `bound`: parity
 * holds iff bound < δ, so `bound` is the statistic a claim tests.
 */
export function pairedEquivalence(
  a: Sample,
  b: Sample,
  alpha = 0.05,
): { meanDiff: number; sdDiff: number; ci: [number, number]; bound: number; n: number } {
  if (a.length !== b.length || a.length < 2)
    throw new Error(`pairedEquivalence: need two paired samples of equal length ≥ 2 (got ${a.length}, ${b.length})`);
  const s = summarize(
    arr(a).map((x, i) => x - b[i]),
    1 - 2 * alpha,
  );
  return {
    meanDiff: s.mean,
    sdDiff: s.sd,
    ci: s.ci95,
    bound: Math.max(Math.abs(s.ci95[0]), Math.abs(s.ci95[1])),
    n: s.n,
  };
}

/** Welch's two-sample t-test (unequal variances), with the Welch–Satterthwaite degrees of freedom (Welch 1947). */
export function welchT(a: Sample, b: Sample): TestResult & { meanDiff: number } {
  const na = a.length,
    nb = b.length,
    va = variance(a) / na,
    vb = variance(b) / nb;
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
  return { statistic: t, p: 2 * (1 - studentTCdf(Math.abs(t), df)), df, meanDiff: mean(a) - mean(b) };
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let s = 0,
    logC = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logC += Math.log((n - j + 1) / j);
    if (j >= k) s += Math.exp(logC + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return Math.min(1, s);
}

/** Two-sided exact binomial test of k successes in n against p: twice the smaller tail, capped at 1. */
export function binomialTest(k: number, n: number, p = 0.5): TestResult {
  const upper = binomialUpperTail(k, n, p),
    lower = 1 - binomialUpperTail(k + 1, n, p);
  return { statistic: k, p: Math.min(1, 2 * Math.min(upper, lower)) };
}

/**
 * McNemar's test for two classifiers on the same examples (McNemar 1947): b = examples only A gets right,
 * c = only B. z = (b − c)/√(b + c); p is the exact two-sided binomial test of b against Binomial(b + c, ½).
 */
export function mcnemar(
  correctA: ArrayLike<boolean | number>,
  correctB: ArrayLike<boolean | number>,
): TestResult & { onlyA: number; onlyB: number } {
  if (correctA.length !== correctB.length)
    throw new Error(`mcnemar: ${correctA.length} vs ${correctB.length} examples`);
  let b = 0,
    c = 0;
  for (let i = 0; i < correctA.length; i++) {
    const x = !!correctA[i],
      y = !!correctB[i];
    if (x && !y) b++;
    else if (y && !x) c++;
  }
  return { statistic: b + c ? (b - c) / Math.sqrt(b + c) : 0, p: binomialTest(b, b + c).p, onlyA: b, onlyB: c };
}

/** Kolmogorov distribution tail Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²) (Kolmogorov 1933). */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    s += t;
    if (Math.abs(t) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, s));
}

/**
 * Two-sample KS test: D = sup_x |F_a(x) − F_b(x)|, p ≈ Q((√n_e + 0.12 + 0.11/√n_e) D) with n_e = n m /(n + m)
 * (Stephens 1970 correction, as in Numerical Recipes §14.3).
 */
export function ks2(a: Sample, b: Sample): { D: number; p: number } {
  const x = Float64Array.from(arr(a)).sort(),
    y = Float64Array.from(arr(b)).sort();
  const n = x.length,
    m = y.length;
  let i = 0,
    j = 0,
    D = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
    D = Math.max(D, Math.abs(i / n - j / m));
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return { D, p: kolmogorovQ((ne + 0.12 + 0.11 / ne) * D) };
}

/** Ordinary least squares y = c + k x: slope, intercept, the slope's standard error and R². */
export function linearFit(x: Sample, y: Sample): { slope: number; intercept: number; se: number; r2: number } {
  const n = x.length,
    mx = mean(x),
    my = mean(y);
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  const slope = sxy / sxx,
    intercept = my - slope * mx;
  const rss = Math.max(0, syy - slope * sxy);
  return { slope, intercept, se: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN, r2: syy > 0 ? 1 - rss / syy : 1 };
}

/** Least-squares fit log y = c + k log x (a power law y ∝ x^k): the exponent k, its standard error and R². */
export function logLogSlope(x: Sample, y: Sample): { slope: number; intercept: number; se: number; r2: number } {
  return linearFit(arr(x).map(Math.log), arr(y).map(Math.log));
}

/** Pearson's correlation r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) (NaN if either sample is constant). */
export function pearson(x: Sample, y: Sample): number {
  if (x.length !== y.length) throw new Error(`pearson: samples of different lengths (${x.length}, ${y.length})`);
  const mx = mean(x),
    my = mean(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks 1…n with ties given their average rank. */
function ranks(x: Sample): number[] {
  const order = arr(x)
      .map((v, i) => [v, i] as const)
      .sort((a, b) => a[0] - b[0]),
    r = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation ρ: Pearson's r of the ranks, ties averaged (Spearman 1904). */
export function spearman(x: Sample, y: Sample): number {
  return pearson(ranks(x), ranks(y));
}

/** One-way ANOVA result: F = (between-group mean square)/(within-group mean square), its p-value and dfs. */
export interface Anova {
  F: number;
  p: number;
  df1: number;
  df2: number;
}

/**
 * One-way analysis of variance (Fisher 1925): F = [Σ_g n_g (ȳ_g − ȳ)² / (k − 1)] / [Σ_g Σ_i (y_gi − ȳ_g)² / (n − k)],
 * p = P(F_{k−1, n−k} ≥ F) = I_{d₂/(d₂ + d₁F)}(d₂/2, d₁/2).
 */
export function oneWayAnova(groups: readonly (readonly number[])[]): Anova {
  const k = groups.length,
    n = groups.reduce((s, g) => s + g.length, 0);
  if (k < 2 || n <= k)
    throw new Error(`oneWayAnova: need ≥ 2 groups and more values than groups (got ${k} groups, ${n} values)`);
  const grand = mean(groups.flat());
  let ssb = 0,
    ssw = 0;
  for (const g of groups) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    for (const y of g) ssw += (y - m) ** 2;
  }
  const df1 = k - 1,
    df2 = n - k,
    F = ssb / df1 / (ssw / df2);
  const p = ssw === 0 ? (ssb === 0 ? 1 : 0) : incompleteBeta(df2 / (df2 + df1 * F), df2 / 2, df1 / 2);
  return { F, p, df1, df2 };
}
