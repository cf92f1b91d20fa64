import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { spikeFn, surrogates, fastSigmoid, arctan, sigmoid, rectangular, triangle, heaviside } from "./surrogate";

const xs = [-1, -0.3, -0.05, 0, 0.02, 0.1, 0.5, 2];

describe("surrogate gradients", () => {
  it("forward is the Heaviside step H(x) with H(0) = 1", () => {
    const f = spikeFn(arctan());
    assert.deepEqual(Array.from(f(tf.tensor1d(xs)).dataSync()), [0, 0, 0, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(heaviside(tf.tensor1d([-0.1, 0, 0.1])).dataSync()), [0, 1, 1]);
  });

  it("fast sigmoid: σ'(x) = 1/(1 + α|x|)², checked at hand values", () => {
    const s = fastSigmoid(25);
    assert.equal(s.grad(0), 1);
    assert.ok(Math.abs(s.grad(0.1) - 1 / 12.25) < 1e-12);
    assert.ok(Math.abs(s.grad(-0.2) - 1 / 36) < 1e-12);
  });

  it("each surrogate's σ' is the numerical derivative of its primitive σ", () => {
    const prim: Record<string, (x: number, a: number) => number> = {
      fastSigmoid: (x, a) => x / (1 + a * Math.abs(x)), // derivative 1/(1+a|x|)²
      arctan: (x, a) => 0.5 + Math.atan((Math.PI * a * x) / 2) / Math.PI,
      sigmoid: (x, a) => 1 / (1 + Math.exp(-a * x)),
    };
    const e = 1e-6;
    for (const [name, P] of Object.entries(prim)) {
      const s = surrogates[name as keyof typeof surrogates](3);
      for (const x of xs) {
        const fd = (P(x + e, 3) - P(x - e, 3)) / (2 * e);
        assert.ok(Math.abs(fd - s.grad(x)) < 1e-5, `${name} at ${x}: ${fd} vs ${s.grad(x)}`);
      }
    }
  });

  it("rectangular, triangle and sigmoid have unit area; arctan's area on [−L, L] is (2/π)·atan(παL/2)", () => {
    const area = (g: (x: number) => number, L: number) => {
      let a = 0;
      const h = 1e-4;
      for (let x = -L; x < L; x += h) a += g(x + h / 2) * h;
      return a;
    };
    for (const s of [rectangular(2), triangle(2), sigmoid(4)])
      assert.ok(Math.abs(area(s.grad, 20) - 1) < 1e-3, `${s.name}: area ${area(s.grad, 20)}`);
    const a = arctan(2);
    assert.ok(Math.abs(area(a.grad, 20) - (2 / Math.PI) * Math.atan(Math.PI * 20)) < 1e-6);
  });

  it("the tensor op's backward pass equals dy · σ'(x) for every surrogate", () => {
    for (const make of Object.values(surrogates)) {
      const s = make();
      const f = spikeFn(s);
      const dy = xs.map((_, i) => 0.5 + i);
      const g = tf
        .grad((x: tf.Tensor) => tf.sum(tf.mul(f(x), tf.tensor1d(dy))))(tf.tensor1d(xs))
        .dataSync();
      xs.forEach((x, i) =>
        assert.ok(
          Math.abs(g[i] - dy[i] * s.grad(x)) < 1e-4 * (1 + Math.abs(dy[i] * s.grad(x))),
          `${s.name} at ${x}: ${g[i]} vs ${dy[i] * s.grad(x)}`,
        ),
      );
      // the tensor formula agrees with the number formula
      const gt = s.gradTensor(tf.tensor1d(xs)).dataSync();
      xs.forEach((x, i) => assert.ok(Math.abs(gt[i] - s.grad(x)) < 1e-5));
    }
  });
});
