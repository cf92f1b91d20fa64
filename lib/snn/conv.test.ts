import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { conv2dSame, avgPool2 } from "./conv";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < tol, `at ${i}: ${a[i]} vs ${b[i]}`);
};

describe("same convolution and pooling", () => {
  it("matches tf.conv2d ('same', stride 1) for k = 3 and k = 1", () => {
    const r = rng(1);
    for (const k of [3, 1]) {
      const x = tf.tensor4d(r.normalArray(2 * 5 * 6 * 3), [2, 5, 6, 3]);
      const f = tf.tensor4d(r.normalArray(k * k * 3 * 4), [k, k, 3, 4]);
      close(
        conv2dSame(x, tf.reshape(f, [k * k * 3, 4]) as tf.Tensor2D, k).dataSync(),
        tf.conv2d(x, f, 1, "same").dataSync(),
      );
    }
  });

  it("both gradients match tf.conv2d's (on the cpu backend, which has the backprop kernels)", async () => {
    // other suites may have switched the process to wasm, which lacks Conv2DBackpropFilter: pin cpu for the reference
    const previous = tf.getBackend();
    await tf.setBackend("cpu");
    try {
      const r = rng(2);
      for (const k of [3, 5]) {
        const x = tf.tensor4d(r.normalArray(2 * 6 * 5 * 2), [2, 6, 5, 2]);
        const f = tf.tensor4d(r.normalArray(k * k * 2 * 3), [k, k, 2, 3]);
        const target = tf.tensor4d(r.normalArray(2 * 6 * 5 * 3), [2, 6, 5, 3]);
        const ours = tf.grads((a: tf.Tensor, w: tf.Tensor) =>
          tf.sum(tf.mul(conv2dSame(a as tf.Tensor4D, tf.reshape(w, [k * k * 2, 3]) as tf.Tensor2D, k), target)),
        )([x, f]);
        const ref = tf.grads((a: tf.Tensor, w: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, "same"), target)),
        )([x, f]);
        close(ours[0].dataSync(), ref[0].dataSync());
        close(ours[1].dataSync(), ref[1].dataSync());
      }
    } finally {
      await tf.setBackend(previous);
    }
  });

  it("rejects an even kernel and a filter of the wrong size", () => {
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    assert.throws(() => conv2dSame(x, tf.zeros([8, 1]) as tf.Tensor2D, 2), /odd/);
    assert.throws(() => conv2dSame(x, tf.zeros([9, 1]) as tf.Tensor2D, 3), /k·k·C_in = 18/);
  });

  it("avgPool2 averages 2×2 blocks", () => {
    // one 4×4 single-channel image with entries 0..15
    const x = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    assert.deepEqual(Array.from(avgPool2(x).dataSync()), [2.5, 4.5, 10.5, 12.5]);
    close(
      avgPool2(tf.tensor4d(rng(3).normalArray(2 * 4 * 6 * 3), [2, 4, 6, 3])).dataSync(),
      tf.avgPool(tf.tensor4d(rng(3).normalArray(2 * 4 * 6 * 3), [2, 4, 6, 3]), 2, 2, "valid").dataSync(),
    );
  });
});
