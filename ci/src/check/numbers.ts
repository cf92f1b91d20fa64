/**
 * Comparing text and JSON with numbers inside them: two numbers match when |a−b| ≤ abs + rel·max(|a|,|b|)
 * (numpy.isclose's symmetric form), except that two integers must be equal unless `tolerance.integers` says
 * otherwise (a count that changed is a real change); everything else must match exactly.
 */
import type { Tolerance } from "../config";

const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/g;
const INTEGER = /^[-+]?\d+$/;

/** True when a and b agree within the tolerance (NaN equals NaN: the same text printed twice). */
export function close(
  a: number,
  b: number,
  tol: Tolerance,
  integers = Number.isInteger(a) && Number.isInteger(b),
): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (integers && !tol.integers) return false;
  return Math.abs(a - b) <= tol.abs + tol.rel * Math.max(Math.abs(a), Math.abs(b));
}

/** Why two numbers differ, for a message. */
function beyond(tol: Tolerance, integers: boolean): string {
  return integers && !tol.integers ? "integers must match exactly" : `beyond rel ${tol.rel}, abs ${tol.abs}`;
}

/** Splits text into alternating literal and number tokens. */
export function tokenize(text: string): { lits: string[]; nums: string[] } {
  const lits: string[] = [];
  const nums: string[] = [];
  let last = 0;
  for (const m of text.matchAll(NUMBER)) {
    lits.push(text.slice(last, m.index));
    nums.push(m[0]);
    last = m.index! + m[0].length;
  }
  lits.push(text.slice(last));
  return { lits, nums };
}

/** Where two texts first differ: undefined when they match within tolerance. */
export function textMismatch(expected: string, actual: string, tol: Tolerance): string | undefined {
  if (expected === actual) return undefined;
  const e = tokenize(expected),
    a = tokenize(actual);
  if (e.nums.length !== a.nums.length) return `text differs (${e.nums.length} vs ${a.nums.length} numbers)`;
  for (let i = 0; i < e.lits.length; i++) {
    if (e.lits[i] !== a.lits[i]) return `text differs near ${JSON.stringify(e.lits[i].trim().slice(0, 40))}`;
  }
  for (let i = 0; i < e.nums.length; i++) {
    if (e.nums[i] === a.nums[i]) continue;
    const ints = INTEGER.test(e.nums[i]) && INTEGER.test(a.nums[i]);
    if (!close(Number(e.nums[i]), Number(a.nums[i]), tol, ints))
      return `${e.nums[i]} became ${a.nums[i]} (${beyond(tol, ints)})`;
  }
  return undefined;
}

/** True when two lines match within tolerance (used to align diffs). */
export function linesClose(a: string, b: string, tol: Tolerance): boolean {
  return textMismatch(a, b, tol) === undefined;
}

/** Where two JSON values first differ (a path and a reason), or undefined. Strings compare with `str`; `skip` keys are ignored. */
/** How two strings inside JSON compare: by default as text with numbers in it. */
export type StringCompare = (expected: string, actual: string, tol: Tolerance) => string | undefined;

export function jsonMismatch(
  expected: unknown,
  actual: unknown,
  tol: Tolerance,
  at = "$",
  str: StringCompare = textMismatch,
  skip: ReadonlySet<string> = new Set(),
): string | undefined {
  if (typeof expected === "number" && typeof actual === "number") {
    const ints = Number.isInteger(expected) && Number.isInteger(actual);
    return close(expected, actual, tol, ints)
      ? undefined
      : `${at}: ${expected} became ${actual} (${beyond(tol, ints)})`;
  }
  if (typeof expected === "string" && typeof actual === "string") {
    const m = expected === actual ? undefined : str(expected, actual, tol);
    return m ? `${at}: ${m}` : undefined;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${at}: length ${expected.length} became ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = jsonMismatch(expected[i], actual[i], tol, `${at}[${i}]`, str, skip);
      if (m) return m;
    }
    return undefined;
  }
  if (
    expected
    && actual
    && typeof expected === "object"
    && typeof actual === "object"
    && !Array.isArray(expected)
    && !Array.isArray(actual)
  ) {
    const ek = Object.keys(expected)
        .filter((k) => !skip.has(k))
        .sort(),
      ak = Object.keys(actual)
        .filter((k) => !skip.has(k))
        .sort();
    const missing = ek.filter((k) => !(k in actual));
    const extra = ak.filter((k) => !(k in expected));
    if (missing.length) return `${at}: key ${JSON.stringify(missing[0])} missing`;
    if (extra.length) return `${at}: unexpected key ${JSON.stringify(extra[0])}`;
    for (const k of ek) {
      const m = jsonMismatch(
        (expected as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        tol,
        `${at}.${k}`,
        str,
        skip,
      );
      if (m) return m;
    }
    return undefined;
  }
  return expected === actual
    ? undefined
    : `${at}: ${JSON.stringify(expected)?.slice(0, 60)} became ${JSON.stringify(actual)?.slice(0, 60)}`;
}
