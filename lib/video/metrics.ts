/**
 * Frame quality measures. PSNR = 10 log10(1 / MSE) for images in [0,1]; SSIM with the 11×11 Gaussian window
 * (σ = 1.5) and constants C1 = (0.01)², C2 = (0.03)² of Wang, Bovik, Sheikh & Simoncelli (2004), averaged over
 * the valid window positions.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

/** Mean squared error between two equal-length arrays. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/** PSNR in dB for a peak value of `peak` (default 1): 10 log10(peak² / MSE); +∞ for identical inputs. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, peak = 1): number {
  return 10 * Math.log10((peak * peak) / mse(a, b));
}

/** SSIM (Wang et al. 2004) of two H×W images in [0,1], Gaussian 11×11 window, σ = 1.5, mean over valid positions. */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, H: number, W: number): number {
  const R = 5,
    g: number[] = [];
  for (let i = -R; i <= R; i++) g.push(Math.exp(-(i * i) / (2 * 1.5 * 1.5)));
  const gs = g.reduce((s, v) => s + v, 0);
  for (let i = 0; i < g.length; i++) g[i] /= gs;
  // Separable filtering of the five moment images (a, b, a², b², ab), valid region only.
  const Hv = H - 2 * R,
    Wv = W - 2 * R;
  if (Hv <= 0 || Wv <= 0) throw new Error(`image ${H}×${W} smaller than the 11×11 SSIM window`);
  const src = [
    new Float64Array(H * W),
    new Float64Array(H * W),
    new Float64Array(H * W),
    new Float64Array(H * W),
    new Float64Array(H * W),
  ];
  for (let i = 0; i < H * W; i++) {
    const x = a[i],
      y = b[i];
    src[0][i] = x;
    src[1][i] = y;
    src[2][i] = x * x;
    src[3][i] = y * y;
    src[4][i] = x * y;
  }
  const rows = new Float64Array(H * Wv);
  const filt = src.map((f) => {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < Wv; x++) {
        let s = 0;
        for (let k = 0; k <= 2 * R; k++) s += g[k] * f[y * W + x + k];
        rows[y * Wv + x] = s;
      }
    const out = new Float64Array(Hv * Wv);
    for (let y = 0; y < Hv; y++)
      for (let x = 0; x < Wv; x++) {
        let s = 0;
        for (let k = 0; k <= 2 * R; k++) s += g[k] * rows[(y + k) * Wv + x];
        out[y * Wv + x] = s;
      }
    return out;
  });
  const [ma, mb, saa, sbb, sab] = filt,
    C1 = 0.01 ** 2,
    C2 = 0.03 ** 2;
  let total = 0;
  for (let i = 0; i < Hv * Wv; i++) {
    const va = saa[i] - ma[i] * ma[i],
      vb = sbb[i] - mb[i] * mb[i],
      cov = sab[i] - ma[i] * mb[i];
    total += ((2 * ma[i] * mb[i] + C1) * (2 * cov + C2)) / ((ma[i] * ma[i] + mb[i] * mb[i] + C1) * (va + vb + C2));
  }
  return total / (Hv * Wv);
}
