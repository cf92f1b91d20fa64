/**
 * Validation against the official nbformat 4 JSON schemas (copied as data into `ci/schema/`, see its README):
 * the subset of JSON Schema draft 4 those schemas use, plus nbformat's own rule that cell ids are unique
 * (4.5). The answer is the most relevant error, as one line naming where it is: `cell 3 (id ab12): source
 * must be a string or an array (got number)`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema document, walked generically
type Schema = Record<string, any>;

/** Where a problem is: the cell (if inside one) and the JSON path below it. */
export interface SchemaProblem {
  cell?: { index: number; id?: string };
  message: string;
}

interface Err {
  path: (string | number)[];
  keyword: string;
  message: string;
  allowed?: unknown[];
}

const SCHEMA_DIR = path.join(__dirname, "..", "..", "schema");
const cache = new Map<number, Schema>();

/** The schema nbformat validates a 4.`minor` notebook with (4.5's for later minors, as nbformat does). */
function schemaFor(minor: number): Schema {
  const m = Math.max(0, Math.min(5, Number.isInteger(minor) ? minor : 5));
  let s = cache.get(m);
  if (!s) {
    s = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, `nbformat.v4.${m}.schema.json`), "utf8")) as Schema;
    cache.set(m, s);
  }
  return s;
}

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
function hasType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return t === actual || (t === "number" && actual === "integer");
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every error of `v` against `s` (draft 4 keywords used by the nbformat schemas); [] when valid. */
function check(v: unknown, s: Schema, root: Schema, at: (string | number)[]): Err[] {
  if (s.$ref) {
    const target = (s.$ref as string)
      .replace(/^#\//, "")
      .split("/")
      .reduce((o: Schema, k) => o?.[k], root);
    return check(v, target, root, at);
  }
  const errs: Err[] = [];
  const err = (keyword: string, message: string, p = at) => errs.push({ path: p, keyword, message });
  if (s.type) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(v, t))) {
      err("type", `must be ${types.map(article).join(" or ")} (got ${typeOf(v) === "integer" ? "number" : typeOf(v)})`);
      return errs;
    }
  }
  if (s.enum && !s.enum.some((e: unknown) => equal(e, v))) {
    errs.push({
      path: at,
      keyword: "enum",
      message: `must be ${s.enum.map((e: unknown) => JSON.stringify(e)).join(" or ")} (got ${JSON.stringify(v)})`,
      allowed: s.enum,
    });
  }
  if (typeof v === "string") {
    if (s.minLength !== undefined && v.length < s.minLength)
      err("minLength", v.length === 0 ? "must not be empty" : `must be at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && v.length > s.maxLength)
      err("maxLength", `must be at most ${s.maxLength} characters (has ${v.length})`);
    if (s.pattern && !new RegExp(s.pattern, "u").test(v))
      err("pattern", `${JSON.stringify(v.slice(0, 40))} does not match ${s.pattern}`);
  }
  if (typeof v === "number") {
    if (s.minimum !== undefined && v < s.minimum) err("minimum", `must be ≥ ${s.minimum} (got ${v})`);
    if (s.maximum !== undefined && v > s.maximum) err("maximum", `must be ≤ ${s.maximum} (got ${v})`);
  }
  if (Array.isArray(v)) {
    if (s.items) v.forEach((x, i) => errs.push(...check(x, s.items, root, [...at, i])));
    if (s.uniqueItems) {
      const seen = new Set<string>();
      for (const x of v) {
        const k = JSON.stringify(x);
        if (seen.has(k)) {
          err("uniqueItems", `has ${k} twice`);
          break;
        }
        seen.add(k);
      }
    }
  }
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) err("required", `is missing "${k}"`);
    const props: Schema = s.properties ?? {};
    const patterns = Object.entries((s.patternProperties ?? {}) as Schema).map(
      ([p, sub]) => [new RegExp(p, "u"), sub] as const,
    );
    for (const [k, x] of Object.entries(o)) {
      let known = false;
      if (k in props) {
        known = true;
        errs.push(...check(x, props[k], root, [...at, k]));
      }
      for (const [re, sub] of patterns)
        if (re.test(k)) {
          known = true;
          errs.push(...check(x, sub, root, [...at, k]));
        }
      if (!known && s.additionalProperties === false) err("additionalProperties", `has an unexpected key "${k}"`);
      else if (!known && s.additionalProperties && typeof s.additionalProperties === "object")
        errs.push(...check(x, s.additionalProperties, root, [...at, k]));
    }
  }
  if (s.not && check(v, s.not, root, at).length === 0) err("not", "has a form the schema forbids");
  if (s.oneOf) {
    const branches = (s.oneOf as Schema[]).map((b) => check(v, b, root, at));
    const passing = branches.filter((b) => b.length === 0).length;
    if (passing === 0) errs.push(bestOf(branches, at));
    else if (passing > 1) err("oneOf", "matches more than one allowed form");
  }
  return errs;
}

function article(t: string): string {
  return ({ array: "an array", object: "an object", integer: "an integer" } as Record<string, string>)[t] ?? `a ${t}`;
}

/**
 * The error to report when no branch of a oneOf matched: a branch rejected only because a discriminating
 * constant (`cell_type`, `output_type`) differs is not the one meant, so the deepest error of the other
 * branches wins; when every branch failed on the value's type, their types are merged into one message.
 */
function bestOf(branches: Err[][], at: (string | number)[]): Err {
  const firsts = branches.map((b) => b[0]);
  if (firsts.every((e) => e.keyword === "type" && e.path.length === at.length)) {
    const want = firsts.map((e) => /^must be (.*) \(got/.exec(e.message)?.[1]).join(" or ");
    return {
      path: at,
      keyword: "type",
      message: `must be ${want}${/ \(got [^)]*\)$/.exec(firsts[0].message)?.[0] ?? ""}`,
    };
  }
  const discriminated = (b: Err[]) =>
    b.some(
      (e) =>
        e.keyword === "enum" && e.path.length === at.length + 1 && /_type$/.test(String(e.path[e.path.length - 1])),
    );
  const candidates = branches.filter((b) => !discriminated(b));
  if (candidates.length === 0) {
    const enums = branches.map((b) => b.find((e) => e.keyword === "enum")!);
    const allowed = enums
      .flatMap((e) => e.allowed ?? [])
      .map((x) => JSON.stringify(x))
      .join(", ");
    return {
      path: enums[0].path,
      keyword: "enum",
      message: `must be one of ${allowed}${/ \(got [^)]*\)$/.exec(enums[0].message)?.[0] ?? ""}`,
    };
  }
  return candidates
    .map((b) => b.reduce((x, y) => (y.path.length > x.path.length ? y : x)))
    .reduce((x, y) => (y.path.length > x.path.length ? y : x));
}

/** A JSON path as a reader would write it: `metadata.kernelspec.name`, `outputs[0].text`. */
function pathText(p: (string | number)[]): string {
  return p
    .map((k, i) =>
      typeof k === "number" ? `[${k}]` : /^[A-Za-z_][\w]*$/.test(k) ? (i ? "." : "") + k : `[${JSON.stringify(k)}]`,
    )
    .join("");
}

/**
 * Validates a parsed notebook (nbformat 4, as read from disk) as `nbformat.validate` would, including unique
 * cell ids for 4.5 and later. Returns the first problem, or undefined when the notebook is valid.
 */
// biome-ignore lint/suspicious/noExplicitAny: any parsed JSON: this is the check
export function validateNotebook(raw: Record<string, any>): SchemaProblem | undefined {
  const schema = schemaFor(raw.nbformat_minor);
  const errs = check(raw, schema, schema, []);
  if (errs.length) {
    const e = errs[0]; // in document order: the notebook's own keys, then cell by cell
    if (e.path[0] === "cells" && typeof e.path[1] === "number") {
      const cell = raw.cells[e.path[1]];
      const rest = pathText(e.path.slice(2));
      return {
        cell: { index: e.path[1], id: typeof cell?.id === "string" ? cell.id : undefined },
        message: `${rest || "the cell"} ${e.message}`,
      };
    }
    return { message: `${pathText(e.path) || "the notebook"} ${e.message}` };
  }
  if ((raw.nbformat_minor ?? 0) >= 5) {
    const seen = new Map<string, number>();
    for (const [i, c] of (raw.cells as Record<string, unknown>[]).entries()) {
      const id = c.id as string;
      const first = seen.get(id);
      if (first !== undefined)
        return {
          cell: { index: i, id },
          message: `cell id "${id}" is also the id of cell ${first + 1} (ids must be unique)`,
        };
      seen.set(id, i);
    }
  }
  return undefined;
}
