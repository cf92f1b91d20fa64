import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import {
  spikeCount,
  firingRate,
  synapticOps,
  convFanOut,
  convMacs,
  denseMacs,
  energyPJ,
  layerActivity,
  sumActivity,
} from "./counters";

describe("spike and synaptic-operation counters", () => {
  it("count and rate on a hand tensor", () => {
    const s = tf.tensor3d([
      [
        [1, 0, 1],
        [0, 0, 0],
      ],
      [
        [1, 1, 1],
        [0, 1, 0],
      ],
    ]); // T=2, B=2, n=3: 6 spikes of 12
    assert.equal(spikeCount(s), 6);
    assert.equal(firingRate(s), 0.5);
  });

  it("SOPs = spikes × fan-out; MACs and energy from hand arithmetic", () => {
    assert.equal(synapticOps(6, 10), 60);
    assert.equal(convFanOut(8, 3), 72);
    assert.equal(convFanOut(8, 2, 2), 8);
    assert.equal(convMacs(1, 8, 3, 28, 28), 56448);
    assert.equal(denseMacs(784, 10), 7840);
    assert.ok(Math.abs(energyPJ({ sops: 1000, macs: 100 }) - (900 + 460)) < 1e-9);
  });

  it("layerActivity and sumActivity add batches layer by layer", () => {
    const a = [
      layerActivity(
        "fc",
        tf.tensor2d([
          [1, 0],
          [0, 0],
        ]),
        5,
      ),
    ];
    const b = [
      layerActivity(
        "fc",
        tf.tensor2d([
          [1, 1],
          [1, 0],
        ]),
        5,
      ),
    ];
    assert.deepEqual(a[0], { name: "fc", spikes: 1, events: 4, rate: 0.25, sops: 5 });
    assert.deepEqual(sumActivity(a, b)[0], { name: "fc", spikes: 4, events: 8, rate: 0.5, sops: 20 });
    assert.deepEqual(sumActivity([], a), a);
    assert.throws(() => sumActivity(a, [{ ...b[0], name: "conv" }]), /conv/);
  });
});
