/** Text helpers shared by storing, comparing and drawing outputs: one definition of each. */
import type { Output, StreamOutput } from "./types";

/** Joins nbformat's list-of-lines form into one string (a string is returned as is; anything else is ""). */
export function joinText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join("");
  return typeof v === "string" ? v : "";
}

/** Python's str.splitlines(keepends=True), which nbformat uses when writing. */
export function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\r" && s[i + 1] === "\n") {
      i++;
      out.push(s.slice(start, i + 1));
      start = i + 1;
    } else if ("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029".includes(c)) {
      out.push(s.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and lone two-byte escapes.
export const ANSI_ESCAPES = /\x1b\[([0-9;:?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes every ANSI control sequence (colours in tracebacks, cursor moves of progress bars). */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_ESCAPES, "");
}

// nbconvert's coalesce_streams: everything on a line up to a carriage return that has text after it
const CR_OVERWRITE = /[^\n]*\r(?=[^\n])/g; // Python's `.` is `[^\n]`: it matches \r, JavaScript's does not

/**
 * Carriage returns and backspaces resolved the way Jupyter stores stream text (nbconvert's coalesce_streams:
 * a `\r` followed by text discards the line so far, so `"abc\rX"` is `"X"`), then each backspace erases the
 * character before it. Both the stored notebook and the report use this one function, so they agree.
 */
export function resolveControlChars(text: string): string {
  if (text.includes("\r")) text = text.replace(CR_OVERWRITE, "");
  if (text.includes("\b")) {
    let prev: string;
    do {
      prev = text;
      text = text.replace(/[^\n\b]\x08/g, "");
    } while (text !== prev);
  }
  return text;
}

/** Consecutive stream outputs of the same name merged into one, as Jupyter stores them (the input is not changed). */
export function mergeStreams<T extends Output>(outputs: readonly T[]): T[] {
  const res: T[] = [];
  for (const o of outputs) {
    const last = res[res.length - 1];
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      res[res.length - 1] = { ...last, text: last.text + o.text } as StreamOutput as T;
    } else res.push(o);
  }
  return res;
}
