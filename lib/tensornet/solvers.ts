/**
 * The path-solver registry: every solver has the signature `(net, opts?) => Tree` (opt_einsum's PathOptimizer
 * idea), is registered once under a unique name, and the tests loop over all of them.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import { bruteForce, BRUTE_MAX_TENSORS } from "./brute";
import { greedyFast, solveDP, DP_MAX_TENSORS, type DPOptions } from "./dp";
import type { Network } from "./network";
import type { Tree } from "./tree";

/** A contraction-order solver: network in, pairwise contraction tree out. */
export type PathSolver = (net: Network, opts?: DPOptions) => Tree;

/** A registered solver with what it promises. */
export interface SolverEntry {
  solve: PathSolver;
  /** One line: what it minimises and how. */
  doc: string;
  /** The objective it provably minimises, if any. */
  optimal?: "oms" | "cms";
  /** Largest network it accepts. */
  maxTensors: number;
}

const registry = new Map<string, SolverEntry>();

/** Registers a solver under a new name; refuses a name already taken. */
export function registerSolver(name: string, entry: SolverEntry): void {
  if (registry.has(name)) throw new Error(`a path solver named "${name}" is already registered`);
  registry.set(name, entry);
}

/** The solver registered under `name`; throws listing the known names otherwise. */
export function getSolver(name: string): SolverEntry {
  const s = registry.get(name);
  if (!s) throw new Error(`no path solver "${name}"; known: ${[...registry.keys()].join(", ")}`);
  return s;
}

/** Names of all registered solvers, in registration order. */
export function solverNames(): string[] {
  return [...registry.keys()];
}

registerSolver("dp-oms", {
  solve: (net, o) => solveDP(net, "oms", o).tree,
  doc: "exact OMS (Σ contraction costs) by best-first subset DP; e.g. the 6-matrix chain ab,bc,cd,de,ef,fg->ag (30,35,15,5,10,20,25) costs 15125",
  optimal: "oms",
  maxTensors: DP_MAX_TENSORS,
});
registerSolver("dp-cms", {
  solve: (net, o) => solveDP(net, "cms", o).tree,
  doc: "exact CMS (max contraction cost) by best-first subset DP; e.g. a closed ring of n 2×2 matrices costs 8",
  optimal: "cms",
  maxTensors: DP_MAX_TENSORS,
});
registerSolver("greedy", {
  solve: (net) => greedyFast(net),
  doc: "greedy: contract the connected pair that removes the most memory",
  maxTensors: Infinity,
});
registerSolver("brute-oms", {
  solve: (net, o) => bruteForce(net, "oms", { outer: o?.outer ?? true })!.tree,
  doc: "OMS optimum over all (2n−3)!! trees",
  optimal: "oms",
  maxTensors: BRUTE_MAX_TENSORS,
});
registerSolver("brute-cms", {
  solve: (net, o) => bruteForce(net, "cms", { outer: o?.outer ?? true })!.tree,
  doc: "CMS optimum over all (2n−3)!! trees",
  optimal: "cms",
  maxTensors: BRUTE_MAX_TENSORS,
});
