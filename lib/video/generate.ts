/**
 * Seeded synthetic videos with known motion: Moving MNIST (Srivastava, Mansimov & Salakhutdinov 2015: digits
 * gliding at constant velocity, bouncing off the frame edges, composited by max) and a camera panning over a
 * procedural still (value noise, Perlin 1985 style) with piecewise-constant velocity. Each video also lists the
 * frames where the motion changes: t is a change when some object's displacement from t−1 to t differs from its
 * displacement from t−2 to t−1.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import { Rng } from "../rng";

/** A grey-level video: frames of H×W in [0,1], and the frames at which the motion changes. */
export interface Video { frames: Float32Array[]; H: number; W: number; changes: number[] }

function changeFrames(paths: [number, number][][]): number[] {
  const T = paths[0].length, out: number[] = [];
  for (let t = 2; t < T; t++)
    if (paths.some((p) => p[t][0] - p[t - 1][0] !== p[t - 1][0] - p[t - 2][0] || p[t][1] - p[t - 1][1] !== p[t - 1][1] - p[t - 2][1])) out.push(t);
  return out;
}

/**
 * Moving MNIST: `digits` 28×28 images glide in a size×size frame with integer velocities (each axis
 * ±1…±maxSpeed), reflecting at the borders; overlapping digits are combined by max.
 */
export function movingMnist(opts: { rng: Rng; digits: Float32Array[]; frames: number; size?: number; maxSpeed?: number }): Video {
  const { rng, digits, frames } = opts, S = opts.size ?? 64, vmax = opts.maxSpeed ?? 3, D = 28, lim = S - D;
  const paths: [number, number][][] = digits.map(() => {
    let y = rng.int(lim + 1), x = rng.int(lim + 1);
    const sp = () => (1 + rng.int(vmax)) * (rng.bernoulli(0.5) ? 1 : -1);
    let vy = sp(), vx = sp();
    const p: [number, number][] = [];
    for (let t = 0; t < frames; t++) {
      p.push([y, x]);
      y += vy; x += vx;
      if (y < 0) { y = -y; vy = -vy; } else if (y > lim) { y = 2 * lim - y; vy = -vy; }
      if (x < 0) { x = -x; vx = -vx; } else if (x > lim) { x = 2 * lim - x; vx = -vx; }
    }
    return p;
  });
  const out: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const f = new Float32Array(S * S);
    digits.forEach((d, k) => {
      const [y0, x0] = paths[k][t];
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) { const o = (y0 + i) * S + x0 + j; f[o] = Math.max(f[o], d[i * D + j]); }
    });
    out.push(f);
  }
  return { frames: out, H: S, W: S, changes: changeFrames(paths) };
}

/** A smooth random still of side n: value noise summed over octaves (lattice 32, 16, 8, 4 px, amplitude ∝ lattice),
 *  smoothstep-interpolated and rescaled to [0.1, 0.9]. */
export function valueNoiseTexture(rng: Rng, n: number, cells = [32, 16, 8, 4]): Float32Array {
  const img = new Float64Array(n * n);
  for (const c of cells) {
    const g = Math.ceil(n / c) + 2, lat = rng.uniformArray(g * g);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      const gy = y / c, gx = x / c, iy = Math.floor(gy), ix = Math.floor(gx);
      const sy = gy - iy, sx = gx - ix, wy = sy * sy * (3 - 2 * sy), wx = sx * sx * (3 - 2 * sx);
      const a = lat[iy * g + ix], b = lat[iy * g + ix + 1], cc = lat[(iy + 1) * g + ix], d = lat[(iy + 1) * g + ix + 1];
      img[y * n + x] += c * ((a * (1 - wx) + b * wx) * (1 - wy) + (cc * (1 - wx) + d * wx) * wy);
    }
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of img) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return Float32Array.from(img, (v) => 0.1 + (0.8 * (v - lo)) / (hi - lo));
}

/**
 * A size×size window panning over a still (side `T`): the velocity (integer, each axis in −maxSpeed…maxSpeed, not
 * both 0) is redrawn every `segment` frames (uniform in [min, max]); the window reflects at the still's edges.
 */
export function panVideo(opts: { rng: Rng; still: Float32Array; stillSide: number; frames: number; size?: number; maxSpeed?: number; segment?: [number, number] }): Video {
  const { rng, still, stillSide: T, frames } = opts, S = opts.size ?? 64, vmax = opts.maxSpeed ?? 2, [smin, smax] = opts.segment ?? [8, 16];
  const lim = T - S;
  let y = rng.int(lim + 1), x = rng.int(lim + 1), vy = 0, vx = 0, left = 0;
  const path: [number, number][] = [], out: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    path.push([y, x]);
    const f = new Float32Array(S * S);
    for (let i = 0; i < S; i++) f.set(still.subarray((y + i) * T + x, (y + i) * T + x + S), i * S);
    out.push(f);
    if (left-- <= 0) {
      do { vy = rng.int(2 * vmax + 1) - vmax; vx = rng.int(2 * vmax + 1) - vmax; } while (vy === 0 && vx === 0);
      left = smin + rng.int(smax - smin + 1) - 1;
    }
    y += vy; x += vx;
    if (y < 0) { y = -y; vy = -vy; } else if (y > lim) { y = 2 * lim - y; vy = -vy; }
    if (x < 0) { x = -x; vx = -vx; } else if (x > lim) { x = 2 * lim - x; vx = -vx; }
  }
  return { frames: out, H: S, W: S, changes: changeFrames([path]) };
}

/** A video whose every frame is the same image (the predictor's trivial case). */
export function constantVideo(img: Float32Array, H: number, W: number, frames: number): Video {
  return { frames: Array.from({ length: frames }, () => img.slice()), H, W, changes: [] };
}
