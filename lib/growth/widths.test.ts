import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import { sineTask } from "./experiment";
import { rcSample } from "./grow";
import { initMeanField } from "./mlp";
import { trainWidthGrid, weightSummary, widthEffects } from "./widths";

describe("growth/widths", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("RC-sampled networks (one label measure by construction) show no width effect beyond chance", () => {
    const r = rng(72);
    const small = initMeanField([3, 12, 12, 2], r.derive("small"));
    let rejections = 0,
      tests = 0;
    for (let c = 0; c < 60; c++) {
      const runs = [24, 48, 96].flatMap((M) =>
        [0, 1, 2].map((s) => ({
          regime: "rc",
          width: M,
          seed: s,
          loss: 0,
          summary: weightSummary(rcSample(small, [M, M], r.derive(`${c}/${M}/${s}`))),
        })),
      );
      for (const e of widthEffects(runs)) {
        tests++;
        if (e.anova.p < 0.01) rejections++;
      }
    }
    assert.ok(rejections / tests < 0.03, `${rejections}/${tests} rejections at 1%`);
  });

  it("a width grid is reproducible from its key and has one run per width and seed", async () => {
    const task = sineTask(64, rng(73));
    const data = { X: task.X, Y: task.Y, n: task.n, dIn: 1, dOut: 1, kind: "mse" as const };
    const regime = { name: "mf", scaling: "mean-field" as const, middleSigma: 0 };
    const opts = { steps: 5, batch: 16, lr: 0.01, key: rng(74) };
    const a = await trainWidthGrid(data, regime, [4, 8], [0, 1], opts),
      b = await trainWidthGrid(data, regime, [4, 8], [0, 1], { ...opts, key: rng(74) });
    assert.deepEqual(
      a.map((x) => [x.width, x.seed]),
      [
        [4, 0],
        [4, 1],
        [8, 0],
        [8, 1],
      ],
    );
    assert.deepEqual(
      a.map((x) => x.summary),
      b.map((x) => x.summary),
    );
    assert.deepEqual(Object.keys(a[0].summary), [
      "L1 row",
      "L1 column",
      "L1 row–column",
      "L2 row",
      "L2 column",
      "L2 row–column",
    ]);
  });
});
