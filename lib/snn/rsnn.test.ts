import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { initRsnn, rsnnForward, trainRsnn, evalRsnn, rsnnVariables, type RsnnConfig } from "./rsnn";
import { lifGrid, meanOver, type VariantResult } from "./ablation";
import { delayedXor } from "./tasks";

describe("recurrent SNN classifier", () => {
  it("forward shapes; the recurrent variant owns V with a zero diagonal", () => {
    const cfg: RsnnConfig = { nIn: 6, nHidden: 5, nOut: 3, kTau: 0.9, reset: "soft", recurrent: true, readoutSteps: 2 };
    const p = initRsnn(cfg, rng(1));
    const r = rsnnForward(cfg, p, tf.ones([4, 7, 6]) as tf.Tensor3D);
    assert.deepEqual(r.logits.shape, [7, 3]);
    assert.deepEqual(r.spikes.shape, [4, 7, 5]);
    const v = p.V!.arraySync() as number[][];
    for (let i = 0; i < 5; i++) assert.equal(v[i][i], 0);
    assert.equal(rsnnVariables(p).length, 5);
  });

  it("membrane noise changes the membrane, and the same seed gives the same result", () => {
    const cfg: RsnnConfig = { nIn: 4, nHidden: 8, nOut: 2, kTau: 1, reset: "hard", recurrent: false };
    const p = initRsnn(cfg, rng(2));
    const x = tf.ones([6, 3, 4]) as tf.Tensor3D;
    const a = rsnnForward(cfg, p, x).u.dataSync(), b = rsnnForward(cfg, p, x, { membraneNoise: 0.5, seed: 9 }).u.dataSync();
    const c = rsnnForward(cfg, p, x, { membraneNoise: 0.5, seed: 9 }).u.dataSync();
    assert.notDeepEqual(a, b);
    assert.deepEqual(b, c);
  });

  it("an integrate-and-fire network learns the delayed XOR with a short delay (well above chance)", async function () {
    this.timeout(60000);
    const r = rng(3);
    const train = delayedXor({ n: 256, delay: 3, rng: r.split() }), test = delayedXor({ n: 200, delay: 3, rng: r.split() });
    const cfg: RsnnConfig = { nIn: train.c, nHidden: 32, nOut: 2, kTau: 1, reset: "hard", recurrent: false, readoutSteps: train.responseSteps };
    const p = initRsnn(cfg, r.split());
    const loss = await trainRsnn(cfg, p, train, { epochs: 6, batch: 32, lr: 0.01, rng: r.split() });
    assert.ok(loss[loss.length - 1] < loss[0], loss.join(" "));
    assert.ok(evalRsnn(cfg, p, test).acc > 0.8);
  });

  it("lifGrid enumerates leak × reset × recurrence with readable names; meanOver averages a filter", () => {
    const g = lifGrid([1, 0.9], ["hard", "none"], [false, true]);
    assert.equal(g.length, 8);
    assert.deepEqual(g.map((v) => v.name).slice(0, 3), ["IF/hard/ff", "IF/hard/rec", "IF/none/ff"]);
    assert.equal(g[7].name, "LIF0.9/none/rec");
    const rs = g.map((v, i) => ({ ...v, testAcc: i } as unknown as VariantResult));
    assert.equal(meanOver(rs, (r) => r.reset === "none", (r) => r.testAcc), (2 + 3 + 6 + 7) / 4);
    assert.throws(() => meanOver(rs, () => false, (r) => r.testAcc));
  });
});
