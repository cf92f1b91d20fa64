import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { unroll, type LifParams } from "./lif";
import { stfn } from "./stfn";
import { arctan } from "./surrogate";
import { graphNeurons } from "./graph-lif";

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe("snn/graph-lif (fused STFN + LIF)", () => {
  const T = 4,
    N = 7,
    C = 5,
    r = rng(12);
  const I = tf.variable(tf.tensor3d(r.normalArray(T * N * C, 0.6, 0.8), [T, N, C]));
  const lambda = tf.variable(tf.tensor1d(r.normalArray(C, 1, 0.3))),
    gamma = tf.variable(tf.tensor1d(r.normalArray(C, 0.2, 0.3)));
  const dO = tf.tensor3d(r.normalArray(T * N * C), [T, N, C]); // a random upstream gradient
  for (const reset of ["hard", "soft", "none"] as const)
    for (const withNorm of [false, true]) {
      it(`equals stfn + unroll in value and gradient (${reset} reset, ${withNorm ? "with" : "without"} STFN)`, () => {
        const lif: LifParams = { kTau: 0.5, uTh: 1, reset, surrogate: arctan(2) };
        const ref = () => unroll(lif, withNorm ? stfn(I, { lambda, gamma }, { vTh: 1, rho: 1.5 }) : I).spikes;
        const fused = () => graphNeurons(lif, I, withNorm ? { lambda, gamma, rho: 1.5 } : undefined);
        assert.equal(maxDiff(ref(), fused()), 0, "spikes");
        const vars = withNorm ? [I, lambda, gamma] : [I];
        const loss = (f: () => tf.Tensor) => () => tf.sum(tf.mul(f(), dO)) as tf.Scalar;
        const gr = tf.variableGrads(loss(ref), vars).grads,
          gf = tf.variableGrads(loss(fused), vars).grads;
        for (const v of vars) {
          const scale = tf.max(tf.abs(gr[v.name])).dataSync()[0];
          assert.ok(scale > 0, `reference gradient of ${v.name} is not all zero`);
          assert.ok(
            maxDiff(gr[v.name], gf[v.name]) <= 1e-4 * Math.max(1, scale),
            `${v.name}: ${maxDiff(gr[v.name], gf[v.name])} (scale ${scale})`,
          );
        }
      });
    }
  it("refuses a learnable leak or recurrent weights", () => {
    assert.throws(() => graphNeurons({ kTau: tf.scalar(0.5), uTh: 1, reset: "hard" }, I), /numeric leak/);
  });
});
