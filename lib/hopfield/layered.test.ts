import { strict as assert } from "node:assert";
import { rng, type Rng } from "../rng";
import { distanceEnergy, distanceUpdate } from "./energy";
import { layeredDescent, layeredEnergy, layeredUpdate } from "./layered";

const pats = (r: Rng, n: number, d: number) =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal(0, 1.5)));

describe("hopfield/layered", () => {
  it("the global energy is the distance energy of the union of all blocks' patterns", () => {
    const r = rng(21);
    for (let c = 0; c < 50; c++) {
      const d = 1 + r.int(8),
        L = 1 + r.int(5),
        beta = 0.2 + 2 * r.uniform();
      const blocks = Array.from({ length: L }, () => pats(r, 1 + r.int(10), d));
      const x = Array.from({ length: d }, () => r.normal(0, 2));
      assert.ok(Math.abs(layeredEnergy(blocks, x, beta) - distanceEnergy(blocks.flat(), x, beta)) < 1e-10);
      const u = layeredUpdate(blocks, x, beta),
        v = distanceUpdate(blocks.flat(), x, beta);
      u.forEach((ui, k) => assert.ok(Math.abs(ui - v[k]) < 1e-10));
    }
  });

  it("min_l E_l − β⁻¹ log L ≤ E_G ≤ min_l E_l, and E_G never increases under the global step", () => {
    const r = rng(22);
    for (let c = 0; c < 100; c++) {
      const d = 1 + r.int(8),
        L = 1 + r.int(6),
        beta = 0.2 + 2 * r.uniform();
      const blocks = Array.from({ length: L }, () => pats(r, 1 + r.int(8), d));
      let x = Array.from({ length: d }, () => r.normal(0, 3));
      for (let t = 0; t < 8; t++) {
        const El = blocks.map((P) => distanceEnergy(P, x, beta)),
          m = Math.min(...El),
          EG = layeredEnergy(blocks, x, beta);
        assert.ok(EG <= m + 1e-12 && EG >= m - Math.log(L) / beta - 1e-12);
        const next = layeredUpdate(blocks, x, beta);
        assert.ok(layeredEnergy(blocks, next, beta) <= EG + 1e-10 * (1 + Math.abs(EG)));
        x = next;
      }
    }
  });
});

describe("hopfield/layeredDescent", () => {
  it("tracks E_G and every block's energy, and finds no band violation or rise", () => {
    const r = rng(23);
    const blocks = [0, 1, 2].map(() => pats(r, 5, 4));
    const t = layeredDescent(blocks, [3, -2, 1, 0], 10);
    assert.equal(t.global.length, 11);
    assert.equal(t.perBlock.length, 3);
    assert.equal(t.perBlock[0].length, 11);
    assert.ok(t.bandViolation <= 1e-12 && t.rise <= 1e-12);
    assert.ok(Math.abs(t.global[0] - layeredEnergy(blocks, [3, -2, 1, 0])) < 1e-15);
  });
});
