/**
 * Keyframe codec: JPEG-style intra coding (Wallace 1992) with a CABAC-like adaptive binary arithmetic coder
 * (Marpe, Schwarz & Wiegand 2003) in place of Huffman tables. Pixels in [0,1] are mapped to 255·x − 128, each
 * 8×8 block is DCT-transformed and divided by the JPEG luminance table scaled by a quality q ∈ [1,100]
 * (libjpeg's rule: s = 5000/q for q < 50, 200 − 2q otherwise), and levels are rounded with a dead zone
 * (ℓ = sign(c)·⌊|c|/T + 1/3⌋, as in H.264 intra). The DC level is coded as a difference from the previous block,
 * AC levels as a significance map in zig-zag order with "last" flags; every bin is arithmetic-coded.
 * The reported bit count is the length of the byte stream that `decodeFrame` reads back.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import { BLOCK, ZIGZAG, dct8, getBlock, idct8, setBlock } from "./dct";
import { type BinCoder, RangeDecoder, RangeEncoder } from "./rangecoder";

/** JPEG Annex K luminance quantisation table (quality 50), raster order. */
export const JPEG_LUMA = Int32Array.from([
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
  87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
]);

/** Quantiser steps for quality q (libjpeg scaling, no upper clamp so that very low rates stay reachable). */
export function quantTable(q: number): Float64Array {
  if (!(q >= 1 && q <= 100)) throw new Error(`quality must be in [1, 100], got ${q}`);
  const s = q < 50 ? 5000 / q : 200 - 2 * q;
  return Float64Array.from(JPEG_LUMA, (t) => Math.max(1, Math.floor((t * s + 50) / 100)));
}

// Context layout of the adaptive models of one block (offset by a base, so that intra and inter blocks adapt apart).
const DCZ = 0,
  DCS = 1,
  DCM = 2,
  ACANY = 18,
  SIG = 19,
  LAST = 35,
  GT1 = 51,
  ACM = 67;
/** Adaptive contexts used by one set of block models (`codeLevels` with a given base uses base … base + 82). */
export const BLOCK_CONTEXTS = 83;
const band = (i: number) => (i <= 10 ? i - 1 : Math.min(15, 10 + ((i - 11) >> 3)));

/** Exp-Golomb (order 0) binarisation of v ≥ 0: 16 adaptive prefix contexts from `base`, raw suffix bits; the same
 *  call encodes v (encoder) or returns the decoded value (decoder). */
export function codeUEG(c: BinCoder, base: number, v: number): number {
  const n = v > 0 ? Math.floor(Math.log2(v + 1)) : 0;
  let k = 0;
  while (c.bit(base + Math.min(k, 15), k < n ? 1 : 0) === 1) k++;
  let s = 0;
  for (let j = k - 1; j >= 0; j--) s = s * 2 + c.raw(Math.floor((v + 1) / 2 ** j) & 1);
  return 2 ** k + s - 1;
}

/**
 * One block's 64 levels (zig-zag order), contexts from `base`: the DC as a difference from `prevDC` (pass 0 for a
 * residual block), then the AC significance map with "last" flags. The same routine encodes (reads lv) and
 * decodes (fills lv); it returns the block's DC level.
 */
export function codeLevels(c: BinCoder, lv: Int32Array, prevDC: number, base = 0): number {
  const d = lv[0] - prevDC;
  let dc = prevDC;
  if (c.bit(base + DCZ, d !== 0 ? 1 : 0)) {
    const neg = c.bit(base + DCS, d < 0 ? 1 : 0);
    const mag = 1 + codeUEG(c, base + DCM, Math.abs(d) - 1);
    dc = prevDC + (neg ? -mag : mag);
  }
  lv[0] = dc;
  let last = 0;
  for (let i = 63; i >= 1; i--)
    if (lv[i] !== 0) {
      last = i;
      break;
    }
  if (c.bit(base + ACANY, last > 0 ? 1 : 0)) {
    for (let i = 1; i <= 63; i++) {
      const b = band(i);
      if (c.bit(base + SIG + b, lv[i] !== 0 ? 1 : 0)) {
        const a = Math.abs(lv[i]);
        const mag = c.bit(base + GT1 + b, a > 1 ? 1 : 0) ? 2 + codeUEG(c, base + ACM, a - 2) : 1;
        lv[i] = c.raw(lv[i] < 0 ? 1 : 0) ? -mag : mag;
        if (i === 63 || c.bit(base + LAST + b, i === last ? 1 : 0)) {
          for (let j = i + 1; j <= 63; j++) lv[j] = 0;
          break;
        }
      } else lv[i] = 0;
    }
  } else for (let i = 1; i <= 63; i++) lv[i] = 0;
  return dc;
}

/** Dead-zone quantisation of one block's DCT coefficients y (raster order) by steps T: zig-zag levels
 *  ℓ = sign(y)·⌊|y|/T + θ⌋, θ = 1/3 for intra blocks and 1/6 for inter residuals (the H.264 reference encoder's offsets). */
export function quantiseBlock(
  y: ArrayLike<number>,
  T: ArrayLike<number>,
  theta: number,
  out = new Int32Array(64),
): Int32Array {
  for (let i = 0; i < 64; i++) {
    const r = ZIGZAG[i];
    out[i] = Math.sign(y[r]) * Math.floor(Math.abs(y[r]) / T[r] + theta);
  }
  return out;
}

/** Dequantised coefficients (raster order) of zig-zag levels: y = ℓ·T. */
export function dequantiseBlock(
  levels: ArrayLike<number>,
  T: ArrayLike<number>,
  out = new Float64Array(64),
): Float64Array {
  for (let i = 0; i < 64; i++) out[ZIGZAG[i]] = levels[i] * T[ZIGZAG[i]];
  return out;
}

/** Quantised levels of a frame: one Int32Array of 64 zig-zag levels per 8×8 block, blocks in raster order. */
export function quantiseFrame(img: ArrayLike<number>, H: number, W: number, q: number): Int32Array {
  if (H % BLOCK || W % BLOCK) throw new Error(`frame ${H}×${W} must be a multiple of 8`);
  const T = quantTable(q),
    nb = (H / 8) * (W / 8),
    out = new Int32Array(nb * 64);
  let k = 0;
  for (let by = 0; by < H / 8; by++)
    for (let bx = 0; bx < W / 8; bx++, k++) {
      const blk = getBlock(img, W, by, bx);
      for (let i = 0; i < 64; i++) blk[i] = 255 * blk[i] - 128;
      quantiseBlock(dct8(blk), T, 1 / 3, out.subarray(k * 64, (k + 1) * 64));
    }
  return out;
}

/** Reconstruction from levels: dequantise, inverse DCT, map back to [0,1] and clip. */
export function dequantiseFrame(levels: Int32Array, H: number, W: number, q: number): Float32Array {
  const T = quantTable(q),
    img = new Float32Array(H * W),
    y = new Float64Array(64);
  let k = 0;
  for (let by = 0; by < H / 8; by++)
    for (let bx = 0; bx < W / 8; bx++, k++) {
      const x = idct8(dequantiseBlock(levels.subarray(k * 64, (k + 1) * 64), T, y));
      for (let i = 0; i < 64; i++) x[i] = Math.min(1, Math.max(0, (x[i] + 128) / 255));
      setBlock(img, W, by, bx, x);
    }
  return img;
}

/** A coded keyframe: the byte stream, its exact size in bits, the decoder's reconstruction and the levels. */
export interface CodedFrame {
  bytes: Uint8Array;
  bits: number;
  recon: Float32Array;
  levels: Int32Array;
}

/** Encodes one frame at quality q; `bits` = 8 × stream length, an upper bound on the information sent. */
export function encodeFrame(img: ArrayLike<number>, H: number, W: number, q: number): CodedFrame {
  const levels = quantiseFrame(img, H, W, q);
  const enc = new RangeEncoder(BLOCK_CONTEXTS),
    blk = new Int32Array(64);
  let prev = 0;
  for (let k = 0; k < levels.length / 64; k++) {
    blk.set(levels.subarray(k * 64, (k + 1) * 64));
    prev = codeLevels(enc, blk, prev);
  }
  const bytes = enc.finish();
  return { bytes, bits: 8 * bytes.length, recon: dequantiseFrame(levels, H, W, q), levels };
}

/** Decodes a stream written by `encodeFrame` (same H, W, q) into levels and the reconstruction. */
export function decodeFrame(
  bytes: Uint8Array,
  H: number,
  W: number,
  q: number,
): { recon: Float32Array; levels: Int32Array } {
  const nb = (H / 8) * (W / 8),
    levels = new Int32Array(nb * 64),
    dec = new RangeDecoder(bytes, BLOCK_CONTEXTS),
    blk = new Int32Array(64);
  let prev = 0;
  for (let k = 0; k < nb; k++) {
    blk.fill(0);
    prev = codeLevels(dec, blk, prev);
    levels.set(blk, k * 64);
  }
  return { recon: dequantiseFrame(levels, H, W, q), levels };
}
