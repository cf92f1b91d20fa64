/**
 * The 8×8 block DCT of JPEG (Wallace 1992): orthonormal DCT-II, Y = C X Cᵀ with
 * C[k][n] = α(k) cos((2n + 1) k π / 16), α(0) = √(1/8), α(k>0) = √(2/8), and its inverse X = Cᵀ Y C.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

export const BLOCK = 8;

/** The orthonormal 8-point DCT-II matrix C (row k = frequency k), row-major. */
export const DCT_MATRIX: Float64Array = (() => {
  const c = new Float64Array(64);
  for (let k = 0; k < 8; k++)
    for (let n = 0; n < 8; n++)
      c[k * 8 + n] = (k === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8)) * Math.cos(((2 * n + 1) * k * Math.PI) / 16);
  return c;
})();

/** JPEG zig-zag order: ZIGZAG[i] is the raster index (row·8 + col) of the i-th coefficient scanned. */
export const ZIGZAG: Int32Array = (() => {
  const out: number[] = [];
  for (let s = 0; s < 15; s++) {
    const cells: number[] = [];
    for (let r = 0; r < 8; r++) {
      const c = s - r;
      if (c >= 0 && c < 8) cells.push(r * 8 + c);
    }
    out.push(...(s % 2 === 0 ? cells.reverse() : cells));
  }
  return Int32Array.from(out);
})();

/** Forward 2-D DCT of one 8×8 block (row-major): Y = C X Cᵀ. */
export function dct8(x: ArrayLike<number>): Float64Array {
  const t = new Float64Array(64),
    y = new Float64Array(64),
    C = DCT_MATRIX;
  for (let k = 0; k < 8; k++)
    for (let n = 0; n < 8; n++) {
      // t = C X
      let s = 0;
      for (let m = 0; m < 8; m++) s += C[k * 8 + m] * x[m * 8 + n];
      t[k * 8 + n] = s;
    }
  for (let k = 0; k < 8; k++)
    for (let l = 0; l < 8; l++) {
      // y = t Cᵀ
      let s = 0;
      for (let n = 0; n < 8; n++) s += t[k * 8 + n] * C[l * 8 + n];
      y[k * 8 + l] = s;
    }
  return y;
}

/** Inverse 2-D DCT of one 8×8 block: X = Cᵀ Y C. */
export function idct8(y: ArrayLike<number>): Float64Array {
  const t = new Float64Array(64),
    x = new Float64Array(64),
    C = DCT_MATRIX;
  for (let m = 0; m < 8; m++)
    for (let l = 0; l < 8; l++) {
      // t = Cᵀ Y
      let s = 0;
      for (let k = 0; k < 8; k++) s += C[k * 8 + m] * y[k * 8 + l];
      t[m * 8 + l] = s;
    }
  for (let m = 0; m < 8; m++)
    for (let n = 0; n < 8; n++) {
      // x = t C
      let s = 0;
      for (let l = 0; l < 8; l++) s += t[m * 8 + l] * C[l * 8 + n];
      x[m * 8 + n] = s;
    }
  return x;
}

/** Copies the 8×8 block at block-row `by`, block-column `bx` of an H×W image (W a multiple of 8). */
export function getBlock(img: ArrayLike<number>, W: number, by: number, bx: number): Float64Array {
  const b = new Float64Array(64);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) b[i * 8 + j] = img[(by * 8 + i) * W + bx * 8 + j];
  return b;
}

/** Writes an 8×8 block back into an image. */
export function setBlock(img: { [i: number]: number }, W: number, by: number, bx: number, b: ArrayLike<number>): void {
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) img[(by * 8 + i) * W + bx * 8 + j] = b[i * 8 + j];
}
