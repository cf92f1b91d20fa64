/**
 * A copy of `a` in a new typed array of `length` (≥ a.length), zero past the old end: how the DP tables of dp.ts and
 * dpwide.ts grow (doubling, so each element is copied O(1) times on average).
 */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
