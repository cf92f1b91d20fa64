import { strict as assert } from "node:assert";
import { initBackend, tf } from "../tensor";
import { rng } from "../rng";
import { trainLoop, trainLoopAsync, minibatches, gatherRows, gatherLabels, tensorMeter, probe } from "./index";

describe("lib/train", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("minibatches cover the permutation once, with or without the short last batch", () => {
    const perm = Int32Array.from([4, 2, 0, 1, 3, 6, 5]);
    assert.deepEqual(
      minibatches(perm, 3).map((b) => Array.from(b)),
      [[4, 2, 0], [1, 3, 6], [5]],
    );
    assert.deepEqual(
      minibatches(perm, 3, true).map((b) => Array.from(b)),
      [
        [4, 2, 0],
        [1, 3, 6],
      ],
    );
  });

  it("trainLoop visits every row once per epoch, records the mean loss, and is reproducible from its seed", () => {
    const run = (seed: number) => {
      const seen: number[][] = [];
      const hist = trainLoop({
        epochs: 2,
        batchSize: 4,
        n: 10,
        rng: rng(seed),
        step: (idx, epoch) => {
          seen.push(Array.from(idx));
          return epoch * idx.length;
        },
        onEpoch: (e) => ({ twice: 2 * e }),
      });
      return { seen, hist };
    };
    const a = run(7),
      b = run(7);
    assert.deepEqual(a.seen, b.seen);
    assert.equal(a.seen.length, 6);
    assert.deepEqual(
      a.seen
        .slice(0, 3)
        .flat()
        .sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      a.hist.map((h) => [h.epoch, h.loss, h.twice]),
      [
        [1, 10 / 3, 2],
        [2, 20 / 3, 4],
      ],
    );
    assert.throws(() => trainLoop({ epochs: 1, batchSize: 2, n: 2, rng: rng(1), step: () => NaN }), /loss became NaN/);
  });

  it("trainLoopAsync gives the same curve as trainLoop and lets the event loop run", async () => {
    const opts = (seed: number) => ({
      epochs: 3,
      batchSize: 3,
      n: 10,
      rng: rng(seed),
      step: (idx: Int32Array) => idx.reduce((s, v) => s + v, 0),
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const slow = (idx: Int32Array) => {
      const t = performance.now();
      while (performance.now() - t < 3);
      return idx.length;
    };
    await trainLoopAsync({ ...opts(1), step: slow, yieldMs: 5 });
    clearInterval(timer);
    assert.ok(ticks > 0, "the event loop never ran during training");
    const strip = (h: { epoch: number; loss: number }[]) => h.map(({ epoch, loss }) => [epoch, loss]);
    assert.deepEqual(strip(await trainLoopAsync(opts(4))), strip(trainLoop(opts(4))));
  });

  it("gatherRows and gatherLabels pick rows by index", () => {
    const x = Float32Array.from([0, 1, 10, 11, 20, 21]);
    assert.deepEqual(Array.from(gatherRows(x, 2, [2, 0])), [20, 21, 0, 1]);
    assert.deepEqual(Array.from(gatherLabels(Int32Array.from([5, 6, 7]), [1, 1, 2])), [6, 6, 7]);
  });

  it("probe is an identity whose backward pass samples the meter", () => {
    const m = tensorMeter();
    const W = tf.variable(tf.ones([100, 100]));
    m.begin();
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(probe(W, m))), [W]);
    // the gradient 2W is alive when the probe's backward runs: at least one 100×100 float buffer above rest
    assert.ok(m.peakStepBytes >= 100 * 100 * 4, `step peak ${m.peakStepBytes}`);
    assert.deepEqual(Array.from(grads[W.name].dataSync().slice(0, 3)), [2, 2, 2]);
    tf.dispose([value, grads[W.name], W]);
  });
});
