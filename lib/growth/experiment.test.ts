import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import { compareContinuation, CONTINUATION_METHODS, sineTask, speedup, stepsToReach } from "./experiment";
import { initMeanField, train } from "./mlp";

describe("growth/experiment", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("stepsToReach returns the first step at or below the target, Infinity if none", () => {
    assert.equal(stepsToReach([0, 10, 20], [3, 2, 1], 2), 10);
    assert.equal(stepsToReach([0, 10], [3, 2], 1), Infinity);
  });

  it("speedup divides reach steps, counting a censored run as budget + one evaluation", () => {
    const run = (reach: number) => ({ name: "", steps: [], losses: [], reach });
    assert.equal(speedup(run(20), run(100), 600), 5);
    assert.equal(speedup(run(0), run(100), 600), 10); // reached at once: one evaluation interval
    assert.equal(speedup(run(Infinity), run(Infinity), 600), 1);
    assert.equal(speedup(run(50), run(Infinity), 600), 610 / 50);
  });

  it("after growth, duplication is at the small model's loss at step 0 while both scratch starts are far above it", async () => {
    const key = rng(61),
      task = sineTask(128, key.derive("task"));
    const small = (
      await train(initMeanField([1, 6, 6, 1], key.derive("small")), task.X, task.Y, task.n, {
        kind: "mse",
        steps: 300,
        batch: 64,
        lr: 0.02,
        rng: key.derive("batches"),
      })
    ).net;
    const { target, runs } = await compareContinuation(small, { ...task, kind: "mse" }, 24, {
      budget: 20,
      lr: 0.01,
      batch: 64,
      noise: 0.1,
      key: key.derive("grow"),
    });
    assert.deepEqual(
      runs.map((r) => r.name),
      [...CONTINUATION_METHODS],
    );
    assert.equal(runs[0].reach, 0);
    assert.ok(Math.abs(runs[0].losses[0] - target / 1.02) < 1e-5 * (1 + target));
    assert.ok(runs[2].losses[0] > 3 * target && runs[3].losses[0] > 3 * target);
    assert.deepEqual(runs[0].steps, [0]); // stopped at once: it was already there
  });
});
