/**
 * The linear part of the transmitter and its pseudo-inverse (range-null space decomposition, Wang, Yu & Zhang 2023,
 * DDNM, arXiv 2212.00490). A = s×s average pooling of a side×side image; its rows are orthogonal with norm 1/s, so
 * A Aᵀ = I/s² and A⁺ = Aᵀ(A Aᵀ)⁻¹ = s² Aᵀ is nearest-neighbour upsampling. A⁺A projects onto the range (block means),
 * I − A⁺A onto the null space (zero-mean detail inside each block).
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */

/** y = A x for a batch (rows of length side²): s×s block means, (side/s)² outputs per image. */
export function poolA(x: ArrayLike<number>, side: number, s: number): Float64Array {
  if (side % s) throw new Error(`side ${side} is not a multiple of ${s}`);
  const d = side * side,
    m = side / s,
    k = m * m,
    n = x.length / d,
    y = new Float64Array(n * k),
    inv = 1 / (s * s);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < side; i++)
      for (let j = 0; j < side; j++)
        y[r * k + Math.floor(i / s) * m + Math.floor(j / s)] += x[r * d + i * side + j] * inv;
  return y;
}

/** x = A⁺ y: every block takes its mean (nearest-neighbour upsampling). */
export function poolPinv(y: ArrayLike<number>, side: number, s: number): Float64Array {
  const d = side * side,
    m = side / s,
    k = m * m,
    n = y.length / k,
    x = new Float64Array(n * d);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < side; i++)
      for (let j = 0; j < side; j++) x[r * d + i * side + j] = y[r * k + Math.floor(i / s) * m + Math.floor(j / s)];
  return x;
}

/** The dense matrix of a linear map given as a function on batches (columns = images of the basis vectors). */
export function denseOf(
  f: (x: Float64Array) => Float64Array,
  nIn: number,
): { rows: number; cols: number; a: Float64Array } {
  const basis = new Float64Array(nIn * nIn);
  for (let i = 0; i < nIn; i++) basis[i * nIn + i] = 1;
  const out = f(basis),
    rows = out.length / nIn,
    a = new Float64Array(rows * nIn);
  for (let c = 0; c < nIn; c++) for (let r = 0; r < rows; r++) a[r * nIn + c] = out[c * rows + r];
  return { rows, cols: nIn, a };
}

/** s×s average pooling of a batch of images to a coarser side (used to make 14×14 MNIST from 28×28). */
export function downsample(x: ArrayLike<number>, side: number, s: number): Float32Array {
  return Float32Array.from(poolA(x, side, s));
}
