/**
 * A first import of npm packages for the start-up snapshot's warm-up (`language-snapshot.ts`). The snapshot's
 * warm-up cells imported nothing, so the code a session's first import runs (package resolution through
 * package.json `types` and `exports`, parsing and binding a declaration file full of classes and overloads,
 * checking calls into a class, emitting imports) had never run in the snapshot and was compiled on first use in
 * the kernel: TypeScript's own trace of a fresh kernel's first import of decimal.js, seedrandom and long showed
 * 10-19 ms to check the cell, 4-10 ms with these cells checked while the snapshot was built.
 *
 * Two small packages, written into the builder's temporary folder and imported by two cells through the
 * server's own compile path (the second cell's program is rebuilt from the first's). At run time nothing of
 * this is left but the compiled code: the kernel's server is a new one, in the notebook's folder.
 */
const pkg = (name: string, json: object, files: Record<string, string>): [string, string][] => [
  [`node_modules/${name}/package.json`, JSON.stringify({ name, version: "1.0.0", ...json })],
  ...Object.entries(files).map(([f, text]): [string, string] => [`node_modules/${name}/${f}`, text]),
];

/** A CommonJS-style package (`types` field, `export =` of a class merged with a namespace), as decimal.js and long. */
const NUMERIC = `declare namespace Amount {
  type Value = string | number | Amount;
  type Rounding = 0 | 1 | 2 | 3 | 4;
  interface Config { precision?: number; rounding?: Rounding; modulo?: number; crypto?: boolean }
  interface Parts { sign: -1 | 1; digits: readonly number[]; exponent: number }
}
declare class Amount {
  readonly d: number[];
  readonly e: number;
  readonly s: number;
  constructor(n: Amount.Value);
  absoluteValue(): Amount;
  abs(): Amount;
  ceil(): Amount;
  comparedTo(n: Amount.Value): number;
  cmp(n: Amount.Value): number;
  dividedBy(n: Amount.Value): Amount;
  div(n: Amount.Value): Amount;
  equals(n: Amount.Value): boolean;
  eq(n: Amount.Value): boolean;
  floor(): Amount;
  greaterThan(n: Amount.Value): boolean;
  gt(n: Amount.Value): boolean;
  isFinite(): boolean;
  isInteger(): boolean;
  isNaN(): boolean;
  lessThan(n: Amount.Value): boolean;
  lt(n: Amount.Value): boolean;
  minus(n: Amount.Value): Amount;
  sub(n: Amount.Value): Amount;
  plus(n: Amount.Value): Amount;
  add(n: Amount.Value): Amount;
  times(n: Amount.Value): Amount;
  mul(n: Amount.Value): Amount;
  toDecimalPlaces(decimalPlaces?: number): Amount;
  toDecimalPlaces(decimalPlaces: number, rounding: Amount.Rounding): Amount;
  toFixed(decimalPlaces?: number): string;
  toFixed(decimalPlaces: number, rounding: Amount.Rounding): string;
  toNumber(): number;
  toParts(): Amount.Parts;
  toString(): string;
  valueOf(): string;
  static abs(n: Amount.Value): Amount;
  static max(...n: Amount.Value[]): Amount;
  static min(...n: Amount.Value[]): Amount;
  static set(object: Amount.Config): typeof Amount;
  static clone(object?: Amount.Config): typeof Amount;
  static fromInt(value: number, unsigned?: boolean): Amount;
  static isAmount(object: unknown): object is Amount;
  static readonly ROUND_UP: 0;
  static readonly ROUND_DOWN: 1;
}
export = Amount;
`;

/** An ES-style package (`exports` map with a `types` condition, default and named exports, generics), as seedrandom and most newer packages. */
const STREAMS = `export interface Source<T> { next(): IteratorResult<T>; readonly size?: number }
export type Mapper<T, U> = (value: T, index: number) => U;
export interface Options { seed?: string | number; entropy?: boolean; state?: boolean | State }
export interface State { i: number; j: number; s: readonly number[] }
export interface Generator { (): number; int32(): number; quick(): number; double(): number; state(): State }
export declare function generator(seed?: string, options?: Options): Generator;
export declare function generator(seed: string, options: Options, callback: (g: Generator, seed: string) => Generator): Generator;
export declare class Stream<T> implements Iterable<T> {
  private constructor();
  static of<T>(...values: T[]): Stream<T>;
  static from<T>(source: Iterable<T> | ArrayLike<T>): Stream<T>;
  map<U>(fn: Mapper<T, U>): Stream<U>;
  filter<S extends T>(fn: (value: T) => value is S): Stream<S>;
  filter(fn: (value: T) => boolean): Stream<T>;
  reduce<U>(fn: (acc: U, value: T) => U, initial: U): U;
  take(n: number): Stream<T>;
  toArray(): T[];
  [Symbol.iterator](): Iterator<T>;
}
export declare const enum Mode { Lazy = 0, Eager = 1 }
export declare const version: string;
declare const streams: { generator: typeof generator; Stream: typeof Stream; version: string };
export default streams;
`;

/** The packages' files, by path relative to the folder the warm-up cells are checked in. */
export const WARM_PACKAGES: [string, string][] = [
  ...pkg("folio-warm-numeric", { main: "amount.js", types: "amount.d.ts" }, { "amount.d.ts": NUMERIC }),
  ...pkg(
    "folio-warm-streams",
    { exports: { ".": { types: "./index.d.ts", node: "./index.cjs", default: "./index.js" } } },
    { "index.d.ts": STREAMS },
  ),
];

/**
 * Cells like a notebook's first imports, in its folder: a package's class and static members, then a second
 * package's generics and overloads next to the first cell's declaration.
 */
export const WARM_CELLS: string[] = [
  `import Amount from "folio-warm-numeric";
const amounts = [new Amount(1).plus(2).toFixed(2), Amount.max(1, "2", new Amount(3)).toNumber() > 2, Amount.fromInt(3).toString()];
amounts
`,
  `import streams, { generator, Stream, type Options } from "folio-warm-streams";
const options: Options = { seed: "s", entropy: false };
[generator("s", options)() < 1, Stream.of(1, 2, 3).map((x, i) => new Amount(x).times(i)).toArray().length, streams.version, amounts.length]
`,
];
