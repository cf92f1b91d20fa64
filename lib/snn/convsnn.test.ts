import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import {
  initConvSnn,
  convSnnForward,
  convSnnVariables,
  evalConvSnn,
  attentionOps,
  type ConvSnnConfig,
} from "./convsnn";
import type { EventSet } from "./events";

const base: ConvSnnConfig = {
  side: 4,
  inChannels: 2,
  T: 2,
  c1: 2,
  c2: 4,
  classes: 3,
  attention: "none",
  kTau: 0.8,
  reset: "hard",
  tRatio: 2,
  cRatio: 2,
};

describe("convolutional SNN with MA attention", () => {
  it("forward shapes for every attention kind; attention adds only a few parameters", () => {
    const sizes: Record<string, number> = {};
    for (const attention of ["none", "TA", "CA", "SA", "TCSA"] as const) {
      const cfg = { ...base, attention };
      const p = initConvSnn(cfg, rng(1));
      const r = convSnnForward(cfg, p, tf.ones([2, 5, 32]) as tf.Tensor3D);
      assert.deepEqual(r.logits.shape, [5, 3]);
      assert.deepEqual(r.spikes[0].shape, [2, 5, 16 * 2]);
      assert.deepEqual(r.spikes[1].shape, [2, 5, 4 * 4]);
      sizes[attention] = convSnnVariables(cfg, p).reduce((a, v) => a + v.size, 0);
    }
    // TA: per layer W0 [2,1] + W1 [1,2] = 4; CA: layer 1 C=2 → 4, layer 2 C=4 → 16; SA: 18 per layer
    assert.equal(sizes.TA - sizes.none, 8);
    assert.equal(sizes.CA - sizes.none, 20);
    assert.equal(sizes.SA - sizes.none, 36);
    assert.equal(sizes.TCSA - sizes.none, 64);
  });

  it("attentionOps counts the rescaling, MLP and pooling operations by hand", () => {
    assert.deepEqual(attentionOps(base), { macs: 0, adds: 0 });
    // TA: layer 1 has N = T·P·C = 2·16·2 = 64 currents and an MLP of 2·2·2·1 = 8 MACs; layer 2 N = 2·4·4 = 32
    assert.deepEqual(attentionOps({ ...base, attention: "TA" }), { macs: 8 + 64 + 8 + 32, adds: 2 * 64 + 2 * 32 });
  });

  it("evalConvSnn: input events per sample and their SOPs = events × 9·c₁", () => {
    const n = 4,
      T = 2,
      c = 32;
    const x = new Float32Array(n * T * c);
    for (let i = 0; i < x.length; i += 4) x[i] = 1; // 16 events per sample
    const set: EventSet = { x, y: new Int32Array(n), n, T, c, classes: 3, side: 4 };
    const p = initConvSnn(base, rng(2));
    const ev = evalConvSnn(base, p, set, 3);
    assert.equal(ev.layers[0].spikes, 16);
    assert.equal(ev.layers[0].sops, 16 * 9 * 2);
    assert.equal(ev.layers[0].rate, 0.25);
    assert.equal(ev.spikesPerSample, ev.layers[1].spikes + ev.layers[2].spikes);
    assert.ok(Math.abs(ev.synapticNJ - (ev.sopsPerSample * 0.9) / 1000) < 1e-9);
  });
});
