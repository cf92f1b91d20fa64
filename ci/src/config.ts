/**
 * The runner's configuration: `folio.config.json` at the project root (or `--config FILE`), merged over
 * defaults. Per-notebook metadata (`folio.tolerance`, `folio.timeout`, `folio.cell_timeout`) and cell tags
 * (`tolerance=1e-2`, `atol=1e-6`) refine it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface Tolerance {
  /** Relative tolerance: |a−b| ≤ abs + rel·max(|a|,|b|). */
  rel: number;
  abs: number;
}

export interface Sanitizer { regex: string; replace?: string; flags?: string }

export interface Config {
  tolerance: Tolerance;
  /** User sanitizers, applied after the built-in ones to both sides. */
  sanitizers: Sanitizer[];
  /** Ignore text/html when the output also has text/plain (HTML tables, progress bars: markup noise). */
  ignoreHtmlWithPlain: boolean;
  compareImages: boolean;
  /** Default seconds per notebook and per cell. */
  timeout: number;
  cellTimeout: number;
  /** Where the configuration came from, for messages. */
  file?: string;
}

export const DEFAULT_CONFIG: Config = {
  tolerance: { rel: 1e-4, abs: 1e-8 },
  sanitizers: [],
  ignoreHtmlWithPlain: true,
  compareImages: false,
  timeout: 1800,
  cellTimeout: 600,
};

/** The project root: the nearest ancestor of `start` holding folio.config.json, else package.json with workspaces, else .git. */
export function findRoot(start: string): string {
  const candidates: ((d: string) => boolean)[] = [
    (d) => fs.existsSync(path.join(d, "folio.config.json")),
    (d) => { try { return !!JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")).workspaces; } catch { return false; } },
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
    return { ...DEFAULT_CONFIG, tolerance: { ...DEFAULT_CONFIG.tolerance } };
  }
  let raw: any;
  try { raw = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) {
    throw new Error(`config ${file}: malformed JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  const cfg: Config = { ...DEFAULT_CONFIG, tolerance: { ...DEFAULT_CONFIG.tolerance }, file };
  if (raw.tolerance !== undefined) cfg.tolerance = parseTolerance(raw.tolerance, cfg.tolerance, `config ${file}`);
  if (raw.sanitizers !== undefined) {
    if (!Array.isArray(raw.sanitizers)) throw new Error(`config ${file}: "sanitizers" must be a list of {regex, replace}`);
    cfg.sanitizers = raw.sanitizers.map((s: any, i: number) => {
      const san: Sanitizer = typeof s === "string" ? { regex: s } : s;
      try { new RegExp(san.regex, san.flags ?? "g"); } catch (e) { throw new Error(`config ${file}: sanitizer ${i + 1}: ${(e as Error).message}`); }
      return san;
    });
  }
  for (const k of ["ignoreHtmlWithPlain", "compareImages"] as const) if (typeof raw[k] === "boolean") cfg[k] = raw[k];
  for (const k of ["timeout", "cellTimeout"] as const) if (typeof raw[k] === "number" && raw[k] > 0) cfg[k] = raw[k];
  return cfg;
}

/** A tolerance from a number (relative) or `{rel, abs}`, over `base`. */
export function parseTolerance(v: unknown, base: Tolerance, where: string): Tolerance {
  if (typeof v === "number" && v >= 0) return { ...base, rel: v };
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const t = { ...base };
    if (o.rel !== undefined) { if (typeof o.rel !== "number" || o.rel < 0) throw new Error(`${where}: tolerance.rel must be a number ≥ 0`); t.rel = o.rel; }
    if (o.abs !== undefined) { if (typeof o.abs !== "number" || o.abs < 0) throw new Error(`${where}: tolerance.abs must be a number ≥ 0`); t.abs = o.abs; }
    return t;
  }
  throw new Error(`${where}: tolerance must be a number or {rel, abs}`);
}

/** The notebook's tolerance: config, then metadata `folio.tolerance`. */
export function notebookTolerance(cfg: Config, metadata: Record<string, unknown>): Tolerance {
  const f = metadata.folio as Record<string, unknown> | undefined;
  return f?.tolerance !== undefined ? parseTolerance(f.tolerance, cfg.tolerance, "notebook metadata folio") : cfg.tolerance;
}

/** A cell's tolerance: the notebook's, then tags `tolerance=X` (relative) and `atol=Y` (absolute). */
export function cellTolerance(base: Tolerance, tags: string[]): Tolerance {
  const t = { ...base };
  for (const tag of tags) {
    const m = /^(tolerance|rtol|atol)=(.+)$/.exec(tag);
    if (!m) continue;
    const x = Number(m[2]);
    if (!Number.isFinite(x) || x < 0) continue;
    if (m[1] === "atol") t.abs = x; else t.rel = x;
  }
  return t;
}

/** Seconds per notebook and per cell: CLI flag, else notebook metadata, else config. */
export function notebookTimeouts(cfg: Config, metadata: Record<string, unknown>, cli: { timeout?: number; cellTimeout?: number }): { timeout: number; cellTimeout: number } {
  const f = (metadata.folio ?? {}) as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === "number" && x > 0 ? x : undefined);
  return {
    timeout: cli.timeout ?? num(f.timeout) ?? cfg.timeout,
    cellTimeout: cli.cellTimeout ?? num(f.cell_timeout) ?? cfg.cellTimeout,
  };
}
