/**
 * Shapes: a type and its parser written once. A shape checks an untrusted JSON value (a message a client sent)
 * and returns it typed, or says in words which field is wrong; it never throws. `Infer<typeof S>` is the type,
 * so nothing is written twice. Deliberately small: the Jupyter messages need strings, booleans, integers,
 * string literals, optional fields, records and objects, nothing more.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Shape<T> {
  /** What the shape accepts, in words ("an integer"), for error messages. */
  readonly expected: string;
  parse(value: unknown, path?: string): Parsed<T>;
}

/** An optional object field: absent, `undefined` or `null` (Python clients send `None`) all read as absent. */
export interface Optional<T> extends Shape<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Shape<infer T> ? T : never;

type Fields = Record<string, Shape<unknown>>;
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends Optional<unknown> ? K : never }[keyof F];
type Flatten<T> = { [K in keyof T]: T[K] };
/** The object type a set of fields describes: optional shapes become optional properties. */
export type ObjectOf<F extends Fields> = Flatten<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined>;
  }
>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

/** A short rendering of a wrong value for a message: its JSON type, and the value itself when it is small. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string")
    return v.length <= 40 ? `the string ${JSON.stringify(v)}` : `a string of ${v.length} characters`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`;
  return typeof v === "object" ? "an object" : typeof v;
}

const fail = (path: string, expected: string, got: unknown): { ok: false; reason: string } => ({
  ok: false,
  reason: `${path || "value"}: expected ${expected}, got ${describeValue(got)}`,
});

function primitive<T>(expected: string, test: (v: unknown) => v is T): Shape<T> {
  return { expected, parse: (v, path = "") => (test(v) ? ok(v) : fail(path, expected, v)) };
}

export const string = primitive("a string", (v): v is string => typeof v === "string");
export const boolean = primitive("a boolean", (v): v is boolean => typeof v === "boolean");
/** A safe integer (JSON numbers beyond 2^53 lose their value, and cursor arithmetic with them is meaningless). */
export const integer = primitive("an integer", (v): v is number => Number.isSafeInteger(v));
/** Anything JSON: the field is carried, not read. */
export const unknown: Shape<unknown> = { expected: "any value", parse: (v) => ok(v) };

export function literal<L extends string | number | boolean>(...values: L[]): Shape<L> {
  const expected = `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`;
  return primitive(expected, (v): v is L => values.includes(v as L));
}

/** A shape narrowed by a predicate, e.g. a non-negative integer. */
export function refine<T>(base: Shape<T>, expected: string, test: (v: T) => boolean): Shape<T> {
  return {
    expected,
    parse: (v, path = "") => {
      const r = base.parse(v, path);
      return r.ok && !test(r.value) ? fail(path, expected, v) : r;
    },
  };
}

export function optional<T>(s: Shape<T>): Optional<T> {
  return {
    optional: true,
    expected: `${s.expected} or nothing`,
    parse: (v, path) => (v === undefined || v === null ? ok(undefined) : s.parse(v, path)),
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON object whose every value has shape `s`. */
export function record<T>(s: Shape<T>): Shape<Record<string, T>> {
  return {
    expected: `an object of ${s.expected}`,
    parse(v, path = "") {
      if (!isPlainObject(v)) return fail(path, "an object", v);
      const out: Record<string, T> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = s.parse(x, `${path}.${k}`);
        if (!r.ok) return r;
        // defineProperty: a key "__proto__" is data here, never the prototype
        Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
      }
      return ok(out);
    },
  };
}

export function array<T>(s: Shape<T>): Shape<T[]> {
  return {
    expected: `an array of ${s.expected}`,
    parse(v, path = "") {
      if (!Array.isArray(v)) return fail(path, "an array", v);
      const out: T[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = s.parse(v[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    },
  };
}

/**
 * A JSON object with these fields. Unknown fields are allowed (the messaging spec asks both sides to tolerate
 * additions) but not carried: the parsed value holds the declared fields only, absent optional ones omitted.
 */
export function object<F extends Fields>(fields: F): Shape<ObjectOf<F>> {
  return {
    expected: "an object",
    parse(v, path = "") {
      if (!isPlainObject(v)) return fail(path, "an object", v);
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(fields)) {
        const r = s.parse(Object.hasOwn(v, k) ? v[k] : undefined, path ? `${path}.${k}` : k);
        if (!r.ok) return r;
        if (r.value !== undefined) out[k] = r.value;
      }
      return ok(out as ObjectOf<F>);
    },
  };
}
