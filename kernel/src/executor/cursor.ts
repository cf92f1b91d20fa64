/**
 * Cursor positions between the Jupyter protocol and JavaScript strings. Since protocol 5.2 `cursor_pos`,
 * `cursor_start` and `cursor_end` count Unicode code points; JavaScript strings index UTF-16 units, and an
 * emoji is two of them (treating them as one makes accepting `Math.f` after one give `Math.ffloor`).
 * Out-of-range and non-integer positions (a client's `cursor_pos` of 10^9) are clamped into the text.
 */

/** The UTF-16 offset of code point `cp` of `text`, clamped to [0, text.length]. */
export function utf16Offset(text: string, cp: number): number {
  const n = Number.isFinite(cp) ? Math.max(0, Math.trunc(cp)) : text.length;
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** The code-point offset of UTF-16 offset `u` of `text` (clamped). */
export function codePointOffset(text: string, u: number): number {
  const end = Math.max(0, Math.min(text.length, Math.trunc(u) || 0));
  let cp = 0;
  for (let i = 0; i < end; cp++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return cp;
}
