import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  binomialPmf, countAwareThroughput, ONE_OVER_E, optimalSlotSchedule, optimalStaticP, rlraInit, rlraSlotProbabilities,
  simulateAloha, simulateRlra, throughputExact,
} from "./index";

describe("aloha/model", () => {
  it("binomial pmf sums to one and matches C(n,k) p^k (1-p)^(n-k)", () => {
    const pmf = binomialPmf(5, 0.3);
    assert.ok(Math.abs(pmf.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(pmf[2] - 10 * 0.09 * 0.343) < 1e-12);
  });
  it("one slot, N saturated stations: the optimum is p = 1/N with throughput (1 − 1/N)^(N−1)", () => {
    for (const N of [2, 5, 20]) {
      const { p, throughput } = optimalStaticP({ N, D: 1, lambda: 1 });
      assert.ok(Math.abs(p - 1 / N) < 1e-5, `N=${N}: p=${p}`);
      assert.ok(Math.abs(throughput - Math.pow(1 - 1 / N, N - 1)) < 1e-9);
    }
  });
  it("two stations, two slots, p = 1/2: hand-computed timely throughput 5/8", () => {
    // slot 1 succeeds w.p. 1/2 (then the survivor delivers w.p. 1/2); otherwise slot 2 again w.p. 1/2
    assert.ok(Math.abs(throughputExact({ N: 2, D: 2, lambda: 1 }, () => 0.5) - (0.5 + 0.5 * 0.5 + 0.5 * 0.5) / 2) < 1e-12);
  });
  it("more knowledge never hurts: static ≤ slot schedule ≤ count-aware (+ tolerance), all near 1/e for large N", () => {
    for (const N of [10, 40]) {
      const sys = { N, D: N, lambda: 1 };
      const a = optimalStaticP(sys).throughput, b = optimalSlotSchedule(sys).throughput, c = countAwareThroughput(sys);
      assert.ok(a <= b + 1e-9 && b <= c + 2e-3, `${a} ${b} ${c}`);
    }
    const big = optimalStaticP({ N: 400, D: 400, lambda: 1 }).throughput;
    assert.ok(Math.abs(big - ONE_OVER_E) < 0.005, `${big}`);
  });
});

describe("aloha/simulate", () => {
  it("the seeded simulator reproduces the exact throughput of fixed-p ALOHA within sampling error", () => {
    const sys = { N: 30, D: 20, lambda: 0.7 }, p = 0.05, frames = 4000;
    const run = simulateAloha(sys, () => p, frames, rng(11));
    const mean = run.throughput, exact = throughputExact(sys, () => p);
    let v = 0; run.perFrame.forEach((x) => { v += (x - mean) ** 2; });
    const se = Math.sqrt(v / (frames - 1) / frames);
    assert.ok(Math.abs(mean - exact) < 4 * se, `sim ${mean} vs exact ${exact} (se ${se})`);
    assert.deepEqual(simulateAloha(sys, () => p, 50, rng(3)).perFrame, simulateAloha(sys, () => p, 50, rng(3)).perFrame);
  });
  it("RLRA-DC learns a collision-free reservation for 10 stations and differentiates their slots", () => {
    const sys = { N: 10, D: 10, lambda: 1 }, st = rlraInit(sys);
    const run = simulateRlra(sys, st, 400, rng(5));
    const tail = run.perFrame.slice(-50).reduce((a, b) => a + b, 0) / 50;
    assert.ok(tail > 0.95, `tail throughput ${tail}`);
    const favourite = Array.from({ length: 10 }, (_, i) => { const p = rlraSlotProbabilities(st, i); return p.indexOf(Math.max(...p)); });
    assert.equal(new Set(favourite).size, 10, `favourite slots ${favourite}`);
  });
});
