/**
 * Small experiment helpers for notebook 10 and the bench: OMS- versus CMS-optimal trees on one network, CPU
 * timing of a solver, and CMS against line-graph treewidth on a graph family (Markov & Shi 2008,
 * arXiv quant-ph/0511069; Xu, Zhang et al. 2023, arXiv 2310.06140).
 * @see notebooks/10-tensor-contraction-order.ipynb
 */
import { solveDP } from "./dp";
import { graphNetwork, type Network } from "./network";
import { treeCost, type Tree } from "./tree";
import { lineGraph, treewidth, type Graph } from "./treewidth";

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
  const o = solveDP(net, "oms"), cmsOpt = solveDP(net, "cms").cost;
  const c = solveDP(net, "oms", { maxStep: cmsOpt });
  const to = treeCost(net, o.tree), tc = treeCost(net, c.tree);
  return { omsTree: { tree: o.tree, oms: to.oms, cms: to.cms }, cmsTree: { tree: c.tree, oms: tc.oms, cms: tc.cms }, differs: tc.oms > to.oms };
}

/**
 * CPU milliseconds (user + system) of one call of f, once the JIT has settled: warm-up calls until at least three
 * calls and 150 ms have passed (V8 compiles a hot solver in the background, which takes 0.1–0.2 s on a loaded
 * machine), then the mean of calls repeated for at least 20 ms.
 */
export function cpuTime<T>(f: () => T): { ms: number; value: T } {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let value = f();
  const w0 = cpu();
  for (let k = 1; k < 3 || (cpu() - w0 < 150 && k < 40); k++) value = f();
  let reps = 0;
  const t0 = cpu();
  do { value = f(); reps++; } while (cpu() - t0 < 20 && reps < 50);
  return { ms: (cpu() - t0) / reps, value };
}

/** The median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * For a closed network on graph G with every bond of size d: the exact CMS and OMS exponents (log_d of the optima)
 * and the treewidth of the line graph, which Markov & Shi relate by log_d CMS = tw(L(G)) + 1.
 */
export function cmsVersusTreewidth(g: Graph, d = 2): { twLine: number; logCms: number; logOms: number } {
  const net = graphNetwork(g.n, g.edges, d);
  return { twLine: treewidth(lineGraph(g)), logCms: Math.log(solveDP(net, "cms").cost) / Math.log(d), logOms: Math.log(solveDP(net, "oms").cost) / Math.log(d) };
}
