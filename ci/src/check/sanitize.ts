/**
 * Sanitizers: rewrite the parts of output text that legitimately change between runs (timestamps, temporary
 * paths, memory addresses, durations) into placeholders, on both the stored and the new side, before comparing.
 * Each built-in has a name, can be turned off (`builtinSanitizers` in the config, `--no-sanitize NAME|all`),
 * and is named in a failure's report when it rewrote that cell's text. User sanitizers come from the config or
 * from an nbval sanitize file (`--sanitize-with FILE`).
 */
import * as os from "node:os";
import type { Sanitizer } from "../config";

export interface CompiledSanitizer {
  name: string;
  re: RegExp;
  replace: string;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const tmp = [...new Set([os.tmpdir(), "/tmp", "/var/tmp", "/var/folders"])].map(escapeRe).join("|");

/** The built-in sanitizers, in the order applied. */
export const BUILTIN_SANITIZERS: CompiledSanitizer[] = [
  // 2024-05-01T12:34:56.789Z, 2024-05-01 12:34:56+02:00
  {
    name: "iso-timestamp",
    re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g,
    replace: "<TIMESTAMP>",
  },
  // /tmp/folio-kernel-AbC123/kernel.json, /var/folders/xy/…
  { name: "temp-path", re: new RegExp(`(?:${tmp})(?:/[^\\s'"\`<>:,;)\\]]*)?`, "g"), replace: "<TMPPATH>" },
  // 0x7f3a2c1b9e40
  { name: "hex-address", re: /\b0x[0-9a-fA-F]{6,16}\b/g, replace: "<ADDR>" },
  // 1.23s, 45 ms, [3.2s], 12.0 µs, 3 seconds, 1m02s
  {
    name: "duration",
    re: /(?<![\w.])\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds?|min|mins|minutes?|h)(?![\w])(?:\s?\d+(?:\.\d+)?\s?(?:ms|s))?/g,
    replace: "<DURATION>",
  },
];

export const BUILTIN_SANITIZER_NAMES = BUILTIN_SANITIZERS.map((s) => s.name);

/** Compiles user sanitizers (`{regex, replace?, flags?}`; default replacement `<SANITIZED>`), named `label-1`, `label-2`… */
export function compileSanitizers(user: Sanitizer[], label = "config"): CompiledSanitizer[] {
  return user.map((s, i) => {
    const flags = s.flags ?? "g";
    return {
      name: `${label}-${i + 1}`,
      re: new RegExp(s.regex, flags.includes("g") ? flags : `${flags}g`),
      replace: s.replace ?? "<SANITIZED>",
    };
  });
}

/** Python's regex syntax where it differs from JavaScript's: named groups and their back-references. */
function fromPythonRegex(re: string): string {
  return re.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
}

/**
 * Reads an nbval sanitize file (`--nbval-sanitize-with`): INI sections, each with `regex:` and `replace:`.
 * @see https://nbval.readthedocs.io/en/latest/#Using-a-sanitize-file
 */
export function parseSanitizeFile(text: string, file: string): CompiledSanitizer[] {
  const sections: { name: string; regex?: string; replace?: string }[] = [];
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      sections.push({ name: head[1] });
      continue;
    }
    const kv = /^(regex|replace)\s*[:=]\s?(.*)$/.exec(raw.replace(/^\s+/, ""));
    if (!kv || sections.length === 0) throw new Error(`${file}:${n + 1}: expected [section], regex: … or replace: …`);
    sections[sections.length - 1][kv[1] as "regex" | "replace"] = kv[2];
  }
  return sections.map((s) => {
    if (!s.regex) throw new Error(`${file}: section [${s.name}] has no regex`);
    try {
      return { name: s.name, re: new RegExp(fromPythonRegex(s.regex), "g"), replace: s.replace ?? "" };
    } catch (e) {
      throw new Error(`${file}: section [${s.name}]: ${(e as Error).message}`);
    }
  });
}

/** The built-ins with these names, in their order. */
export function builtinSanitizers(names: string[]): CompiledSanitizer[] {
  return BUILTIN_SANITIZERS.filter((s) => names.includes(s.name));
}

/**
 * Applies sanitizers in order (by default the built-ins, then `user`); the name of each that changed the text
 * is added to `used`.
 */
export function sanitize(
  text: string,
  user: CompiledSanitizer[] = [],
  used?: Set<string>,
  builtins: CompiledSanitizer[] = BUILTIN_SANITIZERS,
): string {
  for (const s of [...builtins, ...user]) {
    const next = text.replace(s.re, s.replace);
    if (next !== text) {
      used?.add(s.name);
      text = next;
    }
  }
  return text;
}
