/**
 * Seeded synthetic videos with known motion: Moving MNIST (Srivastava, Mansimov & Salakhutdinov 2015: digits
 * gliding at constant integer velocity, bouncing off the frame edges, composited by max) and a camera panning at
 * sub-pixel speeds over a procedural still (value noise, Perlin 1985 style) with piecewise-constant velocity. Each
 * video also lists the frames where the motion changes: t is a change when the motion from t−1 to t differs from
 * the motion from t−2 to t−1.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import type { Rng } from "../rng";

/** A grey-level video: frames of H×W in [0,1], and the frames at which the motion changes. */
export interface Video {
  frames: Float32Array[];
  H: number;
  W: number;
  changes: number[];
}

function changeFrames(paths: [number, number][][]): number[] {
  const T = paths[0].length,
    out: number[] = [];
  for (let t = 2; t < T; t++)
    if (
      paths.some(
        (p) =>
          p[t][0] - p[t - 1][0] !== p[t - 1][0] - p[t - 2][0] || p[t][1] - p[t - 1][1] !== p[t - 1][1] - p[t - 2][1],
      )
    )
      out.push(t);
  return out;
}

/**
 * Moving MNIST: `digits` 28×28 images glide in a size×size frame with integer velocities (each axis
 * ±1…±maxSpeed), reflecting at the borders; overlapping digits are combined by max.
 */
export function movingMnist(opts: {
  rng: Rng;
  digits: Float32Array[];
  frames: number;
  size?: number;
  maxSpeed?: number;
}): Video {
  const { rng, digits, frames } = opts,
    S = opts.size ?? 64,
    vmax = opts.maxSpeed ?? 3,
    D = 28,
    lim = S - D;
  const paths: [number, number][][] = digits.map(() => {
    let y = rng.int(lim + 1),
      x = rng.int(lim + 1);
    const sp = () => (1 + rng.int(vmax)) * (rng.bernoulli(0.5) ? 1 : -1);
    let vy = sp(),
      vx = sp();
    const p: [number, number][] = [];
    for (let t = 0; t < frames; t++) {
      p.push([y, x]);
      y += vy;
      x += vx;
      if (y < 0) {
        y = -y;
        vy = -vy;
      } else if (y > lim) {
        y = 2 * lim - y;
        vy = -vy;
      }
      if (x < 0) {
        x = -x;
        vx = -vx;
      } else if (x > lim) {
        x = 2 * lim - x;
        vx = -vx;
      }
    }
    return p;
  });
  const out: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const f = new Float32Array(S * S);
    digits.forEach((d, k) => {
      const [y0, x0] = paths[k][t];
      for (let i = 0; i < D; i++)
        for (let j = 0; j < D; j++) {
          const o = (y0 + i) * S + x0 + j;
          f[o] = Math.max(f[o], d[i * D + j]);
        }
    });
    out.push(f);
  }
  return { frames: out, H: S, W: S, changes: changeFrames(paths) };
}

/** A smooth random still defined at every real point: `image` holds its samples on the integer grid (side²). */
export interface Texture {
  side: number;
  image: Float32Array;
  at(y: number, x: number): number;
}

/**
 * Value noise (Perlin 1985 style) of side n: uniform lattice values at spacings 32, 16, 8, 4 px, smoothstep-
 * interpolated, summed with amplitude ∝ spacing, rescaled so that the grid samples span [0.1, 0.9]. `at` evaluates
 * the same continuous field anywhere inside (clipped to [0, 1]), so a pan can move by fractions of a pixel without
 * resampling an image.
 */
export function valueNoise(rng: Rng, n: number, cells = [32, 16, 8, 4]): Texture {
  const octaves = cells.map((c) => {
    const g = Math.ceil(n / c) + 2;
    return { c, g, lat: rng.uniformArray(g * g) };
  });
  const raw = (y: number, x: number) => {
    let v = 0;
    for (const { c, g, lat } of octaves) {
      const gy = y / c,
        gx = x / c,
        iy = Math.floor(gy),
        ix = Math.floor(gx);
      const sy = gy - iy,
        sx = gx - ix,
        wy = sy * sy * (3 - 2 * sy),
        wx = sx * sx * (3 - 2 * sx);
      const a = lat[iy * g + ix],
        b = lat[iy * g + ix + 1],
        cc = lat[(iy + 1) * g + ix],
        d = lat[(iy + 1) * g + ix + 1];
      v += c * ((a * (1 - wx) + b * wx) * (1 - wy) + (cc * (1 - wx) + d * wx) * wy);
    }
    return v;
  };
  const grid = new Float64Array(n * n);
  let lo = Infinity,
    hi = -Infinity;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const v = raw(y, x);
      grid[y * n + x] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const norm = (v: number) => Math.min(1, Math.max(0, 0.1 + (0.8 * (v - lo)) / (hi - lo)));
  return { side: n, image: Float32Array.from(grid, norm), at: (y, x) => norm(raw(y, x)) };
}

/** The grid samples of `valueNoise` (side n, n² values in [0.1, 0.9]). */
export function valueNoiseTexture(rng: Rng, n: number, cells = [32, 16, 8, 4]): Float32Array {
  return valueNoise(rng, n, cells).image;
}

/** Options of `panVideo`. */
export interface PanOptions {
  rng: Rng;
  texture: Texture;
  frames: number;
  /** Frame side (default 64). */
  size?: number;
  /** Speed range in pixels per frame (default [0.3, 1.5]); the direction is uniform on the circle. */
  speed?: [number, number];
  /** Frames per constant-velocity segment, drawn uniformly from [min, max] (default [8, 16]). */
  segment?: [number, number];
  /** Round each velocity component to an integer (not both 0): the whole-pixel pans of the first revision. */
  integer?: boolean;
}

/**
 * A size×size window panning over a texture: a new velocity (speed U[min, max] px/frame in a uniform direction,
 * so a pan moves by fractions of a pixel per frame) every `segment` frames; the window reflects at the texture's
 * edges. Frames sample the texture's continuous field at the window's real position. A motion change is listed at
 * frame t when the velocity of the step t−1 → t differs from that of t−2 → t−1 (a new segment or a reflection).
 */
export function panVideo(opts: PanOptions): Video {
  const { rng, texture, frames } = opts,
    S = opts.size ?? 64,
    [vmin, vmax] = opts.speed ?? [0.3, 1.5],
    [smin, smax] = opts.segment ?? [8, 16];
  const lim = texture.side - S - 1;
  if (lim <= 0) throw new Error(`texture side ${texture.side} too small for ${S}×${S} frames`);
  let y = rng.uniform() * lim,
    x = rng.uniform() * lim,
    vy = 0,
    vx = 0,
    left = 0,
    epoch = 0;
  const stepEpoch: number[] = [],
    out: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const f = new Float32Array(S * S);
    for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) f[i * S + j] = texture.at(y + i, x + j);
    out.push(f);
    if (left-- <= 0) {
      const s = vmin + rng.uniform() * (vmax - vmin),
        a = 2 * Math.PI * rng.uniform();
      vy = s * Math.sin(a);
      vx = s * Math.cos(a);
      if (opts.integer) {
        vy = Math.round(vy);
        vx = Math.round(vx);
        if (vy === 0 && vx === 0) vx = Math.sign(Math.cos(a)) || 1;
      }
      left = smin + rng.int(smax - smin + 1) - 1;
      epoch++;
    }
    y += vy;
    x += vx;
    if (y < 0) {
      y = -y;
      vy = -vy;
      epoch++;
    } else if (y > lim) {
      y = 2 * lim - y;
      vy = -vy;
      epoch++;
    }
    if (x < 0) {
      x = -x;
      vx = -vx;
      epoch++;
    } else if (x > lim) {
      x = 2 * lim - x;
      vx = -vx;
      epoch++;
    }
    stepEpoch.push(epoch);
  }
  const changes: number[] = [];
  for (let t = 2; t < frames; t++) if (stepEpoch[t - 1] !== stepEpoch[t - 2]) changes.push(t);
  return { frames: out, H: S, W: S, changes };
}

/** A video whose every frame is the same image (the predictor's trivial case). */
export function constantVideo(img: Float32Array, H: number, W: number, frames: number): Video {
  return { frames: Array.from({ length: frames }, () => img.slice()), H, W, changes: [] };
}
