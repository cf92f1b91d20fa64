import assert from "node:assert/strict";
import { image, loadMnist, MNIST_PIXELS, oneHot, row } from "./mnist";
import { rng } from "../rng";

describe("data/mnist", () => {
  it("makes a seeded stratified split of all 10,000 digits", () => {
    const { train, test } = loadMnist({ rng: rng(7) });
    assert.equal(train.n + test.n, 10000);
    assert.equal(train.x.length, train.n * MNIST_PIXELS);
    const counts = new Array(10).fill(0);
    test.y.forEach((c) => counts[c]++);
    for (const c of counts) assert.ok(c >= 170 && c <= 226, `class share off: ${counts}`);
    const again = loadMnist({ rng: rng(7) });
    assert.deepEqual(again.test.y, test.y);
    assert.notDeepEqual(loadMnist({ rng: rng(8) }).test.y, test.y);
  });
  it("caps per-class counts and keeps pixels in [0,1]", () => {
    const { train, test } = loadMnist({ rng: rng(1), trainPerClass: 20, testPerClass: 5 });
    assert.equal(train.n, 200);
    assert.equal(test.n, 50);
    assert.ok(train.x.every((v) => v >= 0 && v <= 1));
  });
  it("one-hot encodes labels", () => {
    assert.deepEqual(Array.from(oneHot(new Int32Array([2, 0]), 3)), [0, 0, 1, 1, 0, 0]);
  });
  it("image(i) and row(i) are views of one sample", () => {
    const { test } = loadMnist({ rng: rng(1), trainPerClass: 1, testPerClass: 2 });
    const im = image(test, 3);
    assert.equal(im.length, MNIST_PIXELS);
    assert.equal(im.buffer, test.x.buffer, "a view, not a copy");
    assert.deepEqual(Array.from(im), Array.from(test.x.slice(3 * MNIST_PIXELS, 4 * MNIST_PIXELS)));
    assert.deepEqual(Array.from(row(new Int32Array([1, 2, 3, 4, 5, 6]), 3, 1)), [4, 5, 6]);
    assert.throws(() => image(test, test.n), RangeError);
  });
});
