import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import {
  initRsnn,
  rsnnForward,
  trainRsnn,
  evalRsnn,
  disposeRsnn,
  networkWeights,
  rsnnVariables,
  type RsnnConfig,
} from "./rsnn";
import { lifGrid, cellsBySeed, runGrid, type CellResult } from "./ablation";
import { delayedXor, timeMajorBatch } from "./tasks";

const cfg: RsnnConfig = { nIn: 6, nHidden: 5, nOut: 3, readoutSteps: 2 };
const cells = lifGrid([1, 0.9], ["hard", "none"], [false, true]);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) =>
  Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `at ${i}: ${v} vs ${b[i]}`));

describe("recurrent SNN grids (M networks side by side)", () => {
  it("shapes; the cells of a seed start alike; only recurrent cells have V, with a zero diagonal", () => {
    const net = initRsnn(cfg, cells, [4, 5], rng(1));
    assert.equal(net.M, 16);
    const x = tf.ones([4 * 7, 6]) as tf.Tensor2D;
    const r = rsnnForward(net, [x, x], 4);
    assert.deepEqual(r.logits.shape, [16, 7, 3]);
    assert.deepEqual(r.spikes.shape, [16]);
    const w = (m: number) => networkWeights(net, m);
    assert.deepEqual(w(0).W.arraySync(), w(7).W.arraySync()); // seed 4: every cell the same input weights
    assert.deepEqual(w(0).Wo.arraySync(), w(5).Wo.arraySync());
    assert.notDeepEqual(w(0).W.arraySync(), w(8).W.arraySync()); // seed 5 differs
    cells.forEach((c, m) => {
      assert.equal(w(m).V !== undefined, c.recurrent);
      if (c.recurrent) (w(m).V!.arraySync() as number[][]).forEach((row, i) => assert.equal(row[i], 0));
    });
    assert.deepEqual(w(1).V!.arraySync(), w(3).V!.arraySync());
    assert.equal(rsnnVariables(net).length, 2 + 2 + 2 + 2);
    disposeRsnn(net);
  });

  it("each network of a grid computes and trains exactly as it would alone", async () => {
    const set = delayedXor({ n: 40, delay: 2, rng: rng(2), patternSteps: 2, responseSteps: 2, perGroup: 2 });
    const c10 = { nIn: set.c, nHidden: 8, nOut: 2, readoutSteps: 2 };
    const grid = initRsnn(c10, cells, [0, 1], rng(3));
    const m = 1 * cells.length + 3; // cell 3 = IF/none/rec, seed 1
    const alone = initRsnn(c10, [cells[3]], [1], rng(3));
    const x = tf.tensor2d(timeMajorBatch(set, [0, 1, 2, 3]), [set.T * 4, set.c]);
    close(
      rsnnForward(grid, [x, x], set.T).logits.slice([m, 0, 0], [1, 4, 2]).dataSync(),
      rsnnForward(alone, [x], set.T).logits.dataSync(),
      1e-6,
    );
    // per-network inputs (as attacks use them) give the same result as per-seed ones
    close(
      rsnnForward(
        grid,
        Array.from({ length: grid.M }, () => x),
        set.T,
      ).logits.dataSync(),
      rsnnForward(grid, [x, x], set.T).logits.dataSync(),
      1e-6,
    );
    await trainRsnn(grid, set, { epochs: 2, batch: 10, lr: 0.01, key: rng(4) });
    await trainRsnn(alone, set, { epochs: 2, batch: 10, lr: 0.01, key: rng(4) });
    const g = networkWeights(grid, m),
      a = networkWeights(alone, 0);
    for (const k of ["W", "b", "V", "Wo", "bo"] as const) close(g[k]!.dataSync(), a[k]!.dataSync(), 1e-5);
    // the masked (off-diagonal) blocks of V and W_o got no gradient and are still zero
    const V = grid.V[0].arraySync() as number[][];
    assert.ok(V.every((row, i) => row.every((v, j) => Math.floor(i / 8) === Math.floor(j / 8) || v === 0)));
    disposeRsnn(grid);
    disposeRsnn(alone);
  });

  it("membrane noise changes the result, and the same noise seed gives the same result", () => {
    const net = initRsnn({ nIn: 4, nHidden: 8, nOut: 2 }, [cells[0]], [0], rng(2));
    const x = [tf.ones([6 * 3, 4]) as tf.Tensor2D];
    const a = rsnnForward(net, x, 6).logits.dataSync(),
      b = rsnnForward(net, x, 6, { membraneNoise: 0.5, seed: 9 }).logits.dataSync();
    const c = rsnnForward(net, x, 6, { membraneNoise: 0.5, seed: 9 }).logits.dataSync();
    assert.notDeepEqual(a, b);
    assert.deepEqual(b, c);
    disposeRsnn(net);
  });

  it("an integrate-and-fire network learns the delayed XOR with a short delay (well above chance)", async function () {
    this.timeout(60000);
    const r = rng(3);
    const train = delayedXor({ n: 256, delay: 3, rng: r.derive("train") }),
      test = delayedXor({ n: 200, delay: 3, rng: r.derive("test") });
    const net = initRsnn({ nIn: train.c, nHidden: 32, nOut: 2, readoutSteps: train.responseSteps }, [cells[0]], [0], r);
    const loss = await trainRsnn(net, train, { epochs: 6, batch: 32, lr: 0.01, key: r });
    assert.ok(loss[loss.length - 1][0] < loss[0][0], loss.join(" "));
    assert.ok(evalRsnn(net, test).acc[0] > 0.8);
    disposeRsnn(net);
  });

  it("lifGrid names its cells; cellsBySeed averages a filter per seed; runGrid returns one row per cell and seed", async () => {
    const g = lifGrid([1, 0.9], ["hard", "none"], [false, true]);
    assert.equal(g.length, 8);
    assert.deepEqual(g.map((v) => v.name).slice(0, 3), ["IF/hard/ff", "IF/hard/rec", "IF/none/ff"]);
    assert.equal(g[7].name, "LIF0.9/none/rec");
    const rows = [0, 1].flatMap((seed) =>
      g.map((v, i) => ({ ...v, seed, testAcc: i + 10 * seed }) as unknown as CellResult),
    );
    assert.deepEqual(
      cellsBySeed(
        rows,
        [0, 1],
        (r) => r.reset === "none",
        (r) => r.testAcc,
      ),
      [(2 + 3 + 6 + 7) / 4, 10 + (2 + 3 + 6 + 7) / 4],
    );
    assert.throws(
      () =>
        cellsBySeed(
          rows,
          [0, 1],
          () => false,
          (r) => r.testAcc,
        ),
      /no cell of seed 0/,
    );
    const set = delayedXor({ n: 20, delay: 1, rng: rng(5), patternSteps: 1, responseSteps: 1, perGroup: 1 });
    const { rows: out } = await runGrid(
      g.slice(0, 2),
      [7, 8, 9],
      { train: set, test: set, hidden: 4, epochs: 1, batch: 10, lr: 0.01, probes: { same: set } },
      rng(6),
    );
    assert.deepEqual(
      out.map((r) => `${r.name}@${r.seed}`),
      ["IF/hard/ff@7", "IF/hard/rec@7", "IF/hard/ff@8", "IF/hard/rec@8", "IF/hard/ff@9", "IF/hard/rec@9"],
    );
    out.forEach((r) => {
      assert.equal(r.probes.same, r.testAcc);
      assert.equal(r.probeRates.same, r.rate);
    });
  });
});
