import assert from "node:assert/strict";
import { loadMnist, MNIST_PIXELS, oneHot } from "./mnist";
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
});
