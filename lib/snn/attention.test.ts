import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import {
  initMaAttention,
  temporalAttention,
  channelAttention,
  spatialAttention,
  maAttention,
  maVariables,
  MA_KINDS,
} from "./attention";

const T = 4,
  B = 2,
  h = 3,
  w = 3,
  P = h * w,
  C = 4;
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const data = rng(11).normalArray(T * B * P * C);
const X = () => tf.tensor4d(data, [T, B, P, C]);
const at = (t: number, b: number, p: number, c: number) => data[((t * B + b) * P + p) * C + c];
// the MLP σ(W₁ReLU(W₀a) + W₁ReLU(W₀m)) by loops
function mlpRef(W0: number[][], W1: number[][], a: number[], m: number[]): number[] {
  const f = (z: number[]) => {
    const hdn = W0[0].map((_, j) =>
      Math.max(
        0,
        z.reduce((s, zi, i) => s + zi * W0[i][j], 0),
      ),
    );
    return W1[0].map((_, k) => hdn.reduce((s, hj, j) => s + hj * W1[j][k], 0));
  };
  const fa = f(a),
    fm = f(m);
  return fa.map((v, i) => sig(v + fm[i]));
}

describe("MA-SNN attention modules", () => {
  it("temporal attention equals the loop formula: one weight per (t, b) from pooling over pixels and channels", () => {
    const p = initMaAttention("TA", T, C, rng(1), { tRatio: 2 });
    const got = temporalAttention(p.temporal!, X()).arraySync() as number[][]; // [T, B]
    const W0 = p.temporal!.W0.arraySync() as number[][],
      W1 = p.temporal!.W1.arraySync() as number[][];
    for (let b = 0; b < B; b++) {
      const avg: number[] = [],
        max: number[] = [];
      for (let t = 0; t < T; t++) {
        let s = 0,
          mx = -Infinity;
        for (let q = 0; q < P; q++)
          for (let c = 0; c < C; c++) {
            s += at(t, b, q, c);
            mx = Math.max(mx, at(t, b, q, c));
          }
        avg.push(s / (P * C));
        max.push(mx);
      }
      mlpRef(W0, W1, avg, max).forEach((g, t) => assert.ok(Math.abs(got[t][b] - g) < 1e-5, `t=${t} b=${b}`));
    }
  });

  it("channel attention equals the loop formula: one weight per (b, c) from pooling over time and pixels", () => {
    const p = initMaAttention("CA", T, C, rng(2), { cRatio: 2 });
    const got = channelAttention(p.channel!, X()).arraySync() as number[][]; // [B, C]
    const W0 = p.channel!.W0.arraySync() as number[][],
      W1 = p.channel!.W1.arraySync() as number[][];
    for (let b = 0; b < B; b++) {
      const avg: number[] = [],
        max: number[] = [];
      for (let c = 0; c < C; c++) {
        let s = 0,
          mx = -Infinity;
        for (let t = 0; t < T; t++)
          for (let q = 0; q < P; q++) {
            s += at(t, b, q, c);
            mx = Math.max(mx, at(t, b, q, c));
          }
        avg.push(s / (T * P));
        max.push(mx);
      }
      mlpRef(W0, W1, avg, max).forEach((g, c) => assert.ok(Math.abs(got[b][c] - g) < 1e-5));
    }
  });

  it("spatial attention is σ(conv3×3 of the [mean; max] over time and channels)", () => {
    const p = initMaAttention("SA", T, C, rng(3));
    const got = spatialAttention(p.spatial!, X(), h, w).arraySync() as number[][]; // [B, P]
    const maps = new Float32Array(B * P * 2);
    for (let b = 0; b < B; b++)
      for (let q = 0; q < P; q++) {
        let s = 0,
          mx = -Infinity;
        for (let t = 0; t < T; t++)
          for (let c = 0; c < C; c++) {
            s += at(t, b, q, c);
            mx = Math.max(mx, at(t, b, q, c));
          }
        maps[(b * P + q) * 2] = s / (T * C);
        maps[(b * P + q) * 2 + 1] = mx;
      }
    const ref = tf
      .sigmoid(
        tf.conv2d(tf.tensor4d(maps, [B, h, w, 2]), tf.reshape(p.spatial!.w, [3, 3, 2, 1]) as tf.Tensor4D, 1, "same"),
      )
      .dataSync();
    for (let b = 0; b < B; b++) for (let q = 0; q < P; q++) assert.ok(Math.abs(got[b][q] - ref[b * P + q]) < 1e-5);
  });

  it("every kind returns x's shape; weights lie in (0,1); 'none' is the identity and owns no parameters", () => {
    for (const kind of MA_KINDS) {
      const p = initMaAttention(kind, T, C, rng(4));
      const y = maAttention(kind, p, X(), h, w);
      assert.deepEqual(y.shape, [T, B, P, C]);
      if (kind === "none") {
        assert.deepEqual(y.dataSync(), X().dataSync());
        assert.equal(maVariables(p).length, 0);
        continue;
      }
      assert.ok(y.min().dataSync()[0] >= 0, "ReLU after attention");
      assert.equal(
        maVariables(p).length,
        (kind.includes("T") ? 2 : 0) + (kind.includes("C") ? 2 : 0) + (kind.includes("S") ? 1 : 0),
      );
    }
    const p = initMaAttention("TCSA", T, C, rng(5));
    for (const g of [
      temporalAttention(p.temporal!, X()),
      channelAttention(p.channel!, X()),
      spatialAttention(p.spatial!, X(), h, w),
    ]) {
      const v = g.dataSync();
      assert.ok(v.every((z) => z > 0 && z < 1));
    }
  });

  it("TA is applied as relu(g_t[t,b] · x[t,b,p,c]); TCSA chains the three weights in the official order", () => {
    const p = initMaAttention("TCSA", T, C, rng(6));
    const pt = { temporal: p.temporal };
    const gt = temporalAttention(p.temporal!, X()).arraySync() as number[][];
    const y = maAttention("TA", pt, X(), h, w).dataSync();
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let q = 0; q < P; q++)
          for (let c = 0; c < C; c++)
            assert.ok(Math.abs(y[((t * B + b) * P + q) * C + c] - Math.max(0, gt[t][b] * at(t, b, q, c))) < 1e-5);
    // TCSA = relu(g_s(X2) · X2), X2 = g_c(X1) · X1, X1 = g_t(X) · X
    const X1 = tf.mul(X(), tf.reshape(temporalAttention(p.temporal!, X()), [T, B, 1, 1])) as tf.Tensor4D;
    const X2 = tf.mul(X1, tf.reshape(channelAttention(p.channel!, X1), [1, B, 1, C])) as tf.Tensor4D;
    const ref = tf.relu(tf.mul(X2, tf.reshape(spatialAttention(p.spatial!, X2, h, w), [1, B, P, 1]))).dataSync();
    const got = maAttention("TCSA", p, X(), h, w).dataSync();
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-6);
  });
});
