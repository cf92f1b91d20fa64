/**
 * opt_einsum's benchmark networks, bit for bit: a port of `opt_einsum.testing.rand_equation(n, regularity, n_out,
 * d_min, d_max, seed)` (dgasmith/opt_einsum, `opt_einsum/testing.py`, MIT licence; the algorithm is re-written here,
 * no code copied) together with the part of numpy's legacy `np.random` stream it draws from: MT19937 seeded by
 * `np.random.seed(seed)` (Matsumoto & Nishimura 1998, `init_genrand`), `randint(lo, hi)` by masked rejection of
 * 32-bit words, and `permutation` by Fisher–Yates from the last position down, each swap index drawn by
 * `random_interval`. With the same arguments it returns the very equation opt_einsum returns (checked against
 * opt_einsum's output in the tests), so a network here can be handed to opt_einsum by its seed alone.
 *
 * The algorithm: ⌊n·reg/2⌋ + n_out indices, each sized U{d_min..d_max}; the first n_out are open (placed once),
 * the rest bonds (placed twice); the placements are shuffled, the first n go one to each tensor (so none is
 * empty), every later one to a uniformly drawn tensor that does not carry that index yet. The graph is a random
 * multigraph with mean degree `reg`, not a regular graph, and may be disconnected.
 *
 * This stream exists only to reproduce opt_einsum's networks; Folio's own randomness comes from `lib/rng`.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import { fromIndexLists, type Network } from "./network";

/** numpy's legacy MT19937 (`np.random.seed(s)` with an integer 0 ≤ s < 2³²), only the draws rand_equation makes. */
export class NumpyLegacyStream {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new Error(`numpy seeds are integers in [0, 2^32 - 1]; got ${seed}`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const x = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, x) + i) >>> 0;
    }
  }

  /** The next 32-bit word (MT19937 `genrand_int32`). */
  next32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection (numpy's `random_interval` and bounded masked uint32). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new Error("ranges above 2^32 are not needed here");
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const v = (this.next32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** `np.random.randint(lo, hi)`: uniform in [lo, hi); no draw at all when hi = lo + 1. */
  randint(lo: number, hi: number): number {
    if (hi <= lo) throw new Error(`randint: empty range [${lo}, ${hi})`);
    return lo + this.interval(hi - lo - 1);
  }

  /** `np.random.permutation(list)`: a shuffled copy (Fisher–Yates, i from the end down to 1, j = interval(i)). */
  permutation<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** opt_einsum's `get_symbol(i)`: a–z, A–Z, then the Unicode code point i + 140 (i + 2048 from 55296, past the surrogates). */
export function einsumSymbol(i: number): string {
  const base = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (i < 52) return base[i];
  return String.fromCodePoint(i >= 55296 ? i + 2048 : i + 140);
}

/** Arguments of rand_equation after `n` and `regularity` (opt_einsum's defaults: n_out 0, d 2–9). */
export interface RandEquationOptions {
  nOut?: number;
  dMin?: number;
  dMax?: number;
  seed: number;
}

/** A network of opt_einsum's benchmark family and its equation string (opt_einsum's exact `eq`). */
export interface RandEquation {
  net: Network;
  eq: string;
}

/**
 * `rand_equation(n, regularity, n_out, d_min, d_max, seed)` of opt_einsum, e.g.
 * `randEquation(10, 3, { nOut: 2, dMin: 2, dMax: 4, seed: 0 }).eq` is the equation opt_einsum returns for
 * `rand_equation(10, 3, n_out=2, d_min=2, d_max=4, seed=0)`.
 */
export function randEquation(n: number, regularity: number, opts: RandEquationOptions): RandEquation {
  const { nOut = 0, dMin = 2, dMax = 9, seed } = opts;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`rand_equation: n must be a positive integer, got ${n}`);
  const r = new NumpyLegacyStream(seed);
  const numInds = Math.floor((n * regularity) / 2) + nOut;
  const symbols = Array.from({ length: numInds }, (_, i) => einsumSymbol(i));
  const size: Record<string, number> = {};
  for (const s of symbols) size[s] = r.randint(dMin, dMax + 1);
  const output: string[] = [],
    placements: string[] = [];
  symbols.forEach((s, i) => {
    if (i < nOut) {
      output.push(s);
      placements.push(s);
    } else placements.push(s, s);
  });
  const inputs: string[][] = Array.from({ length: n }, () => []);
  r.permutation(placements).forEach((ix, i) => {
    if (i < n) {
      inputs[i].push(ix);
      return;
    }
    let where = r.randint(0, n);
    while (inputs[where].includes(ix)) where = r.randint(0, n);
    inputs[where].push(ix);
  });
  const out = r.permutation(output);
  const eq = `${inputs.map((op) => op.join("")).join(",")}->${out.join("")}`;
  return { net: fromIndexLists(inputs, out, size), eq };
}
