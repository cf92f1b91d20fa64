import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import { compareContinuation, sineTask, stepsToReach } from "./experiment";
import { initMeanField, train } from "./mlp";

describe("growth/experiment", () => {
  before(async () => { await initBackend({ quiet: true }); });

  it("stepsToReach returns the first step at or below the target, Infinity if none", () => {
    assert.equal(stepsToReach([0, 10, 20], [3, 2, 1], 2), 10);
    assert.equal(stepsToReach([0, 10], [3, 2], 1), Infinity);
  });

  it("after growth, duplication is at the small model's loss at step 0 while scratch starts far above it", async () => {
    const r = rng(61), task = sineTask(128, r.split());
    const small = (await train(initMeanField([1, 6, 6, 1], r.split()), task.X, task.Y, task.n, { kind: "mse", steps: 300, batch: 64, lr: 0.02, rng: r.split() })).net;
    const { target, runs } = await compareContinuation(small, { ...task, kind: "mse" }, 24, { transferSteps: 20, scratchSteps: 20, lr: 0.01, batch: 64, noise: 0.1, rng: r.split() });
    assert.equal(runs[0].reach, 0);
    assert.ok(Math.abs(runs[0].losses[0] - target / 1.02) < 1e-5 * (1 + target));
    assert.ok(runs[2].losses[0] > 3 * target);
    assert.deepEqual(runs[0].steps, [0]); // stopped at once: it was already there
  });
});
