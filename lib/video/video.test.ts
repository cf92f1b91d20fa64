import { strict as assert } from "node:assert";
import { rng } from "../rng";
import { mnistByClass } from "../data";
import { DCT_MATRIX, ZIGZAG, dct8, idct8 } from "./dct";
import { RangeDecoder, RangeEncoder } from "./rangecoder";
import { decodeFrame, encodeFrame, quantiseFrame, quantTable } from "./codec";
import { psnr, ssim } from "./metrics";
import { blockMotion, globalMotionQuarter, predictFrames } from "./motion";
import { constantVideo, movingMnist, panVideo, valueNoise, valueNoiseTexture } from "./generate";
import { allKeyframes, countBitsFor, decodePredictive, predictiveCode } from "./scheme";
import { bdRate, bppAtQuality, paretoFront, pooledBdRate, restartClustering } from "./stats";
import { halfPelPlane, sampleQuarter, shiftFrame } from "./interp";
import { interCode, interDecode, lagrangian } from "./inter";

describe("video/dct", () => {
  it("is orthonormal and round-trips", () => {
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let n = 0; n < 8; n++) s += DCT_MATRIX[i * 8 + n] * DCT_MATRIX[j * 8 + n];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12);
      }
    const r = rng(1),
      x = Array.from({ length: 64 }, () => r.uniform() * 255 - 128);
    const back = idct8(dct8(x));
    x.forEach((v, i) => assert.ok(Math.abs(back[i] - v) < 1e-9));
  });
  it("maps a constant block c to DC = 8c and nothing else", () => {
    const y = dct8(new Array(64).fill(3));
    assert.ok(Math.abs(y[0] - 24) < 1e-12);
    for (let i = 1; i < 64; i++) assert.ok(Math.abs(y[i]) < 1e-12);
  });
  it("scans in JPEG zig-zag order", () => {
    assert.deepEqual(Array.from(ZIGZAG.subarray(0, 10)), [0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    assert.equal(ZIGZAG[63], 63);
    assert.equal(new Set(ZIGZAG).size, 64);
  });
});

describe("video/rangecoder", () => {
  it("decodes what it encoded and costs close to the entropy", () => {
    const r = rng(2),
      n = 20000,
      p1 = 0.1,
      bits = Array.from({ length: n }, () => (r.bernoulli(p1) ? 1 : 0));
    const raws = Array.from({ length: 500 }, () => r.int(2));
    const enc = new RangeEncoder(1);
    bits.forEach((b) => enc.bit(0, b));
    raws.forEach((b) => enc.raw(b));
    const bytes = enc.finish();
    const dec = new RangeDecoder(bytes, 1);
    assert.deepEqual(
      bits.map(() => dec.bit(0)),
      bits,
    );
    assert.deepEqual(
      raws.map(() => dec.raw()),
      raws,
    );
    const h = -(p1 * Math.log2(p1) + (1 - p1) * Math.log2(1 - p1)); // 0.469 bits per symbol
    const cost = 8 * bytes.length;
    assert.ok(cost >= n * h * 0.97 + 500 - 100, `cost ${cost} below the entropy ${n * h + 500}`);
    assert.ok(cost <= n * h * 1.05 + 500 + 64, `cost ${cost} far above the entropy ${n * h + 500}`);
  });
});

describe("video/codec", () => {
  const H = 32,
    W = 48,
    img = valueNoiseTexture(rng(3), 48).subarray(0, H * W);
  it("counts bits that decode to the original quantised levels", () => {
    for (const q of [5, 30, 75, 95]) {
      const c = encodeFrame(img, H, W, q);
      assert.equal(c.bits, 8 * c.bytes.length);
      const d = decodeFrame(c.bytes, H, W, q);
      assert.deepEqual(Array.from(d.levels), Array.from(quantiseFrame(img, H, W, q)));
      assert.deepEqual(Array.from(d.recon), Array.from(c.recon));
    }
  });
  it("decodes a random level field (large levels, negative DCs) exactly", () => {
    const r = rng(4),
      noisy = Float32Array.from({ length: H * W }, () => r.uniform());
    const c = encodeFrame(noisy, H, W, 100);
    assert.deepEqual(Array.from(decodeFrame(c.bytes, H, W, 100).levels), Array.from(c.levels));
    assert.ok(c.levels.some((v) => Math.abs(v) > 20));
  });
  it("trades bits for quality monotonically in q", () => {
    const rows = [10, 30, 60, 90].map((q) => {
      const c = encodeFrame(img, H, W, q);
      return { bits: c.bits, p: psnr(img, c.recon) };
    });
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i].bits > rows[i - 1].bits);
      assert.ok(rows[i].p > rows[i - 1].p);
    }
  });
  it("uses libjpeg's table scaling (q = 50 gives the Annex K table, q = 100 all ones)", () => {
    assert.equal(quantTable(50)[0], 16);
    assert.equal(quantTable(50)[63], 99);
    assert.ok(quantTable(100).every((t) => t === 1));
    assert.equal(quantTable(10)[0], 80); // s = 500: ⌊(16·500 + 50)/100⌋
  });
});

describe("video/metrics", () => {
  it("PSNR of a uniform 0.1 error is 20 dB", () => {
    const a = new Float32Array(100).fill(0.3),
      b = new Float32Array(100).fill(0.4);
    assert.ok(Math.abs(psnr(a, b) - 20) < 1e-5);
  });
  it("SSIM is 1 for identical images and the luminance ratio for two flat images", () => {
    const r = rng(5),
      a = Float32Array.from({ length: 256 }, () => r.uniform());
    assert.ok(Math.abs(ssim(a, a, 16, 16) - 1) < 1e-12);
    const f1 = new Float32Array(256).fill(0.5),
      f2 = new Float32Array(256).fill(0.6),
      C1 = 1e-4;
    assert.ok(Math.abs(ssim(f1, f2, 16, 16) - (2 * 0.5 * 0.6 + C1) / (0.25 + 0.36 + C1)) < 1e-6);
  });
  it("SSIM drops under noise", () => {
    const r = rng(6),
      a = valueNoiseTexture(r, 32),
      b = Float32Array.from(a, (v) => v + r.normal(0, 0.1));
    assert.ok(ssim(a, b, 32, 32) < 0.9);
  });
});

describe("video/interp", () => {
  it("keeps whole-pel samples, and the 6-tap filter and bilinear quarter-pels reproduce a linear ramp exactly", () => {
    const H = 16,
      W = 16,
      ramp = Float32Array.from({ length: H * W }, (_, i) => 0.2 + 0.01 * (i % W) + 0.02 * Math.floor(i / W));
    const P = halfPelPlane(ramp, H, W);
    for (let y = 4; y < 12; y++)
      for (let x = 4; x < 12; x++) {
        assert.equal(sampleQuarter(P, 4 * y, 4 * x), ramp[y * W + x]);
        // (1 − 5 + 20 + 20 − 5 + 1)/32 = 1 and the filter is symmetric: exact on linear data, away from the edge
        for (const [qy, qx] of [
          [1, 0],
          [0, 2],
          [3, 3],
          [-1, -3],
        ]) {
          const want = 0.2 + 0.01 * (x + qx / 4) + 0.02 * (y + qy / 4);
          assert.ok(Math.abs(sampleQuarter(P, 4 * y + qy, 4 * x + qx) - want) < 1e-6, `${y},${x} +(${qy},${qx})/4`);
        }
      }
  });
  it("repeats the edge outside the frame and shifts by whole pels exactly", () => {
    const img = valueNoiseTexture(rng(30), 24),
      P = halfPelPlane(img, 24, 24);
    assert.equal(sampleQuarter(P, -40, -40), img[0]);
    assert.equal(sampleQuarter(P, 4 * 30, 4 * 5), img[23 * 24 + 5]);
    const s = shiftFrame(P, 8, -4); // out(p) = img(p + (2, −1))
    for (let y = 0; y < 22; y++) for (let x = 1; x < 24; x++) assert.equal(s[y * 24 + x], img[(y + 2) * 24 + x - 1]);
  });
});

describe("video/motion", () => {
  it("recovers a whole-pel translation and extrapolates it exactly where the source blocks were matched", () => {
    const T = 96,
      S = 48,
      still = valueNoiseTexture(rng(7), T);
    const crop = (y: number, x: number) => {
      const f = new Float32Array(S * S);
      for (let i = 0; i < S; i++) f.set(still.subarray((y + i) * T + x, (y + i) * T + x + S), i * S);
      return f;
    };
    // the camera moves by (−1, −2) per frame, so content moves by (+1, +2)
    const f0 = crop(30, 30),
      f1 = crop(29, 28),
      f2 = crop(28, 26),
      f3 = crop(27, 24);
    const mv = blockMotion(f0, f1, S, S, { prior: [1, 2] });
    // blocks whose source lies outside f0 (top row, left column) cannot be matched; all others must be
    for (let by = 1; by < 6; by++)
      for (let bx = 1; bx < 6; bx++) assert.deepEqual([mv[(by * 6 + bx) * 2], mv[(by * 6 + bx) * 2 + 1]], [1, 2]);
    const {
      frames: [p2, p3],
      model,
    } = predictFrames(f0, f1, S, S, 2);
    assert.deepEqual([model.my, model.mx], [-4, -8]);
    for (let y = 16; y < S; y++)
      for (let x = 16; x < S; x++) {
        assert.equal(p2[y * S + x], f2[y * S + x]);
        assert.equal(p3[y * S + x], f3[y * S + x]);
      }
  });
  it("measures a sub-pixel pan to the quarter pel and picks the global model for it, the flow model for a moving digit", () => {
    const tex = valueNoise(rng(31), 160),
      S = 48;
    const at = (y0: number, x0: number) =>
      Float32Array.from({ length: S * S }, (_, i) => tex.at(y0 + Math.floor(i / S), x0 + (i % S)));
    // content moves by (+0.75, −0.5) px per frame: f1(p) = f0(p + (−0.75, +0.5)), i.e. m = (−3, +2) quarter pels
    const f0 = at(50, 50),
      f1 = at(49.25, 50.5);
    const q = globalMotionQuarter(f0, f1, S, S, [1, 0]);
    assert.deepEqual([q.my, q.mx], [-3, 2]);
    assert.equal(predictFrames(f0, f1, S, S, 1).model.kind, "global");
    // two digits moving apart: no single translation explains the pair
    const byClass = mnistByClass(),
      v = movingMnist({ rng: rng(32), digits: [3, 7].map((k) => byClass[k].slice(0, 784)), frames: 3 });
    assert.equal(predictFrames(v.frames[0], v.frames[1], 64, 64, 1).model.kind, "flow");
  });
});

describe("video/generate", () => {
  const digits = [
    Float32Array.from({ length: 784 }, (_, i) => (i % 28 > 8 && i % 28 < 20 && i > 200 && i < 600 ? 1 : 0)),
  ];
  it("is seeded", () => {
    const a = movingMnist({ rng: rng(8), digits, frames: 20 }),
      b = movingMnist({ rng: rng(8), digits, frames: 20 }),
      c = movingMnist({ rng: rng(9), digits, frames: 20 });
    assert.deepEqual(
      a.frames.map((f) => Array.from(f)),
      b.frames.map((f) => Array.from(f)),
    );
    assert.notDeepEqual(a.frames[5], c.frames[5]);
    const texture = valueNoise(rng(10), 128);
    const p = panVideo({ rng: rng(11), texture, frames: 30 }),
      q = panVideo({ rng: rng(11), texture, frames: 30 });
    assert.deepEqual(p.changes, q.changes);
    assert.deepEqual(Array.from(p.frames[29]), Array.from(q.frames[29]));
  });
  it("keeps a lone digit whole inside the frame and lists its bounces", () => {
    const v = movingMnist({ rng: rng(12), digits, frames: 60 });
    const mass = (f: Float32Array) => f.reduce((s, x) => s + x, 0);
    v.frames.forEach((f) => assert.equal(mass(f), mass(v.frames[0])));
    assert.ok(v.changes.length > 0, "60 frames at speed ≥ 1 in a 36-px range must bounce");
  });
  it("pans by fractions of a pixel with piecewise-constant velocity, listing each new segment as a change", () => {
    const texture = valueNoise(rng(13), 160);
    const v = panVideo({ rng: rng(14), texture, frames: 60, segment: [10, 10], speed: [0.3, 0.6] });
    // segments of 10 frames: new velocities enter at t = 11, 21, …; reflections (if any) add more
    for (const t of [11, 21, 31, 41, 51]) assert.ok(v.changes.includes(t), `${v.changes}`);
    // the pan moves less than a pixel per frame: consecutive frames differ, but by little
    const d = v.frames[1].reduce((s, x, i) => s + Math.abs(x - v.frames[0][i]), 0) / v.frames[0].length;
    assert.ok(d > 0 && d < 0.05, `${d}`);
    assert.ok(texture.image.every((x) => x >= 0.1 - 1e-6 && x <= 0.9 + 1e-6));
    assert.equal(Math.fround(texture.at(5, 7)), texture.image[5 * 160 + 7]);
  });
});

describe("video/scheme", () => {
  it("on a constant video predicts everything after the two keyframes", () => {
    const img = valueNoiseTexture(rng(15), 32),
      v = constantVideo(img, 32, 32, 30);
    const r = predictiveCode(v, { quality: 50, threshold: 30 });
    assert.equal(r.isKey.filter(Boolean).length, 2);
    assert.deepEqual(r.restarts, []);
    const c = encodeFrame(img, 32, 32, 50);
    // header + two keyframes + ⌈28/5⌉ = 6 counts of 3 bits
    assert.equal(r.bits, 8 + 2 * c.bits + 6 * countBitsFor(5));
    assert.ok(r.bpp < allKeyframes(v, 50).bpp / 10);
  });
  it("the receiver rebuilds the encoder's frames from the counted messages alone", () => {
    const r0 = rng(16),
      byClass = mnistByClass(),
      digits = [3, 7].map((k) => byClass[k].slice(0, 784));
    const v = movingMnist({ rng: r0, digits, frames: 40 });
    const r = predictiveCode(v, { quality: 40, threshold: 22 });
    assert.ok(r.restarts.length > 0 && r.isKey.some((k) => !k), "the test needs both restarts and predictions");
    const rec = decodePredictive(r.messages, 64, 64, 40, 40);
    assert.deepEqual(
      rec.map((f) => Array.from(f)),
      r.recon.map((f) => Array.from(f)),
    );
    // every accepted predicted frame meets the threshold
    r.isKey.forEach((k, t) => {
      if (!k) assert.ok(r.psnr[t] >= 22);
    });
  });
});

describe("video/inter (the motion-compensated baseline)", () => {
  const texture = valueNoise(rng(40), 128),
    pan = panVideo({ rng: rng(41), texture, frames: 12 });
  it("decodes its own stream exactly, and counts the stream's bytes", () => {
    for (const motion of ["quarter", "none"] as const) {
      const r = interCode(pan, { quality: 20, motion });
      const rec = interDecode(r.messages, 64, 64, 12, 20);
      assert.deepEqual(
        rec.map((f) => Array.from(f)),
        r.recon.map((f) => Array.from(f)),
      );
      assert.equal(r.bits, 8 + r.messages.reduce((s, m) => s + (m.kind === "count" ? 0 : 8 * m.bytes.length), 0));
    }
  });
  it("beats coding every frame as a keyframe, and sends motion vectors where they pay", () => {
    const withMv = interCode(pan, { quality: 40 }),
      noMv = interCode(pan, { quality: 40, motion: "none" }),
      intra = allKeyframes(pan, 40);
    assert.ok(withMv.bpp < intra.bpp / 2, `${withMv.bpp} vs ${intra.bpp}`);
    assert.ok(withMv.bpp < noMv.bpp, `${withMv.bpp}/${withMv.meanPsnr} vs ${noMv.bpp}/${noMv.meanPsnr}`);
    assert.ok(withMv.vectors.slice(1).some((v) => v.some((x) => x !== 0)));
  });
  it("uses the JM multiplier: λ = 0.85·2^((QP−12)/3) with QP = 6·log2(Q/0.625) (Q = 20: QP = 30, λ = 0.85·2⁶)", () => {
    const T = Float64Array.from({ length: 64 }, () => 20);
    assert.ok(Math.abs(lagrangian(T) - 0.85 * 2 ** 6) < 1e-9);
  });
});

describe("video/stats", () => {
  it("counts hits within ±w of a change against the chance rate", () => {
    // frames 2..11 eligible (10); change at 6 → frames 4..8 near (5): chance 0.5; restarts 5 (hit) and 10 (miss)
    const c = restartClustering([{ restarts: [5, 10], changes: [6], frames: 12 }], 2);
    assert.deepEqual([c.restarts, c.hits, c.chance, c.hitRate], [2, 1, 0.5, 0.5]);
    assert.ok(Math.abs(c.pValue - 0.75) < 1e-12);
  });
});

describe("video/rate-quality", () => {
  it("keeps the Pareto front and interpolates log-bpp", () => {
    const f = paretoFront([
      { bpp: 0.1, quality: 20 },
      { bpp: 0.4, quality: 30 },
      { bpp: 0.2, quality: 19 },
      { bpp: 0.05, quality: 10 },
    ]);
    assert.deepEqual(
      f.map((p) => p.bpp),
      [0.05, 0.1, 0.4],
    );
    assert.ok(Math.abs(bppAtQuality(f, 25) - 0.2) < 1e-12); // geometric mean of 0.1 and 0.4
    assert.ok(Number.isNaN(bppAtQuality(f, 31)));
  });
  it("BD-rate: a curve with half the bits at every quality is −50%, over the overlap of the two fronts", () => {
    const anchor = [
      { bpp: 0.1, quality: 20 },
      { bpp: 0.2, quality: 25 },
      { bpp: 0.4, quality: 30 },
    ];
    const half = [...anchor.map((p) => ({ bpp: p.bpp / 2, quality: p.quality })), { bpp: 0.3, quality: 35 }];
    const r = bdRate(anchor, half);
    assert.ok(Math.abs(r.rate + 0.5) < 1e-9 && r.from === 20 && r.to === 30, JSON.stringify(r));
    assert.ok(Math.abs(bdRate(half, anchor).rate - 1) < 1e-9);
    assert.ok(Number.isNaN(bdRate(anchor, [{ bpp: 1, quality: 40 }]).rate));
  });
});

describe("video/stats: pooled BD-rate", () => {
  it("pools in logs: −50% twice is −50%, +100% and −50% cancel", () => {
    assert.ok(Math.abs(pooledBdRate([-0.5, -0.5]).rate + 0.5) < 1e-12);
    assert.ok(Math.abs(pooledBdRate([1, -0.5]).rate) < 1e-12);
    const p = pooledBdRate([-0.4, -0.5, -0.6]);
    assert.ok(p.ci95[0] < p.rate && p.rate < p.ci95[1]);
  });
});
