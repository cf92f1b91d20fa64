import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { initBackend } from "../tensor";
import {
  attentionTrials,
  bandTrials,
  bandViolation,
  descentTrials,
  largestRise,
  randomMemory,
  readoutTrials,
  worstOver,
} from "./trials";

describe("hopfield/trials", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("the harness takes the worst case and gives the same cases on every run", () => {
    const draw = (r: ReturnType<typeof rng>) => r.uniform();
    assert.equal(
      worstOver(rng(1), 50, draw, (u) => u),
      worstOver(rng(1), 50, draw, (u) => u),
    );
    assert.equal(
      worstOver(
        rng(1),
        3,
        (_, i) => i,
        (i) => 10 - i,
      ),
      10,
    );
    assert.equal(largestRise([3, 2, 2, 1]), 0);
    assert.ok(Math.abs(largestRise([1, 2]) - 0.5) < 1e-15);
  });

  it("random memories respect their ranges", () => {
    for (let i = 0; i < 50; i++) {
      const m = randomMemory(rng(i), { n: [2, 5], d: [3, 3], beta: [0.5, 1], patternScale: [1, 1], queryScale: 2 });
      assert.ok(
        m.P.length >= 2
          && m.P.length <= 5
          && m.P.every((p) => p.length === 3)
          && m.x.length === 3
          && m.beta >= 0.5
          && m.beta < 1,
      );
    }
    assert.ok(
      bandViolation({
        P: [
          [0, 0],
          [1, 0],
        ],
        x: [0.3, 0.2],
        beta: 2,
      }) <= 0,
    );
  });

  it("the four identity checks hold to rounding on small runs", () => {
    const d = descentTrials(rng(2), 30, 8);
    assert.ok(d.worstRise <= 1e-12, `rise ${d.worstRise}`);
    assert.equal(d.examples.length, 6);
    const b = bandTrials(rng(3), 100, 20);
    assert.ok(b.worst <= 1e-12 && b.scatter.E.length === 20);
    const a = attentionTrials(rng(4), 20);
    assert.ok(a.float64 < 1e-12 && a.distance < 1e-12 && a.float32 < 1e-5, JSON.stringify(a));
    assert.ok(readoutTrials(rng(5), 50) < 1e-9);
  });
});
