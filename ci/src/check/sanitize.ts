/**
 * Sanitizers: rewrite the parts of output text that legitimately change between runs (timestamps, temporary
 * paths, memory addresses, durations) into placeholders, on both the stored and the new side, before comparing.
 */
import * as os from "node:os";
import type { Sanitizer } from "../config";

export interface CompiledSanitizer { name: string; re: RegExp; replace: string }

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const tmp = [...new Set([os.tmpdir(), "/tmp", "/var/tmp", "/var/folders"])].map(escapeRe).join("|");

/** The built-in sanitizers, in the order applied. */
export const BUILTIN_SANITIZERS: CompiledSanitizer[] = [
  // 2024-05-01T12:34:56.789Z, 2024-05-01 12:34:56+02:00
  { name: "iso-timestamp", re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g, replace: "<TIMESTAMP>" },
  // /tmp/folio-kernel-AbC123/kernel.json, /var/folders/xy/…
  { name: "temp-path", re: new RegExp(`(?:${tmp})(?:/[^\\s'"\`<>:,;)\\]]*)?`, "g"), replace: "<TMPPATH>" },
  // 0x7f3a2c1b9e40
  { name: "hex-address", re: /\b0x[0-9a-fA-F]{6,16}\b/g, replace: "<ADDR>" },
  // 1.23s, 45 ms, [3.2s], 12.0 µs, 3 seconds, 1m02s
  { name: "duration", re: /(?<![\w.])\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds?|min|mins|minutes?|h)(?![\w])(?:\s?\d+(?:\.\d+)?\s?(?:ms|s))?/g, replace: "<DURATION>" },
];

/** Compiles user sanitizers from the config (`{regex, replace?, flags?}`; default replacement `<SANITIZED>`). */
export function compileSanitizers(user: Sanitizer[]): CompiledSanitizer[] {
  return user.map((s, i) => {
    const flags = s.flags ?? "g";
    return { name: `config-${i + 1}`, re: new RegExp(s.regex, flags.includes("g") ? flags : flags + "g"), replace: s.replace ?? "<SANITIZED>" };
  });
}

/** Applies the built-in sanitizers, then the user's. */
export function sanitize(text: string, user: CompiledSanitizer[] = []): string {
  for (const s of [...BUILTIN_SANITIZERS, ...user]) text = text.replace(s.re, s.replace);
  return text;
}
