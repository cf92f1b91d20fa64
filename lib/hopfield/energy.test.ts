import { strict as assert } from "node:assert";
import { rng, type Rng } from "../rng";
import { attention } from "./attention";
import { descend, distanceEnergy, distanceUpdate, halfSqDistances, mchnEnergy, mchnUpdate } from "./energy";

const randPatterns = (r: Rng, n: number, d: number, s = 1) =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal(0, s)));
const close = (a: readonly number[], b: readonly number[], tol: number) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `component ${i}: ${v} vs ${b[i]}`));

describe("hopfield/energy", () => {
  it("MCHN energy and update on a hand-computed case", () => {
    // X = e1, e2; ξ = 0; β = 1: E = −log 2 + 0 + log 2 + ½·1 = ½, update = (e1 + e2)/2
    const X = [
      [1, 0],
      [0, 1],
    ];
    assert.ok(Math.abs(mchnEnergy(X, [0, 0]) - 0.5) < 1e-15);
    close(mchnUpdate(X, [0, 0]), [0.5, 0.5], 1e-15);
  });

  it("distance energy on hand-computed cases: one pattern gives ½‖x−ρ‖², equal distances give d − log N", () => {
    assert.ok(Math.abs(distanceEnergy([[1, 2]], [4, 6]) - 12.5) < 1e-12);
    assert.ok(
      Math.abs(
        distanceEnergy(
          [
            [1, 0],
            [-1, 0],
          ],
          [0, 0],
        )
          - (0.5 - Math.log(2)),
      ) < 1e-12,
    );
  });

  it("neither energy ever increases under its update (200 seeded random cases)", () => {
    const r = rng(11);
    for (let c = 0; c < 200; c++) {
      const n = 2 + r.int(30),
        d = 1 + r.int(16),
        beta = 0.05 + 5 * r.uniform(),
        s = 0.2 + 2 * r.uniform();
      const X = randPatterns(r, n, d, s),
        x0 = Array.from({ length: d }, () => r.normal(0, 3 * s));
      const m = descend(
        (x) => mchnEnergy(X, x, beta),
        (x) => mchnUpdate(X, x, beta),
        x0,
        12,
      ).energies;
      const e = descend(
        (x) => distanceEnergy(X, x, beta),
        (x) => distanceUpdate(X, x, beta),
        x0,
        12,
      ).energies;
      for (let t = 1; t < m.length; t++) {
        assert.ok(
          m[t] <= m[t - 1] + 1e-10 * (1 + Math.abs(m[t - 1])),
          `MCHN case ${c} step ${t}: ${m[t - 1]} → ${m[t]}`,
        );
        assert.ok(
          e[t] <= e[t - 1] + 1e-10 * (1 + Math.abs(e[t - 1])),
          `distance case ${c} step ${t}: ${e[t - 1]} → ${e[t]}`,
        );
      }
    }
  });

  it("min_i d_i − β⁻¹ log N ≤ E(x) ≤ min_i d_i on random inputs", () => {
    const r = rng(12);
    for (let c = 0; c < 300; c++) {
      const n = 1 + r.int(40),
        d = 1 + r.int(10),
        beta = 0.1 + 4 * r.uniform();
      const P = randPatterns(r, n, d, 2),
        x = Array.from({ length: d }, () => r.normal(0, 3));
      const dmin = Math.min(...halfSqDistances(P, x)),
        E = distanceEnergy(P, x, beta);
      assert.ok(
        E <= dmin + 1e-12 && E >= dmin - Math.log(n) / beta - 1e-12,
        `case ${c}: E=${E}, min d=${dmin}, N=${n}`,
      );
    }
  });

  it("one MCHN update equals softmax attention with Q = ξ, K = V = X", () => {
    const r = rng(13);
    for (let c = 0; c < 50; c++) {
      const n = 2 + r.int(20),
        d = 1 + r.int(12),
        beta = 0.1 + 3 * r.uniform();
      const X = randPatterns(r, n, d),
        xi = Array.from({ length: d }, () => r.normal());
      close(mchnUpdate(X, xi, beta), attention([xi], X, X, beta)[0], 1e-12);
    }
  });

  it("one distance (MM) update equals attention with key bias −β½‖ρ‖², and plain attention when ‖ρ_i‖ are equal", () => {
    const r = rng(14);
    for (let c = 0; c < 50; c++) {
      const n = 2 + r.int(20),
        d = 2 + r.int(12),
        beta = 0.1 + 3 * r.uniform();
      const P = randPatterns(r, n, d),
        x = Array.from({ length: d }, () => r.normal());
      const bias = P.map((p) => -0.5 * beta * p.reduce((s, v) => s + v * v, 0));
      close(distanceUpdate(P, x, beta), attention([x], P, P, beta, bias)[0], 1e-12);
      const U = P.map((p) => {
        const z = Math.hypot(...p);
        return p.map((v) => v / z);
      });
      close(distanceUpdate(U, x, beta), attention([x], U, U, beta)[0], 1e-12);
    }
  });

  it("retrieves a stored pattern from a noisy cue when patterns are well separated", () => {
    const r = rng(15);
    const P = randPatterns(r, 10, 32, 1);
    const cue = P[3].map((v) => v + r.normal(0, 0.3));
    const out = descend(
      (x) => distanceEnergy(P, x, 1),
      (x) => distanceUpdate(P, x, 1),
      cue,
      6,
    ).states[6];
    // the fixed point sits within the other patterns' exponentially small softmax mass of ρ_3
    close(out, P[3], 1e-4);
    assert.ok(Math.hypot(...out.map((v, k) => v - P[3][k])) < 1e-3 * Math.hypot(...cue.map((v, k) => v - P[3][k])));
  });
});
