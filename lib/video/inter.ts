/**
 * The classical baseline the paper compares against, in the small: a motion-compensated P-frame codec in the
 * manner of H.264 (ITU-T H.264; Wiegand, Sullivan, Bjøntegaard & Luthra 2003) as the paper's baselines run it
 * (ffmpeg libx264/libx265 with `-tune zerolatency` in the official repository's `benchmark/bench.py`: no B-frames,
 * so every frame after the first is predicted from the one before).
 *
 * Frame 0 is a keyframe (`encodeFrame`). Each later frame is coded from the previous *decoded* frame, per 8×8 block:
 * - a motion vector m in quarter-pel units, predicted by the median of the left, top and top-right blocks' vectors
 *   (H.264 §8.4.1.3, simplified: missing neighbours count as 0, the first row takes the left vector), and the
 *   prediction pred(p) = ref(p + m/4) interpolated as H.264 does (`interp.ts`);
 * - the residual's DCT, quantised with the keyframes' table and H.264's inter dead zone (θ = 1/6), coded by the
 *   keyframes' binarisation with contexts of its own;
 * - or a skip flag (H.264's P_Skip): m = the predicted vector and no residual.
 * The encoder searches integer vectors within ±2 pels of three centres (the median predictor, zero and the
 * co-located vector of the previous frame, as fast H.264 encoders do), then refines to half and quarter pels,
 * minimising SAD + λ_m·R(m − mvp); it then picks skip, "mvp + residual" or "searched vector + residual" by
 * D + λ·R with the JM reference encoder's λ = 0.85·2^((QP−12)/3) (QP from the quantiser step) and
 * λ_m = √λ. All P-frames share one arithmetic-coded stream (contexts adapt across frames), so its bits are the
 * length of a stream `interDecode` reads back. No deblocking filter, no intra blocks in P-frames, one reference.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import {
  BLOCK_CONTEXTS,
  codeLevels,
  codeUEG,
  decodeFrame,
  dequantiseBlock,
  encodeFrame,
  quantTable,
  quantiseBlock,
} from "./codec";
import { dct8, idct8 } from "./dct";
import type { Video } from "./generate";
import { halfPelPlane, predictBlock, type HalfPelPlane } from "./interp";
import { type BinCoder, RangeDecoder, RangeEncoder } from "./rangecoder";
import { codingResult, type CodeResult, type Message } from "./scheme";

/** How the baseline finds its motion vectors. */
export type MotionSearch = "quarter" | "integer" | "none";

export interface InterOptions {
  /** Quality q ∈ [1, 100] of the keyframe and of the residual quantiser. */
  quality: number;
  /** Quarter-pel search (default), whole pels only, or no motion at all (every vector 0: the control). */
  motion?: MotionSearch;
  /** Multiplies the encoder's Lagrange multipliers (default 1). */
  lambdaScale?: number;
}

// Contexts of the P-frame stream: skip flag by skipped neighbours (0–2), a zero flag and Exp-Golomb magnitudes
// per vector component, then the residual block models.
const SKIP = 0,
  MVZ = 3,
  MVM = 5,
  RES = MVM + 32,
  N_CTX = RES + BLOCK_CONTEXTS;

/** The median vector predictor of block (by, bx) from the vectors already decided (H.264 §8.4.1.3, simplified). */
function mvPredictor(mv: Int32Array, nbx: number, by: number, bx: number): [number, number] {
  const get = (y: number, x: number): [number, number] | null =>
    y < 0 || x < 0 || x >= nbx ? null : [mv[(y * nbx + x) * 2], mv[(y * nbx + x) * 2 + 1]];
  const A = get(by, bx - 1),
    B = get(by - 1, bx),
    C = get(by - 1, bx + 1) ?? get(by - 1, bx - 1);
  if (!B && !C) return A ?? [0, 0];
  const a = A ?? [0, 0],
    b = B ?? [0, 0],
    c = C ?? [0, 0];
  const med = (x: number, y: number, z: number) => Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
  return [med(a[0], b[0], c[0]), med(a[1], b[1], c[1])];
}

/** One vector difference component: zero flag, sign (raw bit), |d| − 1 in Exp-Golomb; encodes or decodes. */
function codeMvd(c: BinCoder, comp: number, d: number): number {
  if (!c.bit(MVZ + comp, d !== 0 ? 1 : 0)) return 0;
  const neg = c.raw(d < 0 ? 1 : 0);
  const mag = 1 + codeUEG(c, MVM + 16 * comp, Math.abs(d) - 1);
  return neg ? -mag : mag;
}

/** Approximate bits of a vector difference (Exp-Golomb lengths), for the encoder's decisions. */
const mvdBits = (dy: number, dx: number) =>
  [dy, dx].reduce((s, d) => s + (d === 0 ? 1 : 2 + 2 * Math.floor(Math.log2(Math.abs(d))) + 1), 0);

/** Approximate bits of a block's levels: 2 for an empty block, else per nonzero level 3 + 2·log2(|ℓ|+1), ½ per zero run entry. */
function levelBits(lv: Int32Array): number {
  let last = -1;
  for (let i = 63; i >= 0; i--)
    if (lv[i] !== 0) {
      last = i;
      break;
    }
  if (last < 0) return 2;
  let b = 2;
  for (let i = 0; i <= last; i++) b += lv[i] === 0 ? 0.5 : 3 + 2 * Math.log2(Math.abs(lv[i]) + 1);
  return b;
}

/** A reference frame prepared for block matching: its half-pel plane and an edge-padded copy for whole pels. */
interface Reference {
  plane: HalfPelPlane;
  pad: Float32Array;
  P: number;
  PW: number;
}

function reference(img: Float32Array, H: number, W: number): Reference {
  const P = 16,
    PW = W + 2 * P,
    pad = new Float32Array((H + 2 * P) * PW);
  for (let y = -P; y < H + P; y++)
    for (let x = -P; x < W + P; x++)
      pad[(y + P) * PW + x + P] = img[Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))];
  return { plane: halfPelPlane(img, H, W), pad, P, PW };
}

/** SAD (in [0,1] units) of the 8×8 block at (y, x) of cur against ref displaced by the quarter-pel vector m. */
function sad(
  cur: Float32Array,
  W: number,
  ref: Reference,
  y: number,
  x: number,
  my: number,
  mx: number,
  scratch: Float64Array,
  bound: number,
): number {
  let s = 0;
  if ((my & 3) === 0 && (mx & 3) === 0 && Math.abs(my >> 2) < ref.P - 8 && Math.abs(mx >> 2) < ref.P - 8) {
    const oy = y + (my >> 2) + ref.P,
      ox = x + (mx >> 2) + ref.P;
    for (let i = 0; i < 8; i++) {
      const rc = (y + i) * W + x,
        rr = (oy + i) * ref.PW + ox;
      for (let j = 0; j < 8; j++) s += Math.abs(cur[rc + j] - ref.pad[rr + j]);
      if (s > bound) return s;
    }
    return s;
  }
  predictBlock(ref.plane, y, x, my, mx, 8, scratch);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) s += Math.abs(cur[(y + i) * W + x + j] - scratch[i * 8 + j]);
  return s;
}

/** The encoder's motion search for one block (see the module comment); returns the vector in quarter pels. */
function searchBlock(
  cur: Float32Array,
  W: number,
  ref: Reference,
  y: number,
  x: number,
  mvp: [number, number],
  colocated: [number, number],
  mode: MotionSearch,
  lamM: number,
  scratch: Float64Array,
): [number, number] {
  if (mode === "none") return [0, 0];
  const cost = (my: number, mx: number, bound: number) =>
    255 * sad(cur, W, ref, y, x, my, mx, scratch, bound / 255) + lamM * mvdBits(my - mvp[0], mx - mvp[1]);
  let best: [number, number] = [0, 0],
    bestCost = Infinity;
  const tried = new Set<number>();
  const consider = (my: number, mx: number) => {
    const key = (my + 512) * 1024 + mx + 512;
    if (tried.has(key)) return;
    tried.add(key);
    const c = cost(my, mx, bestCost);
    if (c < bestCost) {
      bestCost = c;
      best = [my, mx];
    }
  };
  const round4 = (v: number) => 4 * Math.round(v / 4);
  for (const [cy, cx] of [
    [round4(mvp[0]), round4(mvp[1])],
    [0, 0],
    [round4(colocated[0]), round4(colocated[1])],
  ])
    for (let dy = -8; dy <= 8; dy += 4) for (let dx = -8; dx <= 8; dx += 4) consider(cy + dy, cx + dx);
  if (mode === "quarter")
    for (const step of [2, 1]) {
      const [by, bx] = best;
      for (let dy = -step; dy <= step; dy += step)
        for (let dx = -step; dx <= step; dx += step) consider(by + dy, bx + dx);
    }
  return best;
}

/** Residual coding of one block given its prediction: levels and the reconstructed block (clipped to [0, 1]). */
function codeResidual(
  cur: Float32Array,
  W: number,
  y: number,
  x: number,
  pred: Float64Array,
  T: Float64Array,
): { levels: Int32Array; recon: Float64Array; sse: number } {
  const r = new Float64Array(64);
  for (let i = 0; i < 8; i++)
    for (let j = 0; j < 8; j++) r[i * 8 + j] = 255 * (cur[(y + i) * W + x + j] - pred[i * 8 + j]);
  const levels = quantiseBlock(dct8(r), T, 1 / 6);
  const back = idct8(dequantiseBlock(levels, T));
  const recon = new Float64Array(64);
  let sse = 0;
  for (let i = 0; i < 64; i++) {
    recon[i] = Math.min(1, Math.max(0, pred[i] + back[i] / 255));
    const d = 255 * (cur[(y + (i >> 3)) * W + x + (i & 7)] - recon[i]);
    sse += d * d;
  }
  return { levels, recon, sse };
}

const skipCtx = (skip: Uint8Array, nbx: number, by: number, bx: number) =>
  SKIP + (bx > 0 ? skip[by * nbx + bx - 1] : 0) + (by > 0 ? skip[(by - 1) * nbx + bx] : 0);

/**
 * The JM reference encoder's Lagrange multiplier λ = 0.85·2^((QP − 12)/3) for the quantiser step Q of the DC
 * coefficient (QP = 6·log2(Q/0.625), H.264's step–QP relation; pixels on the 0–255 scale). The DC step stands for
 * H.264's flat step: JPEG's table coarsens high frequencies, which hold little of a smooth residual's energy.
 */
export function lagrangian(T: ArrayLike<number>): number {
  const QP = 6 * Math.log2(T[0] / 0.625);
  return 0.85 * 2 ** ((QP - 12) / 3);
}

/** Codes a video as one keyframe and motion-compensated P-frames (the baseline; see the module comment). */
export function interCode(video: Video, opts: InterOptions): CodeResult & { vectors: Int32Array[]; skipped: number } {
  const { H, W, frames } = video,
    q = opts.quality,
    mode = opts.motion ?? "quarter";
  if (H % 8 || W % 8) throw new Error(`frame ${H}×${W} must be a multiple of 8`);
  const T = quantTable(q),
    lam = lagrangian(T) * (opts.lambdaScale ?? 1),
    lamM = Math.sqrt(lam),
    nby = H / 8,
    nbx = W / 8;
  const key = encodeFrame(frames[0], H, W, q);
  const messages: Message[] = [{ kind: "key", bytes: key.bytes }],
    recon: Float32Array[] = [key.recon],
    vectors: Int32Array[] = [new Int32Array(nby * nbx * 2)];
  const enc = new RangeEncoder(N_CTX),
    scratch = new Float64Array(64);
  let skipped = 0;
  for (let t = 1; t < frames.length; t++) {
    const cur = frames[t],
      ref = reference(recon[t - 1], H, W),
      out = new Float32Array(H * W);
    const mv = new Int32Array(nby * nbx * 2),
      skip = new Uint8Array(nby * nbx),
      prev = vectors[t - 1];
    for (let by = 0; by < nby; by++)
      for (let bx = 0; bx < nbx; bx++) {
        const y = by * 8,
          x = bx * 8,
          k = by * nbx + bx,
          mvp = mvPredictor(mv, nbx, by, bx);
        const m = searchBlock(cur, W, ref, y, x, mvp, [prev[2 * k], prev[2 * k + 1]], mode, lamM, scratch);
        // candidates: skip (mvp, no residual), mvp + residual, searched vector + residual
        const pp = predictBlock(ref.plane, y, x, mvp[0], mvp[1]);
        let sseSkip = 0;
        for (let i = 0; i < 64; i++) {
          const d = 255 * (cur[(y + (i >> 3)) * W + x + (i & 7)] - pp[i]);
          sseSkip += d * d;
        }
        const withMvp = codeResidual(cur, W, y, x, pp, T);
        const jSkip = sseSkip + lam * 1,
          jMvp = withMvp.sse + lam * (1 + 2 + levelBits(withMvp.levels));
        let choice: "skip" | "mvp" | "search" = jSkip <= jMvp ? "skip" : "mvp",
          jBest = Math.min(jSkip, jMvp),
          coded = withMvp;
        if (m[0] !== mvp[0] || m[1] !== mvp[1]) {
          const withM = codeResidual(cur, W, y, x, predictBlock(ref.plane, y, x, m[0], m[1]), T);
          const jM = withM.sse + lam * (1 + mvdBits(m[0] - mvp[0], m[1] - mvp[1]) + levelBits(withM.levels));
          if (jM < jBest) {
            choice = "search";
            coded = withM;
          }
        }
        const v = choice === "search" ? m : mvp;
        mv[2 * k] = v[0];
        mv[2 * k + 1] = v[1];
        enc.bit(skipCtx(skip, nbx, by, bx), choice === "skip" ? 1 : 0);
        let block: Float64Array = pp;
        if (choice === "skip") {
          skip[k] = 1;
          skipped++;
        } else {
          codeMvd(enc, 0, v[0] - mvp[0]);
          codeMvd(enc, 1, v[1] - mvp[1]);
          codeLevels(enc, coded.levels.slice(), 0, RES);
          block = coded.recon;
        }
        for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) out[(y + i) * W + x + j] = block[i * 8 + j];
      }
    recon.push(out);
    vectors.push(mv);
  }
  if (frames.length > 1) messages.push({ kind: "inter", bytes: enc.finish() });
  const isKey = frames.map((_, t) => t === 0);
  return { ...codingResult(video, recon, messages, isKey, []), vectors, skipped };
}

/** The baseline's decoder: rebuilds every frame from the keyframe and the P-frame stream alone. */
export function interDecode(messages: Message[], H: number, W: number, F: number, quality: number): Float32Array[] {
  const [k, p] = messages;
  if (k?.kind !== "key") throw new Error("expected a keyframe first");
  const recon = [decodeFrame(k.bytes, H, W, quality).recon];
  if (F === 1) return recon;
  if (p?.kind !== "inter") throw new Error("expected the P-frame stream");
  const T = quantTable(quality),
    nby = H / 8,
    nbx = W / 8,
    dec = new RangeDecoder(p.bytes, N_CTX),
    lv = new Int32Array(64);
  for (let t = 1; t < F; t++) {
    const plane = halfPelPlane(recon[t - 1], H, W),
      out = new Float32Array(H * W);
    const mv = new Int32Array(nby * nbx * 2),
      skip = new Uint8Array(nby * nbx);
    for (let by = 0; by < nby; by++)
      for (let bx = 0; bx < nbx; bx++) {
        const y = by * 8,
          x = bx * 8,
          kk = by * nbx + bx,
          mvp = mvPredictor(mv, nbx, by, bx);
        const isSkip = dec.bit(skipCtx(skip, nbx, by, bx)) === 1;
        let v = mvp;
        if (!isSkip) v = [mvp[0] + codeMvd(dec, 0, 0), mvp[1] + codeMvd(dec, 1, 0)];
        else skip[kk] = 1;
        mv[2 * kk] = v[0];
        mv[2 * kk + 1] = v[1];
        const pred = predictBlock(plane, y, x, v[0], v[1]);
        if (!isSkip) {
          lv.fill(0);
          codeLevels(dec, lv, 0, RES);
          const back = idct8(dequantiseBlock(lv, T));
          for (let i = 0; i < 64; i++) pred[i] = Math.min(1, Math.max(0, pred[i] + back[i] / 255));
        }
        for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) out[(y + i) * W + x + j] = pred[i * 8 + j];
      }
    recon.push(out);
  }
  return recon;
}
