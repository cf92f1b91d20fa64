/**
 * Adaptive binary range coder in the style of LZMA (Pavlov; Martin 1979 "Range encoding"): each context holds an
 * 11-bit probability of a 0 that adapts by p ← p + (2048 − p)/32 after a 0 and p ← p − p/32 after a 1. It writes
 * real bytes, so the bit count of a frame is the length of a stream that the decoder provably reads back.
 * Encoder and decoder share one interface (`BinCoder`), so a single binarisation routine drives both.
 * @see notebooks/08-diffusion-video-compression.ipynb
 */

const TOP = 2 ** 24,
  PROB_BITS = 11,
  PROB_ONE = 1 << PROB_BITS,
  MOVE = 5;

/** One binary decision per call: the encoder returns the bit it was given, the decoder returns the bit it read. */
export interface BinCoder {
  /** An adaptively modelled bit in context `ctx`. */
  bit(ctx: number, b: number): number;
  /** A bit coded at probability 1/2 (costs exactly one bit). */
  raw(b: number): number;
}

/** Range encoder over `nContexts` adaptive contexts. */
export class RangeEncoder implements BinCoder {
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;
  private readonly out: number[] = [];
  private readonly probs: Uint16Array;
  constructor(nContexts: number) {
    this.probs = new Uint16Array(nContexts).fill(PROB_ONE >> 1);
  }

  bit(ctx: number, b: number): number {
    const p = this.probs[ctx],
      bound = (this.range >>> PROB_BITS) * p;
    if (b === 0) {
      this.range = bound;
      this.probs[ctx] = p + ((PROB_ONE - p) >> MOVE);
    } else {
      this.low += bound;
      this.range -= bound;
      this.probs[ctx] = p - (p >> MOVE);
    }
    this.normalise();
    return b;
  }

  raw(b: number): number {
    this.range = this.range >>> 1;
    if (b) this.low += this.range;
    this.normalise();
    return b;
  }

  private normalise(): void {
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.shiftLow();
    }
  }

  // Carry propagation: a byte is held back (cache, plus a run of 0xFF bytes) until no carry can reach it.
  private shiftLow(): void {
    if (this.low < 0xff000000 || this.low >= 2 ** 32) {
      const carry = this.low >= 2 ** 32 ? 1 : 0;
      let temp = this.cache;
      do {
        this.out.push((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = Math.floor(this.low / TOP) & 0xff;
    }
    this.cacheSize++;
    this.low = (this.low % TOP) * 256;
  }

  /** Flushes and returns the stream (its first byte, always 0 in LZMA's scheme, is dropped). */
  finish(): Uint8Array {
    for (let i = 0; i < 5; i++) this.shiftLow();
    return Uint8Array.from(this.out.slice(1));
  }
}

/** Range decoder reading a stream written by `RangeEncoder` with the same context count. */
export class RangeDecoder implements BinCoder {
  private range = 0xffffffff;
  private code = 0;
  private pos = 0;
  private readonly probs: Uint16Array;
  constructor(
    private readonly bytes: Uint8Array,
    nContexts: number,
  ) {
    this.probs = new Uint16Array(nContexts).fill(PROB_ONE >> 1);
    for (let i = 0; i < 4; i++) this.code = (this.code * 256 + this.next()) >>> 0;
  }
  // Reading past the end yields zeros: the encoder's flush guarantees those bytes never change a decision.
  private next(): number {
    const byte = this.pos < this.bytes.length ? this.bytes[this.pos] : 0;
    this.pos++;
    return byte;
  }

  bit(ctx: number): number {
    const p = this.probs[ctx],
      bound = (this.range >>> PROB_BITS) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      this.probs[ctx] = p + ((PROB_ONE - p) >> MOVE);
      b = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      this.probs[ctx] = p - (p >> MOVE);
      b = 1;
    }
    this.normalise();
    return b;
  }

  raw(): number {
    this.range = this.range >>> 1;
    let b = 0;
    if (this.code >= this.range) {
      this.code -= this.range;
      b = 1;
    }
    this.normalise();
    return b;
  }

  private normalise(): void {
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.code = (((this.code * 256) % 2 ** 32) + this.next()) >>> 0;
    }
  }

  /** Bytes consumed so far (the decoder may look up to 4 bytes ahead of the last decision). */
  get consumed(): number {
    return this.pos;
  }
}
