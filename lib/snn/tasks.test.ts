import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { delayedXor, timeMajorBatch, perturbInput, loadSequentialMnist, streamOf, type SeqSet } from "./tasks";

describe("temporal tasks", () => {
  it("delayed XOR: T = 2L + D + R, labels balanced, populations fire only in their windows", () => {
    const D = 7,
      set = delayedXor({ n: 400, delay: D, rng: rng(1), rateNoise: 0, rateOn: 1 });
    assert.equal(set.T, 2 * 5 + D + 5);
    assert.equal(set.c, 50);
    const ones = set.y.reduce((a, v) => a + v, 0);
    assert.ok(ones > 150 && ones < 250, `labels ${ones}/400`);
    // with rateOn = 1 and no noise, the bits can be read back and must XOR to the label
    const at = (s: number, t: number, i: number) => set.x[(s * set.T + t) * set.c + i];
    for (let s = 0; s < set.n; s++) {
      const a = at(s, 0, 10) === 1 ? 1 : 0,
        b = at(s, 5 + D, 10) === 1 ? 1 : 0; // neuron 10 = first of population "bit 1"
      assert.equal(at(s, 0, 0) + at(s, 0, 10), 1);
      assert.equal(a ^ b, set.y[s]);
      for (let t = 5; t < 5 + D; t++) for (let i = 0; i < 50; i++) assert.equal(at(s, t, i), 0); // silent delay
      assert.equal(at(s, set.T - 1, 20), 1); // cue population at the end
      assert.equal(at(s, set.T - 1, 0) + at(s, set.T - 1, 30), 0);
    }
  });

  it("delayed XOR: background noise fires at its rate during the delay", () => {
    const set = delayedXor({ n: 200, delay: 20, rng: rng(2), rateNoise: 0.1 });
    let c = 0,
      k = 0;
    for (let s = 0; s < set.n; s++)
      for (let t = 5; t < 25; t++)
        for (let i = 0; i < set.c; i++) {
          c += set.x[(s * set.T + t) * set.c + i];
          k++;
        }
    const se = Math.sqrt(0.09 / k);
    assert.ok(Math.abs(c / k - 0.1) < 4 * se, `rate ${c / k}`);
  });

  it("timeMajorBatch gathers [T, B, c] from sample-major rows", () => {
    // two samples, T = 2, c = 3: sample s, step t, channel i holds 100s + 10t + i
    const x = new Float32Array(12);
    for (let s = 0; s < 2; s++)
      for (let t = 0; t < 2; t++) for (let i = 0; i < 3; i++) x[(s * 2 + t) * 3 + i] = 100 * s + 10 * t + i;
    const set: SeqSet = { x, y: new Int32Array(2), n: 2, T: 2, c: 3, classes: 2 };
    assert.deepEqual(Array.from(timeMajorBatch(set, [1, 0])), [100, 101, 102, 0, 1, 2, 110, 111, 112, 10, 11, 12]);
  });

  it("perturbInput flips about p of the entries, adds clipped Gaussian or random-sign noise, and leaves the original alone", () => {
    const set: SeqSet = { x: new Float32Array(20000), y: new Int32Array(1), n: 1, T: 200, c: 100, classes: 2 };
    const noisy = perturbInput(set, { flip: 0.05 }, rng(3));
    const flipped = noisy.x.reduce((a, v) => a + v, 0) / 20000;
    assert.ok(Math.abs(flipped - 0.05) < 4 * Math.sqrt((0.05 * 0.95) / 20000), String(flipped));
    assert.equal(
      set.x.reduce((a, v) => a + v, 0),
      0,
    );
    const g = perturbInput({ ...set, x: new Float32Array(20000).fill(0.5) }, { gaussian: 0.1 }, rng(4));
    assert.ok(g.x.every((v) => v >= 0 && v <= 1) && Math.abs(g.x.reduce((a, v) => a + v, 0) / 20000 - 0.5) < 0.01);
    const s = perturbInput({ ...set, x: new Float32Array(20000).fill(0.5) }, { sign: 0.1 }, rng(5));
    assert.ok(s.x.every((v) => Math.abs(Math.abs(v - 0.5) - 0.1) < 1e-6));
    const up = s.x.filter((v) => v > 0.5).length / 20000;
    assert.ok(Math.abs(up - 0.5) < 4 * Math.sqrt(0.25 / 20000), String(up));
    assert.ok(perturbInput(set, { sign: 0.1 }, rng(6)).x.every((v) => v === 0 || Math.abs(v - 0.1) < 1e-6)); // clipped at 0
  });

  it("sequential MNIST: T = 28 rows of c = 28 pixels, the image's rows in order", () => {
    const { train } = loadSequentialMnist({ rng: rng(5), trainPerClass: 2, testPerClass: 1 });
    assert.equal(train.T, 28);
    assert.equal(train.c, 28);
    assert.equal(train.n, 20);
    assert.equal(train.classes, 10);
    assert.equal(train.x.length, 20 * 784);
  });
  it("streamOf plays trials back to back: the last trial is the sample itself and decides the label", () => {
    const set: SeqSet = {
      x: Float32Array.from({ length: 3 * 2 * 1 }, (_, i) => i),
      y: Int32Array.from([5, 6, 7]),
      n: 3,
      T: 2,
      c: 1,
      classes: 8,
    };
    const st = streamOf(set, 3, rng(1));
    assert.equal(st.T, 6);
    assert.deepEqual(Array.from(st.y), [5, 6, 7]);
    for (let s = 0; s < 3; s++) {
      const seq = Array.from(st.x.subarray(s * 6, (s + 1) * 6));
      assert.deepEqual(seq.slice(4), [2 * s, 2 * s + 1]);
      for (let k = 0; k < 3; k++) assert.equal(seq[2 * k] % 2, 0); // every trial starts at one of the set's sequences
    }
    assert.throws(() => streamOf(set, 0, rng(1)), /positive integer/);
  });
});
