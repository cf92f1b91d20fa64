import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { pgd, attackRsnn } from "./attack";
import { initRsnn, evalRsnn, disposeRsnn } from "./rsnn";
import { lifGrid } from "./ablation";
import { delayedXor } from "./tasks";

describe("L∞ attacks (FGSM, PGD)", () => {
  it("FGSM on a linear loss moves every input by ε along sign(w), clipped to the box", () => {
    const w = tf.tensor1d([1, -2, 0.5, -0.1]),
      x0 = tf.tensor1d([0.5, 0.5, 0.98, 0.01]);
    const adv = pgd((x) => tf.sum(tf.mul(w, x)) as tf.Scalar, x0, { eps: 0.1, steps: 1 });
    const got = Array.from(adv.dataSync()),
      want = [0.6, 0.4, 1, 0];
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${got} vs ${want}`));
    assert.deepEqual(Array.from(x0.dataSync()), [0.5, 0.5, 0.98, 0.01].map(Math.fround)); // x⁰ untouched
  });

  it("PGD stays in the ε-ball and the box, and raises a non-linear loss", () => {
    const x0 = tf.tensor1d([0.2, 0.4, 0.6, 0.8]);
    const loss = (x: tf.Tensor) => tf.sum(tf.sin(tf.mul(x, 7))) as tf.Scalar;
    const p = pgd(loss, x0, { eps: 0.15, steps: 10, randomStart: rng(1) });
    const d = Array.from(tf.sub(p, x0).dataSync());
    d.forEach((v) => assert.ok(Math.abs(v) <= 0.15 + 1e-6));
    Array.from(p.dataSync()).forEach((v) => assert.ok(v >= 0 && v <= 1));
    assert.ok(loss(p).dataSync()[0] > loss(x0).dataSync()[0]);
  });

  it("attackRsnn: ε = 0 gives the clean accuracy of every network; a real attack returns one accuracy per network", () => {
    const set = delayedXor({ n: 30, delay: 2, rng: rng(2), patternSteps: 2, responseSteps: 2, perGroup: 2 });
    const net = initRsnn(
      { nIn: set.c, nHidden: 6, nOut: 2, readoutSteps: 2, inputGain: 3 },
      lifGrid([1, 0.9], ["hard"], [false, true]),
      [0, 1],
      rng(3),
    );
    const clean = evalRsnn(net, set).acc;
    assert.deepEqual(attackRsnn(net, set, { eps: 0, steps: 1, batch: 16 }), clean);
    const hit = attackRsnn(net, set, { eps: 0.3, steps: 3, batch: 16 });
    assert.equal(hit.length, net.M);
    hit.forEach((a) => assert.ok(a >= 0 && a <= 1));
    disposeRsnn(net);
  });
});
