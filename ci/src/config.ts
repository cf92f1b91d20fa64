/**
 * The runner's configuration: `folio.config.json` at the project root (or `--config FILE`), merged over
 * defaults. Per-notebook metadata (`folio.tolerance`, `folio.timeout`, `folio.cell_timeout`, nbmake's
 * `execution.timeout` and `execution.allow_errors`) and cell tags (`tolerance=1e-2`, `atol=1e-6`) refine it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { BUILTIN_SANITIZER_NAMES } from "./check/sanitize";
import { malformedJson } from "./nbformat/json";

export interface Tolerance {
  /** Relative tolerance: |a−b| ≤ abs + rel·max(|a|,|b|). */
  rel: number;
  abs: number;
  /** Apply the tolerance to two printed integers too (default: integers must match exactly). */
  integers?: boolean;
}

export interface Sanitizer {
  regex: string;
  replace?: string;
  flags?: string;
}

export interface Config {
  tolerance: Tolerance;
  /** User sanitizers, applied after the built-in ones to both sides. */
  sanitizers: Sanitizer[];
  /** The built-in sanitizers in use, by name (all by default; `false` in the file for none). */
  builtinSanitizers: string[];
  /** Ignore text/html when the output also has text/plain (HTML tables, progress bars: markup noise). */
  ignoreHtmlWithPlain: boolean;
  compareImages: boolean;
  /** Images: the largest difference allowed in any channel of any pixel (0–255). */
  imageTolerance: number;
  /** Images: pass when the mean structural similarity (SSIM, 0–1) reaches this, whatever the pixel differences. */
  imageSimilarity?: number;
  /** Default seconds per notebook and per cell. */
  timeout: number;
  cellTimeout: number;
  /** Where the configuration came from, for messages. */
  file?: string;
}

/**
 * rel 1e-12 lets floating-point noise through (0.1 + 0.2 printed as 0.30000000000000004 against 0.3 is 1.5e-16
 * apart) but fails any change in a printed significant digit of a number shown with 12 digits or fewer, and
 * integers must match exactly.
 */
export const DEFAULT_CONFIG: Config = {
  tolerance: { rel: 1e-12, abs: 0 },
  sanitizers: [],
  builtinSanitizers: BUILTIN_SANITIZER_NAMES,
  ignoreHtmlWithPlain: true,
  compareImages: false,
  imageTolerance: 0,
  timeout: 1800,
  cellTimeout: 600,
};

/** The project root: the nearest ancestor of `start` holding folio.config.json, else package.json with workspaces, else .git. */
export function findRoot(start: string): string {
  const candidates: ((d: string) => boolean)[] = [
    (d) => fs.existsSync(path.join(d, "folio.config.json")),
    (d) => {
      try {
        return !!JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")).workspaces;
      } catch {
        return false;
      }
    },
    (d) => fs.existsSync(path.join(d, ".git")),
  ];
  for (const test of candidates) {
    for (let d = path.resolve(start); ; d = path.dirname(d)) {
      if (test(d)) return d;
      if (path.dirname(d) === d) break;
    }
  }
  return path.resolve(start);
}

/** Reads the configuration (explicit file, else `<root>/folio.config.json`, else defaults). Throws a one-line Error. */
export function loadConfig(root: string, explicit?: string): Config {
  const file = explicit ?? path.join(root, "folio.config.json");
  if (!fs.existsSync(file)) {
    if (explicit) throw new Error(`config ${explicit}: no such file`);
    return {
      ...DEFAULT_CONFIG,
      tolerance: { ...DEFAULT_CONFIG.tolerance },
      builtinSanitizers: [...DEFAULT_CONFIG.builtinSanitizers],
    };
  }
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked field by field below
  let raw: any;
  const text = fs.readFileSync(file, "utf8");
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`config ${file}: ${malformedJson(text, e)}`);
  }
  const cfg: Config = {
    ...DEFAULT_CONFIG,
    tolerance: { ...DEFAULT_CONFIG.tolerance },
    builtinSanitizers: [...DEFAULT_CONFIG.builtinSanitizers],
    file,
  };
  if (raw.tolerance !== undefined) cfg.tolerance = parseTolerance(raw.tolerance, cfg.tolerance, `config ${file}`);
  if (raw.sanitizers !== undefined) {
    if (!Array.isArray(raw.sanitizers))
      throw new Error(`config ${file}: "sanitizers" must be a list of {regex, replace}`);
    cfg.sanitizers = raw.sanitizers.map((s: Sanitizer | string, i: number) => {
      const san: Sanitizer = typeof s === "string" ? { regex: s } : s;
      try {
        new RegExp(san.regex, san.flags ?? "g");
      } catch (e) {
        throw new Error(`config ${file}: sanitizer ${i + 1}: ${(e as Error).message}`);
      }
      return san;
    });
  }
  if (raw.builtinSanitizers !== undefined)
    cfg.builtinSanitizers = parseBuiltinSanitizers(raw.builtinSanitizers, `config ${file}`);
  for (const k of ["ignoreHtmlWithPlain", "compareImages"] as const) if (typeof raw[k] === "boolean") cfg[k] = raw[k];
  if (raw.imageTolerance !== undefined) {
    if (typeof raw.imageTolerance !== "number" || raw.imageTolerance < 0 || raw.imageTolerance > 255)
      throw new Error(`config ${file}: imageTolerance must be a number from 0 to 255`);
    cfg.imageTolerance = raw.imageTolerance;
  }
  if (raw.imageSimilarity !== undefined) {
    if (typeof raw.imageSimilarity !== "number" || raw.imageSimilarity <= 0 || raw.imageSimilarity > 1)
      throw new Error(`config ${file}: imageSimilarity must be a number in (0, 1]`);
    cfg.imageSimilarity = raw.imageSimilarity;
  }
  for (const k of ["timeout", "cellTimeout"] as const) if (typeof raw[k] === "number" && raw[k] > 0) cfg[k] = raw[k];
  return cfg;
}

/** The built-in sanitizers to use: `true` (all), `false` (none), or a list of names; unknown names are an error. */
export function parseBuiltinSanitizers(v: unknown, where: string): string[] {
  if (v === true) return [...BUILTIN_SANITIZER_NAMES];
  if (v === false) return [];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
    const bad = v.find((x) => !BUILTIN_SANITIZER_NAMES.includes(x));
    if (bad)
      throw new Error(`${where}: unknown built-in sanitizer "${bad}" (known: ${BUILTIN_SANITIZER_NAMES.join(", ")})`);
    return [...v];
  }
  throw new Error(
    `${where}: builtinSanitizers must be true, false or a list of names (${BUILTIN_SANITIZER_NAMES.join(", ")})`,
  );
}

/** The built-in sanitizers left after `--no-sanitize` (names, or "all"). */
export function withoutSanitizers(inUse: string[], off: string[]): string[] {
  if (off.includes("all")) return [];
  const bad = off.find((x) => !BUILTIN_SANITIZER_NAMES.includes(x));
  if (bad)
    throw new Error(
      `--no-sanitize: unknown built-in sanitizer "${bad}" (known: ${BUILTIN_SANITIZER_NAMES.join(", ")}, or all)`,
    );
  return inUse.filter((n) => !off.includes(n));
}

/** A tolerance from a number (relative) or `{rel, abs, integers}`, over `base`. */
export function parseTolerance(v: unknown, base: Tolerance, where: string): Tolerance {
  if (typeof v === "number" && v >= 0) return { ...base, rel: v };
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const t = { ...base };
    if (o.rel !== undefined) {
      if (typeof o.rel !== "number" || o.rel < 0) throw new Error(`${where}: tolerance.rel must be a number ≥ 0`);
      t.rel = o.rel;
    }
    if (o.abs !== undefined) {
      if (typeof o.abs !== "number" || o.abs < 0) throw new Error(`${where}: tolerance.abs must be a number ≥ 0`);
      t.abs = o.abs;
    }
    if (o.integers !== undefined) {
      if (typeof o.integers !== "boolean") throw new Error(`${where}: tolerance.integers must be true or false`);
      t.integers = o.integers;
    }
    return t;
  }
  throw new Error(`${where}: tolerance must be a number or {rel, abs}`);
}

/** The notebook's tolerance: config, then metadata `folio.tolerance`. */
export function notebookTolerance(cfg: Config, metadata: Record<string, unknown>): Tolerance {
  const f = metadata.folio as Record<string, unknown> | undefined;
  return f?.tolerance !== undefined
    ? parseTolerance(f.tolerance, cfg.tolerance, "notebook metadata folio")
    : cfg.tolerance;
}

/** A cell's tolerance: the notebook's, then tags `tolerance=X` (relative) and `atol=Y` (absolute). */
export function cellTolerance(base: Tolerance, tags: string[]): Tolerance {
  const t = { ...base };
  for (const tag of tags) {
    const m = /^(tolerance|rtol|atol)=(.+)$/.exec(tag);
    if (!m) continue;
    const x = Number(m[2]);
    if (!Number.isFinite(x) || x < 0) continue;
    if (m[1] === "atol") t.abs = x;
    else t.rel = x;
  }
  return t;
}

/**
 * Seconds per notebook and per cell: CLI flag, else notebook metadata (`folio.timeout`, `folio.cell_timeout`,
 * then nbmake's per-cell `execution.timeout`), else config.
 * @see https://github.com/treebeardtech/nbmake#configure-a-cell-timeout
 */
export function notebookTimeouts(
  cfg: Config,
  metadata: Record<string, unknown>,
  cli: { timeout?: number; cellTimeout?: number },
): { timeout: number; cellTimeout: number } {
  const f = (metadata.folio ?? {}) as Record<string, unknown>;
  const ex = (metadata.execution ?? {}) as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === "number" && x > 0 ? x : undefined);
  return {
    timeout: cli.timeout ?? num(f.timeout) ?? cfg.timeout,
    cellTimeout: cli.cellTimeout ?? num(f.cell_timeout) ?? num(ex.timeout) ?? cfg.cellTimeout,
  };
}

/** nbmake's `metadata.execution.allow_errors`: cells may raise; their errors are outputs like any other. */
export function allowErrors(metadata: Record<string, unknown>): boolean {
  return (metadata.execution as { allow_errors?: unknown } | undefined)?.allow_errors === true;
}
