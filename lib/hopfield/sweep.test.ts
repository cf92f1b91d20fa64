import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import { markovSource, sampleSource } from "./corpus";
import { lossOptima, optimumExponents, sizeDataSweep, type SweepRow } from "./sweep";
import { evalLoss, toWindows } from "./transformer";

const row = (params: number, D: number, seed: number, test: number): SweepRow => ({
  dModel: 0,
  params,
  D,
  seed,
  train: 0,
  test,
  floor: 0,
});

describe("hopfield/sweep", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("the optimum of a loss quadratic in log N is found exactly; an optimum at the edge is censored", () => {
    const sizes = [100, 300, 1000, 3000, 10000];
    const rows = sizes
      .map((N) => row(N, 1000, 0, (Math.log(N) - Math.log(700)) ** 2))
      .concat(sizes.map((N) => row(N, 2000, 0, -Math.log(N))));
    const [a, b] = lossOptima(rows);
    assert.ok(a.interior && Math.abs(a.params - 700) < 1e-6, `${a.params}`);
    assert.ok(!b.interior && b.params === 10000);
  });

  it("exponents: N* = c·D^1.5 gives α = 1.5 per seed; censored optima are left out", () => {
    const opt = [1000, 2000, 4000].flatMap((D) =>
      [0, 1].map((seed) => ({ D, seed, params: 3 * D ** 1.5, interior: true })),
    );
    opt.push({ D: 8000, seed: 0, params: 1, interior: false });
    const ex = optimumExponents(opt);
    assert.deepEqual(
      ex.map((e) => e.points),
      [3, 3],
    );
    ex.forEach((e) => assert.ok(Math.abs(e.alpha - 1.5) < 1e-12));
  });

  it("a small sweep has one row per width, data size and seed, reproducible from its key", async () => {
    const src = markovSource({ vocab: 6, order: 1, branching: 2, rng: rng(91) }),
      test = toWindows(sampleSource(src, 400, rng(92)), 6);
    const opts = {
      dModels: [4, 8],
      dataSizes: [200, 400],
      seeds: [0, 1],
      T: 6,
      layers: 1,
      steps: 5,
      batch: 8,
      lr: 0.01,
    };
    let inspected = 0;
    const a = await sizeDataSweep(src, test, {
      ...opts,
      key: rng(93),
      inspect: (m, run, _w, initial) => {
        inspected++;
        assert.equal(m.cfg.dModel, run.dModel);
        assert.notEqual(evalLoss(m, test), evalLoss(initial, test));
      },
    });
    const b = await sizeDataSweep(src, test, { ...opts, key: rng(93) });
    assert.equal(a.length, 8);
    assert.equal(inspected, 8);
    assert.deepEqual(a, b);
    assert.ok(a.every((r) => r.floor >= 0 && r.train > 0 && r.test > 0));
    test.dispose();
  });
});
