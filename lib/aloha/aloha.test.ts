import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  alohaScheme,
  alohaSweep,
  binomialPmf,
  bestStaticP,
  countAwareScheme,
  frameThroughput,
  headOfLineStationary,
  ONE_OVER_E,
  optimalFrameStaticP,
  optimalStaticP,
  rlraInit,
  saturatedBusy,
  simulateRlra,
  simulateScheme,
  simulateStaticAloha,
  staticAlohaThroughput,
  symmetrized,
  frozen,
  topShare,
} from "./index";

/** Standard error of a run's throughput from its learning-curve windows (batch means). */
const batchSe = (curve: Float32Array) => {
  const m = curve.reduce((a, b) => a + b, 0) / curve.length;
  return Math.sqrt(curve.reduce((a, b) => a + (b - m) ** 2, 0) / (curve.length - 1) / curve.length);
};

describe("aloha/meanfield", () => {
  it("the head-of-line chain is a distribution, and with μ = 0 its busy fraction is 1 − (1 − λ)^D", () => {
    const pi = headOfLineStationary(6, 0.3, 0.4);
    assert.ok(Math.abs(pi.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(1 - headOfLineStationary(6, 0.3, 0)[0] - saturatedBusy(6, 0.3)) < 1e-12);
  });
  it("one station alone is solved exactly: p = 1 delivers every packet (throughput λ); p < 1 matches the simulator", () => {
    assert.ok(Math.abs(staticAlohaThroughput({ N: 1, D: 5, lambda: 0.4 }, 1).throughput - 0.4) < 1e-12);
    const sys = { N: 1, D: 5, lambda: 0.4 },
      p = 0.3,
      run = simulateStaticAloha(sys, p, 200_000, rng(1), { window: 2000 });
    const exact = staticAlohaThroughput(sys, p).throughput;
    assert.ok(Math.abs(run.throughput - exact) < 4 * batchSe(run.curve), `sim ${run.throughput} exact ${exact}`);
  });
  it("optimalStaticP works for any N (the linear search underflowed to 0 from N = 2000) and tends to 1/e", () => {
    let prev = Infinity;
    for (const N of [100, 2000, 10_000, 1_000_000]) {
      const o = optimalStaticP({ N, D: 10, lambda: 0.5 });
      assert.ok(o.throughput > ONE_OVER_E && o.throughput < prev, `N=${N}: ${o.throughput}`);
      prev = o.throughput;
    }
    assert.ok(prev - ONE_OVER_E < 1e-5);
  });
  it("frame-synchronised traffic: hand-computed 1/2 for two stations, two slots, p = 1/2; optimum ≈ 0.3648 at N = D = 2000", () => {
    // slot 1 succeeds w.p. 1/2 (the survivor then delivers w.p. 1/2), otherwise slot 2 succeeds w.p. 1/2: (1/2 + 1/4 + 1/4)/2
    assert.ok(Math.abs(frameThroughput({ N: 2, D: 2, lambda: 1 }, 0.5) - 0.5) < 1e-12);
    assert.ok(Math.abs(binomialPmf(5, 0.3)[2] - 10 * 0.09 * 0.343) < 1e-12);
    const o = optimalFrameStaticP({ N: 2000, D: 2000, lambda: 1 });
    assert.ok(o.throughput > 0.364 && o.throughput < 0.3655, `${o.throughput}`);
  });
});

describe("aloha/simulate", () => {
  it("limiting cases: one saturated station delivers every slot; two stations with p = 1 always collide", () => {
    assert.equal(simulateStaticAloha({ N: 1, D: 3, lambda: 1 }, 1, 1000, rng(2)).throughput, 1);
    assert.equal(simulateStaticAloha({ N: 2, D: 3, lambda: 1 }, 1, 1000, rng(2)).throughput, 0);
    assert.equal(simulateScheme({ N: 2, D: 3, lambda: 1 }, alohaScheme(1), 1000, rng(2)).throughput, 0);
  });
  it("the lazy static simulator and the station-by-station simulator agree within sampling error; seeds reproduce", () => {
    const sys = { N: 40, D: 6, lambda: 0.05 },
      p = 0.08;
    const a = simulateStaticAloha(sys, p, 100_000, rng(3), { window: 1000 });
    const b = simulateScheme(sys, alohaScheme(p), 100_000, rng(4), { window: 1000 });
    const se = Math.hypot(batchSe(a.curve), batchSe(b.curve));
    assert.ok(Math.abs(a.throughput - b.throughput) < 4 * se, `${a.throughput} vs ${b.throughput} (se ${se})`);
    assert.deepEqual(simulateStaticAloha(sys, p, 500, rng(5)).curve, simulateStaticAloha(sys, p, 500, rng(5)).curve);
  });
  it("the mean-field theory matches the simulator for many stations (alohaSweep)", () => {
    const [pt] = alohaSweep({ D: 10, lambda: 0.5 }, [2000], [0, 1], rng(6), 100_000);
    const sim = (pt.simulated[0] + pt.simulated[1]) / 2;
    assert.ok(pt.se > 0 && Math.abs(sim - pt.meanField) < 4 * pt.se, `${sim} vs ${pt.meanField} (se ${pt.se})`);
  });
  it("count-aware ALOHA (p = 1/n) delivers every packet of a lone station", () => {
    assert.ok(
      Math.abs(simulateScheme({ N: 1, D: 4, lambda: 0.3 }, countAwareScheme(), 20_000, rng(7)).throughput - 0.3) < 0.02,
    );
  });
  it("bestStaticP finds the mean-field optimum's throughput where mean field is accurate", () => {
    const sys = { N: 300, D: 10, lambda: 0.5 },
      best = bestStaticP(sys, rng(9), 20_000),
      mf = optimalStaticP(sys);
    assert.ok(best.p > mf.p / 2 && best.p < mf.p * 2, `${best.p} vs ${mf.p}`);
  });
});

describe("aloha/rlra", () => {
  it("RLRA-DC learns to beat 1/e in dense traffic, with differentiated stations; frozen learning leaves θ alone", () => {
    const sys = { N: 20, D: 10, lambda: 0.5 },
      st = rlraInit(20);
    const run = simulateRlra(sys, st, 10_000, rng(10), { warmup: 5000 });
    assert.ok(run.throughput > ONE_OVER_E + 0.1, `${run.throughput}`);
    const f = frozen(st),
      before = f.theta.slice();
    simulateRlra(sys, f, 1000, rng(11));
    assert.deepEqual(f.theta, before);
    assert.ok(topShare(run.perStation, 0.1) > 0.5, "two stations carry most packets");
    const s = symmetrized(st);
    for (let i = 1; i < 20; i++) for (let c = 0; c < 4; c++) assert.equal(s.theta[i * 4 + c], s.theta[c]);
  });
  it("rejects a state learned for another N", () => {
    assert.throws(() => simulateRlra({ N: 5, D: 3, lambda: 0.5 }, rlraInit(4), 10, rng(1)), /4 stations/);
  });
});
