/**
 * Seeded randomness for every Folio experiment: the only place in lib/ that creates random numbers.
 * A generator is passed explicitly. `derive(label)` gives the child stream named `label`, a pure function of the
 * parent's seed and the label (JAX's `fold_in`), so a re-run cell gets the same numbers, and adding draws in one
 * part of an experiment never shifts the numbers another part sees:
 *
 *     const key = rng(2024);                       // the notebook's one seed
 *     const net = init(key.derive("init"));        // same stream however often the cell runs
 *     for (const s of [0, 1, 2]) train(key.derive(`train/${s}`));
 */

/** SplitMix32 finaliser: a bijective 32-bit mix (Steele, Lea & Flood 2014), used to derive child seeds. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A seeded generator: xoshiro128** (Blackman & Vigna 2018), period 2^128 − 1. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`Rng seed must be an integer, got ${seed}`);
    this.s0 = mix32(seed);
    this.s1 = mix32(this.s0 ^ 0x1234567);
    this.s2 = mix32(this.s1 ^ 0x7654321);
    this.s3 = mix32(this.s2 ^ 0xdeadbeef);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal by the polar Box–Muller method (Marsaglia 1964). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + std * u * f;
  }

  /** Bernoulli(p) draw. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Fills a Float32Array with N(mean, std²) samples. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Fills a Float32Array with U[lo, hi) samples. */
  uniformArray(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** Fisher–Yates shuffle, in place; returns its argument. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array | Float32Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  /** An integer seed for APIs that take one (tfjs initialisers, tf.random*): drawn, so it is itself reproducible. */
  seedInt(): number {
    return this.nextU32() & 0x7fffffff || 1;
  }

  /**
   * The child generator named `label`: seed = mix(seed, FNV-1a(label)). Pure in (seed, label): neither draws from
   * this generator nor depends on draws made so far, so `derive("x")` is the same stream every time.
   */
  derive(label: string | number): Rng {
    return new Rng(mix32(this.seed ^ mix32(fnv1a(String(label)))) | 0);
  }
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units (Fowler, Noll & Vo). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates the seeded generator an experiment threads through all of its random choices. */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
