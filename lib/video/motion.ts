/**
 * Decoder-side frame predictor: motion estimated between the last two decoded frames and extrapolated at constant
 * velocity. It stands in for the conditional diffusion model of the paper (arXiv 2402.08934), which also sees only
 * the last two decoded frames: encoder and decoder run it on the same decoded frames, so its output never has to
 * be transmitted. Two motion models compete on the known pair (f0 → f1) and the one that predicts f1 better is
 * extrapolated: a global quarter-pel translation (a camera pan, warped with H.264's interpolation, `interp.ts`) or
 * a per-pixel integer flow from block matching (objects over a still background, forward-warped so that moving
 * objects occlude).
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import { halfPelPlane, sampleQuarter, shiftFrame } from "./interp";

/** Dominant (global) motion: the integer d, |d|∞ ≤ range, minimising the mean absolute difference between f1 and
 *  f0 shifted by d over their overlap (at least half the frame). A pan moves everything by it; on a still
 *  background with small objects it is 0. */
export function globalMotion(
  f0: ArrayLike<number>,
  f1: ArrayLike<number>,
  H: number,
  W: number,
  range = 7,
): [number, number] {
  let best = Infinity,
    g: [number, number] = [0, 0];
  for (let dy = -range; dy <= range; dy++)
    for (let dx = -range; dx <= range; dx++) {
      const y0 = Math.max(0, dy),
        y1 = Math.min(H, H + dy),
        x0 = Math.max(0, dx),
        x1 = Math.min(W, W + dx);
      let sad = 0;
      for (let y = y0; y < y1; y++) {
        const r1 = y * W,
          r0 = (y - dy) * W - dx;
        for (let x = x0; x < x1; x++) sad += Math.abs(f1[r1 + x] - f0[r0 + x]);
      }
      const cost = sad / ((y1 - y0) * (x1 - x0)) + 1e-6 * (Math.abs(dy) + Math.abs(dx));
      if (cost < best) {
        best = cost;
        g = [dy, dx];
      }
    }
  return g;
}

/** Motion vector (dy, dx) per block of `f1`: the displacement d, |d − g|∞ ≤ range, minimising the mean absolute
 *  difference between f1 and f0 shifted by d over the block widened by `margin` pixels on each side (the wider
 *  window keeps smooth, coarsely quantised texture from matching noise), plus a penalty λ_b·|d − g|₁ towards a prior
 *  vector g, with λ_b = max(λ, κ·MAD_b(g)) growing with the block's residual at g (λ = 10⁻³, κ = 0.1)
 *  (g defaults to 0; `predictFrames` passes the global motion), so flat or noisy blocks follow the dominant motion.
 *  Returns [dy0, dx0, dy1, dx1, …] in block raster order. */
export function blockMotion(
  f0: ArrayLike<number>,
  f1: ArrayLike<number>,
  H: number,
  W: number,
  opts: {
    block?: number;
    range?: number;
    lambda?: number;
    margin?: number;
    prior?: [number, number];
    kappa?: number;
  } = {},
): Int32Array {
  const B = opts.block ?? 8,
    R = opts.range ?? 3,
    lam = opts.lambda ?? 1e-3,
    M = opts.margin ?? 8,
    [gy, gx] = opts.prior ?? [0, 0],
    kappa = opts.kappa ?? 0.1;
  const nby = Math.floor(H / B),
    nbx = Math.floor(W / B),
    out = new Int32Array(nby * nbx * 2);
  let ya = 0,
    yb = 0,
    xa = 0,
    xb = 0;
  // mean |f1 − f0 shifted by d| over the widened block (∞ when less than half a block overlaps)
  const mad = (dy: number, dx: number, bound: number) => {
    const y0 = Math.max(ya, dy),
      y1 = Math.min(yb, H + dy),
      x0 = Math.max(xa, dx),
      x1 = Math.min(xb, W + dx);
    if (y1 <= y0 || x1 <= x0) return Infinity;
    const n = (y1 - y0) * (x1 - x0);
    if (n < (B * B) / 2) return Infinity;
    const limit = bound * n;
    let sad = 0;
    for (let y = y0; y < y1; y++) {
      const r1 = y * W,
        r0 = (y - dy) * W - dx;
      for (let x = x0; x < x1; x++) {
        const d = f1[r1 + x] - f0[r0 + x];
        sad += d < 0 ? -d : d;
      }
      if (sad > limit) return Infinity; // cannot win any more
    }
    return sad / n;
  };
  for (let by = 0; by < nby; by++)
    for (let bx = 0; bx < nbx; bx++) {
      ya = Math.max(0, by * B - M);
      yb = Math.min(H, (by + 1) * B + M);
      xa = Math.max(0, bx * B - M);
      xb = Math.min(W, (bx + 1) * B + M);
      // the penalty grows with the residual left at the prior: coding noise must be beaten before leaving it
      const atPrior = mad(gy, gx, Infinity),
        lamB = Number.isFinite(atPrior) ? Math.max(lam, kappa * atPrior) : lam;
      let best = Number.isFinite(atPrior) ? atPrior : Infinity,
        bdy = gy,
        bdx = gx;
      for (let dy = gy - R; dy <= gy + R; dy++)
        for (let dx = gx - R; dx <= gx + R; dx++) {
          const pen = lamB * (Math.abs(dy - gy) + Math.abs(dx - gx));
          if (pen >= best) continue;
          const cost = mad(dy, dx, best - pen) + pen;
          if (cost < best) {
            best = cost;
            bdy = dy;
            bdx = dx;
          }
        }
      const k = (by * nbx + bx) * 2;
      out[k] = bdy;
      out[k + 1] = bdx;
    }
  return out;
}

/**
 * Per-pixel motion from block candidates: each pixel of f1 takes, among the vectors of its own and the 8
 * neighbouring blocks (a still neighbour contributes the zero vector), the d minimising Σ over a 5×5 window of |f1 − f0(· − d)| + λ_b·|d|₁·25, where
 * λ_b = max(10⁻³, κ·r_b) scales with its block's mean matching residual r_b (κ = 0.3): on clean frames any evidence
 * decides, on lossy frames a flat background must beat the coding noise before it is dragged along with an object.
 * Where all nearby blocks agree (a pan), every pixel simply takes their common vector.
 * Returns [dy, dx] per pixel, row-major.
 */
export function refineFlow(
  f0: ArrayLike<number>,
  f1: ArrayLike<number>,
  H: number,
  W: number,
  mv: Int32Array,
  block = 8,
  kappa = 0.3,
  prior: [number, number] = [0, 0],
): Int32Array {
  const nbx = Math.floor(W / block),
    nby = Math.floor(H / block),
    flow = new Int32Array(H * W * 2),
    rad = 2;
  const at = (img: ArrayLike<number>, y: number, x: number) =>
    img[Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))];
  const lam = new Float64Array(nby * nbx);
  for (let by = 0; by < nby; by++)
    for (let bx = 0; bx < nbx; bx++) {
      const k = by * nbx + bx;
      let r = 0;
      for (let i = 0; i < block; i++)
        for (let j = 0; j < block; j++) {
          const y = by * block + i,
            x = bx * block + j;
          r += Math.abs(at(f1, y, x) - at(f0, y - mv[2 * k], x - mv[2 * k + 1]));
        }
      lam[k] = Math.max(1e-3, (kappa * r) / (block * block));
    }
  const cy: number[] = [],
    cx: number[] = [];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const by = Math.min(nby - 1, Math.floor(y / block)),
        bx = Math.min(nbx - 1, Math.floor(x / block));
      cy.length = 0;
      cx.length = 0;
      for (let i = Math.max(0, by - 1); i <= Math.min(nby - 1, by + 1); i++)
        for (let j = Math.max(0, bx - 1); j <= Math.min(nbx - 1, bx + 1); j++) {
          const k = (i * nbx + j) * 2;
          if (!cy.some((v, m) => v === mv[k] && cx[m] === mv[k + 1])) {
            cy.push(mv[k]);
            cx.push(mv[k + 1]);
          }
        }
      let best = Infinity,
        bdy = 0,
        bdx = 0;
      for (let c = 0; c < cy.length; c++) {
        let cost = lam[by * nbx + bx] * (Math.abs(cy[c] - prior[0]) + Math.abs(cx[c] - prior[1])) * (2 * rad + 1) ** 2;
        for (let u = -rad; u <= rad; u++)
          for (let v = -rad; v <= rad; v++)
            cost += Math.abs(at(f1, y + u, x + v) - at(f0, y + u - cy[c], x + v - cx[c]));
        if (cost < best) {
          best = cost;
          bdy = cy[c];
          bdx = cx[c];
        }
      }
      flow[(y * W + x) * 2] = bdy;
      flow[(y * W + x) * 2 + 1] = bdx;
    }
  return flow;
}

/**
 * Forward-warps f1 by k·d(p) for a per-pixel flow d. Where several pixels land, the faster one wins (moving
 * objects occlude the still background; equal speeds average). Pixels nobody lands on (disocclusions, content
 * entering at the border) are filled by repeated averaging of filled 4-neighbours.
 */
export function warpForward(f1: ArrayLike<number>, H: number, W: number, flow: Int32Array, k: number): Float32Array {
  const sum = new Float32Array(H * W),
    cnt = new Float32Array(H * W),
    prio = new Float32Array(H * W).fill(-1);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const dy = flow[(y * W + x) * 2],
        dx = flow[(y * W + x) * 2 + 1],
        m = Math.abs(dy) + Math.abs(dx);
      const ty = y + k * dy,
        tx = x + k * dx;
      if (ty < 0 || tx < 0 || ty >= H || tx >= W) continue;
      const t = ty * W + tx,
        v = f1[y * W + x];
      if (m > prio[t]) {
        prio[t] = m;
        sum[t] = v;
        cnt[t] = 1;
      } else if (m === prio[t]) {
        sum[t] += v;
        cnt[t]++;
      }
    }
  const out = new Float32Array(H * W),
    filled = new Uint8Array(H * W);
  let holes = 0;
  for (let i = 0; i < H * W; i++)
    if (cnt[i] > 0) {
      out[i] = sum[i] / cnt[i];
      filled[i] = 1;
    } else holes++;
  while (holes > 0) {
    const next = filled.slice(),
      val = out.slice();
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (filled[i]) continue;
        let s = 0,
          c = 0;
        if (y > 0 && filled[i - W]) {
          s += out[i - W];
          c++;
        }
        if (y < H - 1 && filled[i + W]) {
          s += out[i + W];
          c++;
        }
        if (x > 0 && filled[i - 1]) {
          s += out[i - 1];
          c++;
        }
        if (x < W - 1 && filled[i + 1]) {
          s += out[i + 1];
          c++;
        }
        if (c > 0) {
          val[i] = s / c;
          next[i] = 1;
          holes--;
        }
      }
    out.set(val);
    filled.set(next);
  }
  return out;
}

/** Two passes of a 3×3 box filter (edge-clamped). */
export function blur(f: ArrayLike<number>, H: number, W: number, passes = 2): Float32Array {
  let a = Float32Array.from(f);
  for (let p = 0; p < passes; p++) {
    const b = new Float32Array(H * W);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let u = -1; u <= 1; u++)
          for (let v = -1; v <= 1; v++)
            s += a[Math.min(H - 1, Math.max(0, y + u)) * W + Math.min(W - 1, Math.max(0, x + v))];
        b[y * W + x] = s / 9;
      }
    a = b;
  }
  return a;
}

/**
 * Global translation at quarter-pel precision: the vector m (quarter-pel units) minimising the mean |f1(p) −
 * f0(p + m/4)| over the pixels at least `border` from the frame edge, refined from the integer global motion `g`
 * (f1(p) ≈ f0(p − g), so m starts at −4g) by half-pel then quarter-pel steps.
 */
export function globalMotionQuarter(
  f0: ArrayLike<number>,
  f1: ArrayLike<number>,
  H: number,
  W: number,
  g: [number, number],
  border = 4,
  P0 = halfPelPlane(f0, H, W),
): { my: number; mx: number; mad: number } {
  const e = Math.max(border, Math.abs(g[0]) + 2, Math.abs(g[1]) + 2);
  const mad = (my: number, mx: number) => {
    let s = 0,
      n = 0;
    for (let y = e; y < H - e; y++)
      for (let x = e; x < W - e; x++, n++) s += Math.abs(f1[y * W + x] - sampleQuarter(P0, 4 * y + my, 4 * x + mx));
    return s / n;
  };
  // half-pel steps around the integer estimate, then quarter-pel steps around the best (as H.264 encoders refine)
  let best = { my: -4 * g[0], mx: -4 * g[1], mad: mad(-4 * g[0], -4 * g[1]) };
  for (const step of [2, 1]) {
    const { my: cy, mx: cx } = best;
    for (let dy = -step; dy <= step; dy += step)
      for (let dx = -step; dx <= step; dx += step) {
        if (dy === 0 && dx === 0) continue;
        const m = mad(cy + dy, cx + dx);
        if (m < best.mad) best = { my: cy + dy, mx: cx + dx, mad: m };
      }
  }
  return best;
}

/** Mean absolute difference between a and b over the pixels at least `e` from the edge. */
function interiorMad(a: ArrayLike<number>, b: ArrayLike<number>, H: number, W: number, e: number): number {
  let s = 0,
    n = 0;
  for (let y = e; y < H - e; y++) for (let x = e; x < W - e; x++, n++) s += Math.abs(a[y * W + x] - b[y * W + x]);
  return s / n;
}

/** Which motion model `predictFrames` extrapolated, and its one-step error (interior MAD) on the known pair. */
export interface MotionModel {
  kind: "global" | "flow";
  mad: number;
  my?: number;
  mx?: number;
}

/** Predicted frames and the model that made them. */
export interface Prediction {
  frames: Float32Array[];
  model: MotionModel;
}

/**
 * Predicts the next n frames from the last two decoded frames (f0 = t−2, f1 = t−1), k = 1…n:
 * - global model: f̂(t−1+k)(p) = f1(p + k·m/4) with m from `globalMotionQuarter`;
 * - flow model: global integer motion, block motion f0→f1 biased towards it, refined per pixel (all on blurred
 *   copies), then f1 forward-warped by k times that flow.
 * Each model first predicts f1 from f0 and the global one is used unless the flow's interior error is more than
 * 10% smaller (parsimony: two parameters against a vector per pixel); `model` says which.
 */
export function predictFrames(
  f0: ArrayLike<number>,
  f1: ArrayLike<number>,
  H: number,
  W: number,
  n: number,
  opts: { block?: number; range?: number } = {},
): Prediction {
  // estimate on blurred copies: the codec's block edges sit still on the 8×8 grid and would pull matches to d = 0
  const b0 = blur(f0, H, W),
    b1 = blur(f1, H, W);
  const g = globalMotion(b0, b1, H, W, 7);
  const mv = blockMotion(b0, b1, H, W, { ...opts, prior: g });
  const flow = refineFlow(b0, b1, H, W, mv, opts.block ?? 8, 0.3, g);
  const P0 = halfPelPlane(f0, H, W),
    q = globalMotionQuarter(f0, f1, H, W, g, 4, P0);
  const e = Math.max(4, Math.abs(g[0]) + 2, Math.abs(g[1]) + 2);
  const flowMad = interiorMad(warpForward(f0, H, W, flow, 1), f1, H, W, e);
  const globalMad = q.mad;
  if (0.9 * globalMad <= flowMad) {
    const P1 = halfPelPlane(f1, H, W);
    return {
      frames: Array.from({ length: n }, (_, i) => shiftFrame(P1, (i + 1) * q.my, (i + 1) * q.mx)),
      model: { kind: "global", mad: globalMad, my: q.my, mx: q.mx },
    };
  }
  return {
    frames: Array.from({ length: n }, (_, i) => warpForward(f1, H, W, flow, i + 1)),
    model: { kind: "flow", mad: flowMad },
  };
}
