/**
 * Sub-pixel sampling of a frame, as H.264 interpolates its reference pictures (ITU-T H.264 §8.4.2.2.1): half-pel
 * samples by the 6-tap filter (1, −5, 20, 20, −5, 1)/32 — horizontally, vertically, and for the centre position
 * on the horizontally filtered samples — and quarter-pel samples by bilinear interpolation of the half-pel plane
 * (H.264 averages the two nearest integer or half-pel samples, which differs only at the diagonal positions).
 * Samples outside the frame repeat its edge (H.264's reference padding). Values stay in [0, 1] (clipped like
 * H.264's 8-bit samples, without its integer rounding). Motion vectors are in quarter-pel units throughout.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

/** A frame upsampled ×2 with H.264's 6-tap filter over the frame padded by `PAD` pixels on each side:
 *  `data[(2(y+PAD)+a)·2(W+2·PAD) + 2(x+PAD)+b]` is the sample at (y + a/2, x + b/2). */
export interface HalfPelPlane {
  data: Float32Array;
  H: number;
  W: number;
}

/** Padding of the half-pel plane: beyond it every sample equals the one at the plane's border. */
const PAD = 4;
const clip01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** The half-pel plane of an H×W frame: the frame edge-replicated, then interpolated (H.264's order). */
export function halfPelPlane(img: ArrayLike<number>, H: number, W: number): HalfPelPlane {
  // padded by PAD + 3 so that every tap of the plane's samples reads inside
  const E = PAD + 3,
    PW = W + 2 * E,
    PH = H + 2 * E,
    pad = new Float64Array(PH * PW);
  for (let y = 0; y < PH; y++) {
    const sy = Math.min(H - 1, Math.max(0, y - E)) * W;
    for (let x = 0; x < PW; x++) pad[y * PW + x] = img[sy + Math.min(W - 1, Math.max(0, x - E))];
  }
  // unclipped horizontal half samples (between x and x+1) on every padded row: the centre positions filter them vertically
  const HW = W + 2 * PAD,
    hb = new Float64Array(PH * HW);
  for (let y = 0; y < PH; y++)
    for (let x = 0; x < HW; x++) {
      const o = y * PW + x + 3;
      hb[y * HW + x] = (pad[o - 2] - 5 * pad[o - 1] + 20 * pad[o] + 20 * pad[o + 1] - 5 * pad[o + 2] + pad[o + 3]) / 32;
    }
  const HH = H + 2 * PAD,
    W2 = 2 * HW,
    out = new Float32Array(4 * HH * HW);
  for (let y = 0; y < HH; y++)
    for (let x = 0; x < HW; x++) {
      const o = (y + 3) * PW + x + 3,
        h = (y + 3) * HW + x,
        r0 = 2 * y * W2 + 2 * x,
        r1 = r0 + W2;
      out[r0] = pad[o];
      out[r0 + 1] = clip01(hb[h]);
      out[r1] = clip01(
        (pad[o - 2 * PW] - 5 * pad[o - PW] + 20 * pad[o] + 20 * pad[o + PW] - 5 * pad[o + 2 * PW] + pad[o + 3 * PW])
          / 32,
      );
      out[r1 + 1] = clip01(
        (hb[h - 2 * HW] - 5 * hb[h - HW] + 20 * hb[h] + 20 * hb[h + HW] - 5 * hb[h + 2 * HW] + hb[h + 3 * HW]) / 32,
      );
    }
  return { data: out, H, W };
}

/** The sample at (y4/4, x4/4) (quarter-pel coordinates, any integers: outside the frame the edge repeats). */
export function sampleQuarter(p: HalfPelPlane, y4: number, x4: number): number {
  const W2 = 2 * (p.W + 2 * PAD),
    lastY = 2 * (p.H + 2 * PAD) - 2,
    lastX = W2 - 2,
    d = p.data;
  // half-pel indices of the two bracketing samples, clamped to the plane's outermost whole-pel rows and columns
  let y2 = (y4 >> 1) + 2 * PAD,
    x2 = (x4 >> 1) + 2 * PAD; // >> floors negatives too
  let y3 = y2 + (y4 & 1),
    x3 = x2 + (x4 & 1);
  if (y2 < 0) y2 = 0;
  else if (y2 > lastY) y2 = lastY;
  if (x2 < 0) x2 = 0;
  else if (x2 > lastX) x2 = lastX;
  if (y3 < 0) y3 = 0;
  else if (y3 > lastY) y3 = lastY;
  if (x3 < 0) x3 = 0;
  else if (x3 > lastX) x3 = lastX;
  const r0 = y2 * W2,
    r1 = y3 * W2;
  return (d[r0 + x2] + d[r0 + x3] + d[r1 + x2] + d[r1 + x3]) * 0.25;
}

/** The B×B block whose top-left pixel is (y, x), displaced by the quarter-pel vector (my, mx): pred(p) = ref(p + m/4). */
export function predictBlock(
  p: HalfPelPlane,
  y: number,
  x: number,
  my: number,
  mx: number,
  B = 8,
  out: Float64Array = new Float64Array(B * B),
): Float64Array {
  for (let i = 0; i < B; i++)
    for (let j = 0; j < B; j++) out[i * B + j] = sampleQuarter(p, 4 * (y + i) + my, 4 * (x + j) + mx);
  return out;
}

/** The whole frame displaced by a quarter-pel vector (my, mx): out(p) = img(p + m/4), edge repeated. */
export function shiftFrame(p: HalfPelPlane, my: number, mx: number): Float32Array {
  const { H, W } = p,
    out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = sampleQuarter(p, 4 * y + my, 4 * x + mx);
  return out;
}
