/**
 * The experiments of notebook 10 as functions, each a numerical check of a statement of Xu, Zhang et al. 2023
 * (arXiv 2310.06140) or of its peers: the exact DP against brute force, OMS- against CMS-optimal trees, the
 * CMS → CMS-0 reduction, the reduction of CMS to OMS by powering the bond dimensions, CMS against line-graph
 * treewidth (Markov & Shi 2008, arXiv quant-ph/0511069), and solver effort counted in subsets (not seconds).
 * Networks come from opt_einsum's own benchmark family (`randEquation`) unless a graph is given.
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import type { Rng } from "../rng";
import { median } from "../stats";
import { bruteForce } from "./brute";
import { greedyFast, solveDP } from "./dp";
import { closeNetwork, fromIndexLists, graphNetwork, randomSmallNetwork, type Network } from "./network";
import { randEquation } from "./randeq";
import { treeCost, type Tree } from "./tree";
import { completeGraph, cycleGraph, gridGraph, lineGraph, treewidth, type Graph } from "./treewidth";

/** opt_einsum's benchmark networks `rand_equation(n, reg, n_out=2, d_min=2, d_max=4, seed)`, as the paper file uses them. */
export function benchmarkNetwork(n: number, reg: number, seed: number): Network {
  return randEquation(n, reg, { nOut: 2, dMin: 2, dMax: 4, seed }).net;
}

/** Both costs of an OMS-optimal tree and of the OMS-cheapest CMS-optimal tree. */
export interface ObjectiveGap {
  omsTree: { tree: Tree; oms: number; cms: number };
  cmsTree: { tree: Tree; oms: number; cms: number };
  /** No tree is optimal for both objectives: every CMS-optimal tree costs more OMS than the OMS optimum. */
  differs: boolean;
}

/**
 * Solves a network exactly for OMS, for CMS, and for OMS among the CMS-optimal trees (OMS with every contraction
 * ≤ the CMS optimum), and costs the trees under both objectives.
 */
export function objectiveGap(net: Network): ObjectiveGap {
  const o = solveDP(net, "oms"),
    cmsOpt = solveDP(net, "cms").cost;
  const c = solveDP(net, "oms", { maxStep: cmsOpt });
  const to = treeCost(net, o.tree),
    tc = treeCost(net, c.tree);
  return {
    omsTree: { tree: o.tree, oms: to.oms, cms: to.cms },
    cmsTree: { tree: c.tree, oms: tc.oms, cms: tc.cms },
    differs: tc.oms > to.oms,
  };
}

/**
 * The exact DP (outer products allowed, so that every tree brute force lists is in its search space) against
 * brute force over all (2n−3)!! trees, for both objectives, on `count` random networks of 2–7 tensors.
 */
export function dpAgainstBrute(r: Rng, count: number): { agree: number; total: number } {
  let agree = 0,
    total = 0;
  for (let k = 0; k < count; k++) {
    const net = randomSmallNetwork(r, 2 + r.int(6));
    for (const obj of ["oms", "cms"] as const) {
      total++;
      if (solveDP(net, obj, { outer: true }).cost === bruteForce(net, obj)![obj]) agree++;
    }
  }
  return { agree, total };
}

/**
 * The CMS → CMS-0 reduction checked: closing the open indices with one extra tensor (`closeNetwork`) leaves the
 * CMS optimum unchanged, by brute force on `count` small random networks and by the exact DP on `nets`.
 */
export function closingKeepsCms(
  r: Rng,
  count: number,
  nets: readonly Network[],
): { small: number; smallTotal: number; dp: number; dpTotal: number } {
  let small = 0,
    dp = 0;
  for (let k = 0; k < count; k++) {
    const net = randomSmallNetwork(r, 2 + r.int(5));
    if (bruteForce(closeNetwork(net), "cms")!.cms === bruteForce(net, "cms")!.cms) small++;
  }
  for (const net of nets) if (solveDP(closeNetwork(net), "cms").cost === solveDP(net, "cms").cost) dp++;
  return { small, smallTotal: count, dp, dpTotal: nets.length };
}

/** The network with every dimension raised to the power K: d_e ↦ d_e^K, so every contraction cost c becomes c^K. */
export function powerNetwork(net: Network, K: number): Network {
  return fromIndexLists(
    net.inputs,
    net.output,
    Object.fromEntries(Object.entries(net.size).map(([e, d]) => [e, d ** K])),
  );
}

/**
 * ρ: the smallest ratio v / c* over the costs v > c* a contraction of this network could have. Every cost is a
 * product of bond dimensions, so v ranges over the products of the network's dimensions (with repetition); the
 * next one above c* is found by enumerating those products up to c*·min d.
 */
export function costGapRatio(net: Network, cStar: number): number {
  const dims = [...new Set(Object.values(net.size))].filter((d) => d > 1).sort((a, b) => a - b);
  if (!dims.length) return Infinity;
  const limit = cStar * dims[0];
  let next = limit;
  const seen = new Set([1]),
    stack = [1];
  while (stack.length) {
    const v = stack.pop()!;
    for (const d of dims) {
      const w = v * d;
      if (w > limit || seen.has(w)) continue;
      seen.add(w);
      stack.push(w);
      if (w > cStar && w < next) next = w;
    }
  }
  return next / cStar;
}

/**
 * The power that makes OMS decide CMS: with n tensors a tree has n − 1 contractions, so for a CMS-optimal tree T*
 * (largest step c*) OMS_K(T*) ≤ (n−1)·c*^K, while any tree with a larger step has one of cost ≥ ρc* and
 * OMS_K ≥ (ρc*)^K. K = ⌊ln(n−1) / ln ρ⌋ + 1 makes ρ^K > n − 1, so no such tree can be OMS-optimal once powered.
 */
export function sufficientPower(n: number, rho: number): number {
  return n <= 2 ? 1 : Math.floor(Math.log(n - 1) / Math.log(rho)) + 1;
}

/** One network of the CMS ≤ OMS check: the DP's OMS-optimal tree of the network powered by K, costed as CMS on the original. */
export interface PowerCheck {
  K: number;
  rho: number;
  cmsOpt: number;
  cmsOfOmsTree: number;
  holds: boolean;
  margin: number;
}

/** Checks the powering reduction on one network at power K (default: `sufficientPower`; pass 1 for the control). */
export function powerCheck(net: Network, K?: number): PowerCheck {
  const n = net.inputs.length,
    cmsOpt = solveDP(net, "cms").cost,
    rho = costGapRatio(net, cmsOpt);
  const k = K ?? sufficientPower(n, rho);
  const cmsOfOmsTree = treeCost(net, solveDP(powerNetwork(net, k), "oms").tree).cms;
  // how far ρ^K clears n − 1: the proof's slack, far above double rounding (relative 1e−16) when K is the derived one
  return { K: k, rho, cmsOpt, cmsOfOmsTree, holds: cmsOfOmsTree === cmsOpt, margin: rho ** k / Math.max(1, n - 1) - 1 };
}

/** The smallest K ≤ kMax at which the powered OMS optimum is CMS-optimal (how much of the derived power a network needs). */
export function smallestWorkingPower(net: Network, kMax: number): number {
  for (let k = 1; k <= kMax; k++) if (powerCheck(net, k).holds) return k;
  return NaN;
}

/**
 * For a closed network on graph G with every bond of size d: the exact CMS and OMS exponents (log_d of the optima)
 * and the treewidth of the line graph, which Markov & Shi relate by log_d CMS = tw(L(G)) + 1.
 */
export function cmsVersusTreewidth(g: Graph, d = 2): { twLine: number; logCms: number; logOms: number } {
  const net = graphNetwork(g.n, g.edges, d);
  return {
    twLine: treewidth(lineGraph(g)),
    logCms: Math.log(solveDP(net, "cms").cost) / Math.log(d),
    logOms: Math.log(solveDP(net, "oms").cost) / Math.log(d),
  };
}

/** Small graphs of known treewidth (cycles 2, ladders 2, r×c grids min(r, c), K_n n − 1) for the treewidth check. */
export function treewidthFamily(): { name: string; tw: number; g: Graph }[] {
  return [
    ...[4, 6, 8, 12].map((n) => ({ name: `cycle C${n}`, tw: 2, g: cycleGraph(n) })),
    ...[3, 5, 7].map((n) => ({ name: `ladder 2×${n}`, tw: 2, g: gridGraph(2, n) })),
    { name: "grid 3×3", tw: 3, g: gridGraph(3, 3) },
    { name: "grid 3×4", tw: 3, g: gridGraph(3, 4) },
    ...[4, 5].map((n) => ({ name: `complete K${n}`, tw: n - 1, g: completeGraph(n) })),
  ];
}

/** A closed network on the r×c grid graph with every bond of size d (r = 2: a ladder). */
export function gridNetwork(r: number, c: number, d: number): Network {
  const g = gridGraph(r, c);
  return graphNetwork(g.n, g.edges, d);
}

/** Solver effort on one network, in machine-independent units: subsets expanded by each exact search. */
export interface Effort {
  oms: number;
  cms: number;
  capped: number;
  greedyOverOms: number;
}

/**
 * Effort of the exact searches on opt_einsum's benchmark networks, median over seeds: subsets expanded by the
 * best-first DP for OMS and for CMS and by netcon's capped breadth-first DP for OMS (subsets stored at its last
 * sweep), and how far greedy's OMS cost is from the optimum. The capped search is skipped above `cappedMax` tensors.
 */
export function solverEffort(
  cases: readonly [number, number][],
  seeds: readonly number[],
  cappedMax = 24,
): ({ reg: number; n: number } & Effort)[] {
  return cases.map(([reg, n]) => {
    const runs = seeds.map((s) => {
      const net = benchmarkNetwork(n, reg, s),
        o = solveDP(net, "oms"),
        c = solveDP(net, "cms");
      const capped = n <= cappedMax ? solveDP(net, "oms", { search: "capped" }) : null;
      if (capped && capped.cost !== o.cost)
        throw new Error(`the two exact searches disagree on rand_equation(${n}, ${reg}, seed=${s})`);
      return {
        oms: o.expanded,
        cms: c.expanded,
        capped: capped?.expanded ?? NaN,
        greedyOverOms: treeCost(net, greedyFast(net)).oms / o.cost,
      };
    });
    const m = (k: keyof Effort) => {
      const xs = runs.map((r) => r[k]).filter((x) => !Number.isNaN(x));
      return xs.length ? median(xs) : NaN;
    };
    return { reg, n, oms: m("oms"), cms: m("cms"), capped: m("capped"), greedyOverOms: m("greedyOverOms") };
  });
}
