/**
 * An event-camera-style MNIST: each digit is moved along a small triangular saccade (as the N-MNIST recordings were
 * made: Orchard, Jayawant, Cohen & Thakor 2015, doi:10.3389/fnins.2015.00437) and a simulated dynamic vision sensor
 * emits an ON event where the brightness rises by more than θ between two consecutive frames and an OFF event where
 * it falls by more than θ:
 *   ON_k(p) = [I_k(p) − I_{k−1}(p) > θ],   OFF_k(p) = [I_{k−1}(p) − I_k(p) > θ]
 * Frames are taken at `substeps` per time bin and a pixel's events within a bin are merged (at most one per
 * polarity per bin), giving T binary frames with two channels. Linear intensity, not log intensity as a real DVS
 * uses, because MNIST backgrounds are exactly zero. A stand-in for DVS128 Gesture, which cannot be downloaded here.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import type { Rng } from "../rng";
import type { ImageSet } from "../data";
import type { SeqSet } from "./tasks";

/** The image `img` (side×side, row-major) shifted by (dx, dy) pixels with bilinear interpolation onto a canvas×canvas grid, top-left at (ox, oy). */
export function shiftBilinear(
  img: ArrayLike<number>,
  side: number,
  canvas: number,
  ox: number,
  oy: number,
): Float32Array {
  const out = new Float32Array(canvas * canvas);
  const px = (r: number, c: number) => (r >= 0 && r < side && c >= 0 && c < side ? img[r * side + c] : 0);
  for (let r = 0; r < canvas; r++)
    for (let c = 0; c < canvas; c++) {
      const sr = r - oy,
        sc = c - ox; // source coordinates
      const r0 = Math.floor(sr),
        c0 = Math.floor(sc),
        fr = sr - r0,
        fc = sc - c0;
      out[r * canvas + c] =
        (1 - fr) * ((1 - fc) * px(r0, c0) + fc * px(r0, c0 + 1))
        + fr * ((1 - fc) * px(r0 + 1, c0) + fc * px(r0 + 1, c0 + 1));
    }
  return out;
}

/** DVS events between two frames: on[p] = 1 where next − prev > θ, off[p] = 1 where prev − next > θ. */
export function frameEvents(
  prev: ArrayLike<number>,
  next: ArrayLike<number>,
  theta: number,
): { on: Uint8Array; off: Uint8Array } {
  const on = new Uint8Array(prev.length),
    off = new Uint8Array(prev.length);
  for (let i = 0; i < prev.length; i++) {
    const d = next[i] - prev[i];
    if (d > theta) on[i] = 1;
    else if (-d > theta) off[i] = 1;
  }
  return { on, off };
}

/** 2×2 average downsampling of a side×side image (side even). */
export function downsample2(img: ArrayLike<number>, side: number): Float32Array {
  const s = side / 2,
    out = new Float32Array(s * s);
  for (let r = 0; r < s; r++)
    for (let c = 0; c < s; c++)
      out[r * s + c] =
        (img[2 * r * side + 2 * c]
          + img[2 * r * side + 2 * c + 1]
          + img[(2 * r + 1) * side + 2 * c]
          + img[(2 * r + 1) * side + 2 * c + 1])
        / 4;
  return out;
}

/** Options of the saccade generator. */
export interface SaccadeOptions {
  /** Time bins. */
  T: number;
  /** Saccade amplitude in pixels (of the possibly downsampled digit); default 2. */
  amplitude?: number;
  /** Frames per bin (default 4). */
  substeps?: number;
  /** Event threshold θ on the brightness change (default 0.1). */
  threshold?: number;
  /** Downsample the 28×28 digit by 2 first (14×14), for a cheaper network (default false). */
  half?: boolean;
  /** Probability of a spurious event per pixel, polarity and bin (sensor noise; default 0). */
  noise?: number;
  rng?: Rng;
}

/** An event dataset: x is n × T × (side·side·2), per bin the ON and OFF maps interleaved as channels-last [side, side, 2]. */
export interface EventSet extends SeqSet {
  side: number;
}

/**
 * Converts digits into event streams: the digit moves along the triangle (0,0) → (A/2, A) → (A, 0) → (0,0) over the
 * T·substeps frames, each frame difference is thresholded into ON/OFF events, and the events are binned into T steps.
 */
export function saccadeEvents(set: ImageSet, o: SaccadeOptions): EventSet {
  const A = o.amplitude ?? 2,
    m = o.substeps ?? 4,
    theta = o.threshold ?? 0.1,
    noise = o.noise ?? 0;
  if (noise > 0 && !o.rng) throw new Error("saccadeEvents: sensor noise needs an rng");
  const side = o.half ? set.side / 2 : set.side;
  const canvas = side + Math.ceil(A) + 2;
  const F = o.T * m; // frame differences; frame 0 is the start position
  const verts = [
    [0, 0],
    [A / 2, A],
    [A, 0],
    [0, 0],
  ];
  const pos = (k: number) => {
    // position after k of F steps along the closed triangle (three equal segments in time)
    const u = (3 * k) / F,
      s = Math.min(2, Math.floor(u)),
      f = u - s;
    return [verts[s][0] + f * (verts[s + 1][0] - verts[s][0]), verts[s][1] + f * (verts[s + 1][1] - verts[s][1])];
  };
  const c = canvas * canvas * 2;
  const x = new Float32Array(set.n * o.T * c);
  for (let i = 0; i < set.n; i++) {
    const raw = set.x.subarray(i * set.side * set.side, (i + 1) * set.side * set.side);
    const img = o.half ? downsample2(raw, set.side) : raw;
    let prev = shiftBilinear(img, side, canvas, 1 + pos(0)[0], 1 + pos(0)[1]);
    for (let k = 1; k <= F; k++) {
      const [dx, dy] = pos(k);
      const next = shiftBilinear(img, side, canvas, 1 + dx, 1 + dy);
      const ev = frameEvents(prev, next, theta);
      const base = (i * o.T + Math.floor((k - 1) / m)) * c;
      for (let p = 0; p < canvas * canvas; p++) {
        if (ev.on[p]) x[base + 2 * p] = 1;
        if (ev.off[p]) x[base + 2 * p + 1] = 1;
      }
      prev = next;
    }
    if (noise > 0) for (let j = i * o.T * c; j < (i + 1) * o.T * c; j++) if (o.rng!.uniform() < noise) x[j] = 1;
  }
  return { x, y: set.y, n: set.n, T: o.T, c, classes: 10, side: canvas };
}
