/**
 * Decoder-side frame predictor: block motion estimation between the last two decoded frames and constant-velocity
 * extrapolation by forward warping. It stands in for the conditional diffusion model of the paper (arXiv 2402.08934),
 * which also sees only the last two decoded frames: encoder and decoder run it on the same decoded frames, so its
 * output never has to be transmitted.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

/** Motion vector (dy, dx) per block of `f1`: the displacement d minimising SAD(f1 block, f0 block shifted by −d)
 *  plus a tie-breaking penalty λ·|d|₁ per pixel (flat blocks stay still). Returns [dy0, dx0, dy1, dx1, …]. */
export function blockMotion(f0: ArrayLike<number>, f1: ArrayLike<number>, H: number, W: number, opts: { block?: number; range?: number; lambda?: number } = {}): Int32Array {
  const B = opts.block ?? 8, R = opts.range ?? 7, lam = opts.lambda ?? 1e-3;
  const nby = Math.floor(H / B), nbx = Math.floor(W / B), out = new Int32Array(nby * nbx * 2);
  for (let by = 0; by < nby; by++) for (let bx = 0; bx < nbx; bx++) {
    const y0 = by * B, x0 = bx * B;
    let best = Infinity, bdy = 0, bdx = 0;
    for (let dy = -R; dy <= R; dy++) for (let dx = -R; dx <= R; dx++) {
      const sy = y0 - dy, sx = x0 - dx;
      if (sy < 0 || sx < 0 || sy + B > H || sx + B > W) continue;
      let sad = lam * (Math.abs(dy) + Math.abs(dx)) * B * B;
      for (let i = 0; i < B && sad < best; i++) {
        const r1 = (y0 + i) * W + x0, r0 = (sy + i) * W + sx;
        for (let j = 0; j < B; j++) sad += Math.abs(f1[r1 + j] - f0[r0 + j]);
      }
      if (sad < best) { best = sad; bdy = dy; bdx = dx; }
    }
    const k = (by * nbx + bx) * 2; out[k] = bdy; out[k + 1] = bdx;
  }
  return out;
}

/**
 * Per-pixel motion from block candidates: each pixel of f1 takes, among the zero vector and the vectors of its own
 * and the 8 neighbouring blocks, the d minimising Σ over a 5×5 window of |f1 − f0(· − d)| + λ_b·|d|₁·25, where
 * λ_b = max(10⁻³, κ·r_b) scales with its block's mean matching residual r_b (κ = 0.3): on clean frames any evidence
 * decides, on lossy frames a flat background must beat the coding noise before it is dragged along with an object.
 * Returns [dy, dx] per pixel, row-major.
 */
export function refineFlow(f0: ArrayLike<number>, f1: ArrayLike<number>, H: number, W: number, mv: Int32Array, block = 8, kappa = 0.3): Int32Array {
  const nbx = Math.floor(W / block), nby = Math.floor(H / block), flow = new Int32Array(H * W * 2), rad = 2;
  const at = (img: ArrayLike<number>, y: number, x: number) => img[Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))];
  const lam = new Float64Array(nby * nbx);
  for (let by = 0; by < nby; by++) for (let bx = 0; bx < nbx; bx++) {
    const k = by * nbx + bx; let r = 0;
    for (let i = 0; i < block; i++) for (let j = 0; j < block; j++) { const y = by * block + i, x = bx * block + j; r += Math.abs(at(f1, y, x) - at(f0, y - mv[2 * k], x - mv[2 * k + 1])); }
    lam[k] = Math.max(1e-3, (kappa * r) / (block * block));
  }
  const cy: number[] = [], cx: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const by = Math.min(nby - 1, Math.floor(y / block)), bx = Math.min(nbx - 1, Math.floor(x / block));
    cy.length = 0; cx.length = 0; cy.push(0); cx.push(0);
    for (let i = Math.max(0, by - 1); i <= Math.min(nby - 1, by + 1); i++) for (let j = Math.max(0, bx - 1); j <= Math.min(nbx - 1, bx + 1); j++) {
      const k = (i * nbx + j) * 2;
      if (!cy.some((v, m) => v === mv[k] && cx[m] === mv[k + 1])) { cy.push(mv[k]); cx.push(mv[k + 1]); }
    }
    let best = Infinity, bdy = 0, bdx = 0;
    for (let c = 0; c < cy.length; c++) {
      let cost = lam[by * nbx + bx] * (Math.abs(cy[c]) + Math.abs(cx[c])) * (2 * rad + 1) ** 2;
      for (let u = -rad; u <= rad; u++) for (let v = -rad; v <= rad; v++) cost += Math.abs(at(f1, y + u, x + v) - at(f0, y + u - cy[c], x + v - cx[c]));
      if (cost < best) { best = cost; bdy = cy[c]; bdx = cx[c]; }
    }
    flow[(y * W + x) * 2] = bdy; flow[(y * W + x) * 2 + 1] = bdx;
  }
  return flow;
}

/**
 * Forward-warps f1 by k·d(p) for a per-pixel flow d. Where several pixels land, the faster one wins (moving
 * objects occlude the still background; equal speeds average). Pixels nobody lands on (disocclusions, content
 * entering at the border) are filled by repeated averaging of filled 4-neighbours.
 */
export function warpForward(f1: ArrayLike<number>, H: number, W: number, flow: Int32Array, k: number): Float32Array {
  const sum = new Float32Array(H * W), cnt = new Float32Array(H * W), prio = new Float32Array(H * W).fill(-1);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const dy = flow[(y * W + x) * 2], dx = flow[(y * W + x) * 2 + 1], m = Math.abs(dy) + Math.abs(dx);
    const ty = y + k * dy, tx = x + k * dx;
    if (ty < 0 || tx < 0 || ty >= H || tx >= W) continue;
    const t = ty * W + tx, v = f1[y * W + x];
    if (m > prio[t]) { prio[t] = m; sum[t] = v; cnt[t] = 1; }
    else if (m === prio[t]) { sum[t] += v; cnt[t]++; }
  }
  const out = new Float32Array(H * W), filled = new Uint8Array(H * W);
  let holes = 0;
  for (let i = 0; i < H * W; i++) if (cnt[i] > 0) { out[i] = sum[i] / cnt[i]; filled[i] = 1; } else holes++;
  while (holes > 0) {
    const next = filled.slice(), val = out.slice();
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (filled[i]) continue;
      let s = 0, c = 0;
      if (y > 0 && filled[i - W]) { s += out[i - W]; c++; }
      if (y < H - 1 && filled[i + W]) { s += out[i + W]; c++; }
      if (x > 0 && filled[i - 1]) { s += out[i - 1]; c++; }
      if (x < W - 1 && filled[i + 1]) { s += out[i + 1]; c++; }
      if (c > 0) { val[i] = s / c; next[i] = 1; holes--; }
    }
    out.set(val); filled.set(next);
  }
  return out;
}

/** Predicts the next n frames from the last two decoded frames (f0 = t−2, f1 = t−1): block motion f0→f1 refined
 *  per pixel, then frame t−1+k is f1 forward-warped by k times that motion (constant velocity), k = 1…n. */
export function predictFrames(f0: ArrayLike<number>, f1: ArrayLike<number>, H: number, W: number, n: number, opts: { block?: number; range?: number } = {}): Float32Array[] {
  const mv = blockMotion(f0, f1, H, W, opts);
  const flow = refineFlow(f0, f1, H, W, mv, opts.block ?? 8);
  return Array.from({ length: n }, (_, i) => warpForward(f1, H, W, flow, i + 1));
}
