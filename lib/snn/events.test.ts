import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { loadMnist } from "../data";
import { shiftBilinear, frameEvents, downsample2, saccadeEvents } from "./events";

describe("event-camera MNIST", () => {
  it("shiftBilinear: integer shifts move pixels exactly, half shifts average neighbours", () => {
    const img = [0, 1, 0, 0]; // 2×2: pixel (0,1) lit
    assert.deepEqual(Array.from(shiftBilinear(img, 2, 3, 1, 1)), [0, 0, 0, 0, 0, 1, 0, 0, 0]);
    assert.deepEqual(Array.from(shiftBilinear(img, 2, 3, 0.5, 0)), [0, 0.5, 0.5, 0, 0, 0, 0, 0, 0]);
  });

  it("frameEvents: a bar moving right fires ON at its leading edge and OFF at its trailing edge", () => {
    const side = 5,
      bar = (col: number) => Array.from({ length: 25 }, (_, i) => (i % side === col ? 1 : 0));
    const ev = frameEvents(bar(1), bar(2), 0.1);
    for (let i = 0; i < 25; i++) {
      assert.equal(ev.on[i], i % side === 2 ? 1 : 0);
      assert.equal(ev.off[i], i % side === 1 ? 1 : 0);
    }
    const small = frameEvents([0.5], [0.55], 0.1);
    assert.equal(small.on[0] + small.off[0], 0); // below threshold
  });

  it("downsample2 averages 2×2 blocks", () => {
    assert.deepEqual(Array.from(downsample2([1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1], 4)), [0.25, 0.25, 1, 1]); // blocks {1,0,0,0}, {0,1,0,0}, all-ones, all-ones
  });

  it("a still digit (amplitude 0) makes no events; a moving one makes both polarities in every bin", () => {
    const { test } = loadMnist({ rng: rng(1), trainPerClass: 1, testPerClass: 1 });
    const still = saccadeEvents(test, { T: 6, amplitude: 0 });
    assert.equal(
      still.x.reduce((a, v) => a + v, 0),
      0,
    );
    const moving = saccadeEvents(test, { T: 6, half: true });
    assert.equal(moving.side, 14 + 2 + 2);
    assert.equal(moving.c, moving.side * moving.side * 2);
    for (let t = 0; t < 6; t++) {
      let on = 0,
        off = 0;
      for (let p = 0; p < moving.side * moving.side; p++) {
        on += moving.x[t * moving.c + 2 * p];
        off += moving.x[t * moving.c + 2 * p + 1];
      }
      assert.ok(on > 0 && off > 0, `bin ${t}: ${on} ON, ${off} OFF`);
    }
  });

  it("sensor noise adds events at its rate and is reproducible from the seed", () => {
    const blank = { x: new Float32Array(4 * 784), y: new Int32Array(4), n: 4, side: 28 };
    const a = saccadeEvents(blank, { T: 5, noise: 0.05, rng: rng(2) });
    const rate = a.x.reduce((s, v) => s + v, 0) / a.x.length;
    assert.ok(Math.abs(rate - 0.05) < 4 * Math.sqrt((0.05 * 0.95) / a.x.length), String(rate));
    assert.deepEqual(a.x, saccadeEvents(blank, { T: 5, noise: 0.05, rng: rng(2) }).x);
    assert.throws(() => saccadeEvents(blank, { T: 5, noise: 0.05 }), /rng/);
  });
});
