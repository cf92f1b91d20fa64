/**
 * Tensor networks as opt_einsum sees them: one index list per tensor, the output (open) indices and a size per
 * index. Parsing from einsum strings or index lists, with errors that name the offending index and operand,
 * the CMS → CMS-0 reduction (Xu, Zhang et al. 2023, arXiv 2310.06140), and seeded random networks.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Rng } from "../rng";

/** A tensor network: `inputs[i]` are the indices of tensor i, `output` the open indices, `size[e]` = d_e. */
export interface Network {
  readonly inputs: readonly (readonly string[])[];
  readonly output: readonly string[];
  readonly size: Readonly<Record<string, number>>;
}

/** Thrown for malformed networks; the message names the operand and index at fault. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

const LETTER = /^[A-Za-z]$/;

/**
 * Parses numpy einsum notation, e.g. `parseEinsum("ab,bc->ac", {a: 2, b: 3, c: 4})`; without `->` the output is
 * the indices used exactly once, sorted (numpy's implicit mode). Sizes may be a dict or one shape per operand.
 * Traces and diagonals (an index repeated inside one operand) and `...` are rejected.
 */
export function parseEinsum(eq: string, sizes: Record<string, number> | readonly (readonly number[])[]): Network {
  const s = eq.replace(/\s+/g, "");
  const arrow = s.indexOf("->");
  if (arrow !== s.lastIndexOf("->")) throw new NetworkError(`einsum "${eq}": more than one "->"`);
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s;
  const ops = lhs.split(",");
  const inputs = ops.map((op, i) => {
    if (op.length === 0)
      throw new NetworkError(
        `einsum "${eq}": operand ${i} is empty (two commas in a row, or a leading/trailing comma)`,
      );
    return [...op].map((ch) => {
      if (!LETTER.test(ch))
        throw new NetworkError(
          `einsum "${eq}": operand ${i} ("${op}") has the character "${ch}"; indices are single letters a-z, A-Z`,
        );
      return ch;
    });
  });
  let output: string[];
  if (arrow >= 0) {
    output = [...s.slice(arrow + 2)];
    for (const ch of output)
      if (!LETTER.test(ch))
        throw new NetworkError(
          `einsum "${eq}": the output has the character "${ch}"; indices are single letters a-z, A-Z`,
        );
  } else {
    const count = new Map<string, number>();
    for (const op of inputs) for (const e of op) count.set(e, (count.get(e) ?? 0) + 1);
    output = [...count]
      .filter(([, c]) => c === 1)
      .map(([e]) => e)
      .sort();
  }
  let size: Record<string, number>;
  if (Array.isArray(sizes)) {
    const shapes = sizes as readonly (readonly number[])[];
    if (shapes.length !== inputs.length)
      throw new NetworkError(`einsum "${eq}": ${inputs.length} operands but ${shapes.length} shapes`);
    size = {};
    inputs.forEach((op, i) => {
      if (shapes[i].length !== op.length)
        throw new NetworkError(
          `einsum "${eq}": operand ${i} ("${op.join("")}") has ${op.length} indices but shape [${shapes[i].join(", ")}]`,
        );
      op.forEach((e, k) => {
        const d = shapes[i][k];
        if (e in size && size[e] !== d)
          throw new NetworkError(
            `einsum "${eq}": index "${e}" has dimension ${size[e]} in an earlier operand but ${d} in operand ${i}`,
          );
        size[e] = d;
      });
    });
  } else size = { ...(sizes as Record<string, number>) };
  return fromIndexLists(inputs, output, size);
}

/**
 * Builds a network from index lists, e.g. `fromIndexLists([["i","j"],["j","k"]], ["i","k"], {i: 2, j: 3, k: 4})`,
 * and validates it: every index sized by a positive integer, no index twice in one operand or in the output,
 * every output index present in some operand, at least one operand.
 */
export function fromIndexLists(
  inputs: readonly (readonly string[])[],
  output: readonly string[],
  size: Readonly<Record<string, number>>,
): Network {
  if (inputs.length === 0) throw new NetworkError("a network needs at least one tensor");
  const seen = new Set<string>();
  inputs.forEach((op, i) => {
    const inOp = new Set<string>();
    for (const e of op) {
      if (typeof e !== "string" || e.length === 0)
        throw new NetworkError(`operand ${i}: index names must be non-empty strings, got ${JSON.stringify(e)}`);
      if (inOp.has(e))
        throw new NetworkError(
          `operand ${i}: index "${e}" appears twice (traces and diagonals are not supported; sum them out first)`,
        );
      inOp.add(e);
      seen.add(e);
    }
  });
  const outSeen = new Set<string>();
  for (const e of output) {
    if (outSeen.has(e)) throw new NetworkError(`output: index "${e}" is repeated`);
    outSeen.add(e);
    if (!seen.has(e)) throw new NetworkError(`output: index "${e}" does not appear in any operand`);
  }
  const sz: Record<string, number> = {};
  for (const e of seen) {
    const d = size[e];
    if (d === undefined)
      throw new NetworkError(`index "${e}" (operand ${inputs.findIndex((op) => op.includes(e))}) has no size`);
    if (!Number.isInteger(d) || d < 1)
      throw new NetworkError(`index "${e}" has size ${d}; sizes must be positive integers`);
    sz[e] = d;
  }
  return { inputs: inputs.map((op) => [...op]), output: [...output], size: sz };
}

/** Renders a network as an einsum string, e.g. "ab,bc->ac" (index names longer than one letter are joined with spaces). */
export function toEinsum(net: Network): string {
  const long = net.inputs.some((op) => op.some((e) => e.length > 1)) || net.output.some((e) => e.length > 1);
  const j = (xs: readonly string[]) => xs.join(long ? " " : "");
  return `${net.inputs.map(j).join(",")}->${j(net.output)}`;
}

/**
 * The CMS → CMS-0 reduction: closes every open index by one extra tensor X carrying exactly the output indices,
 * so the network has no free index. X is tensor number `inputs.length` of the result. Xu, Zhang et al. 2023
 * (arXiv 2310.06140) reduce CMS to CMS-0; this construction is our reading of that step, checked against brute
 * force in the tests (CMS of the closed network equals CMS of the open one).
 */
export function closeNetwork(net: Network): Network {
  if (net.output.length === 0) return net;
  return { inputs: [...net.inputs, [...net.output]], output: [], size: net.size };
}

/** Index names for generated networks: a..z, A..Z, then multi-letter names. */
export function indexName(k: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return k < letters.length ? letters[k] : `${letters[k % letters.length]}${Math.floor(k / letters.length)}`;
}

/**
 * A network on a given simple graph: one tensor per vertex, one index of size d_e per edge, plus `open[v]` open
 * indices on vertex v. `dims` is one size per edge (or one for all).
 */
export function graphNetwork(
  nVertices: number,
  edges: readonly (readonly [number, number])[],
  dims: number | readonly number[],
  open: readonly { vertex: number; dim: number }[] = [],
): Network {
  const inputs: string[][] = Array.from({ length: nVertices }, () => []);
  const size: Record<string, number> = {};
  edges.forEach(([u, v], k) => {
    const e = indexName(k);
    inputs[u].push(e);
    inputs[v].push(e);
    size[e] = typeof dims === "number" ? dims : dims[k];
  });
  const output: string[] = [];
  open.forEach(({ vertex, dim }, k) => {
    const e = indexName(edges.length + k);
    inputs[vertex].push(e);
    output.push(e);
    size[e] = dim;
  });
  return fromIndexLists(inputs, output, size);
}

/**
 * A seeded random `reg`-regular simple connected graph on n vertices (pairing model with rejection, as networkx's
 * random_regular_graph samples), as an edge list.
 */
export function randomRegularGraph(r: Rng, n: number, reg: number): [number, number][] {
  if ((n * reg) % 2 !== 0 || reg >= n) throw new Error(`no ${reg}-regular simple graph on ${n} vertices`);
  for (let attempt = 0; attempt < 10000; attempt++) {
    const stubs: number[] = [];
    for (let v = 0; v < n; v++) for (let k = 0; k < reg; k++) stubs.push(v);
    r.shuffle(stubs);
    const edges: [number, number][] = [];
    const seen = new Set<number>();
    let ok = true;
    for (let k = 0; k < stubs.length && ok; k += 2) {
      const u = Math.min(stubs[k], stubs[k + 1]),
        v = Math.max(stubs[k], stubs[k + 1]);
      if (u === v || seen.has(u * n + v)) ok = false;
      else {
        seen.add(u * n + v);
        edges.push([u, v]);
      }
    }
    if (ok && isConnected(n, edges)) return edges;
  }
  throw new Error(`could not sample a connected ${reg}-regular graph on ${n} vertices`);
}

function isConnected(n: number, edges: readonly (readonly [number, number])[]): boolean {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const [u, v] of edges) parent[find(u)] = find(v);
  const root = find(0);
  return parent.every((_, i) => find(i) === root);
}

/**
 * A random network like opt_einsum.testing.rand_equation(n, reg, n_out, d_min, d_max): a random reg-regular
 * graph, each bond of size U{dMin..dMax}, and nOut open indices on random tensors.
 */
export function randomRegularNetwork(
  r: Rng,
  n: number,
  reg: number,
  opts: { nOut?: number; dMin?: number; dMax?: number } = {},
): Network {
  const { nOut = 2, dMin = 2, dMax = 4 } = opts;
  const edges = randomRegularGraph(r, n, reg);
  const dim = () => dMin + r.int(dMax - dMin + 1);
  const dims = edges.map(dim);
  const open = Array.from({ length: nOut }, () => ({ vertex: r.int(n), dim: dim() }));
  return graphNetwork(n, edges, dims, open);
}

/**
 * A small random network for oracle tests: n tensors, random bonds (sometimes shared by three tensors), some open
 * indices, sizes U{1..dMax}; may be disconnected.
 */
export function randomSmallNetwork(r: Rng, n: number, opts: { dMax?: number; hyper?: boolean } = {}): Network {
  const { dMax = 5, hyper = true } = opts;
  const inputs: string[][] = Array.from({ length: n }, () => []);
  const size: Record<string, number> = {};
  const output: string[] = [];
  let k = 0;
  const nBonds = n - 1 + r.int(n + 1);
  for (let b = 0; b < nBonds; b++) {
    const e = indexName(k++);
    const u = r.int(n);
    let v = r.int(n - 1);
    if (v >= u) v++;
    inputs[u].push(e);
    inputs[v].push(e);
    if (hyper && n > 2 && r.bernoulli(0.15)) {
      let w = r.int(n);
      while (w === u || w === v) w = r.int(n);
      inputs[w].push(e);
    }
    if (r.bernoulli(0.1)) output.push(e);
    size[e] = 1 + r.int(dMax);
  }
  const nOpen = r.int(3);
  for (let o = 0; o < nOpen; o++) {
    const e = indexName(k++);
    inputs[r.int(n)].push(e);
    output.push(e);
    size[e] = 1 + r.int(dMax);
  }
  if (r.bernoulli(0.2)) {
    const e = indexName(k++);
    inputs[r.int(n)].push(e);
    size[e] = 1 + r.int(dMax);
  } // a dangling summed index
  for (let i = 0; i < n; i++)
    if (inputs[i].length === 0) {
      const e = indexName(k++);
      inputs[i].push(e);
      output.push(e);
      size[e] = 1 + r.int(dMax);
    }
  return fromIndexLists(inputs, r.shuffle(output) as string[], size);
}
