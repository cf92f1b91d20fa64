/** @folio/lib/tensornet: exact OMS/CMS contraction orders for tensor networks. @see notebooks/10-tensor-contraction-order.ipynb */
export {
  parseEinsum, fromIndexLists, toEinsum, closeNetwork, sizeOf, indexName, graphNetwork, randomRegularGraph,
  randomRegularNetwork, randomSmallNetwork, NetworkError, type Network,
} from "./network";
export { treeCost, leaves, validateTree, leafIndices, hasNoOuterProducts, treeToPath, treeToString, type Tree, type Step, type TreeCost } from "./tree";
export { solveDP, greedyFast, DP_MAX_TENSORS, type Objective, type DPOptions, type DPResult } from "./dp";
export { greedyTree } from "./greedy";
export { allTrees, bruteForce, BRUTE_MAX_TENSORS } from "./brute";
export { registerSolver, getSolver, solverNames, type PathSolver, type SolverEntry } from "./solvers";
export { contract, einsumReference } from "./contract";
export { treewidth, lineGraph, cycleGraph, gridGraph, completeGraph, type Graph } from "./treewidth";
export { objectiveGap, cpuTime, median, cmsVersusTreewidth, type ObjectiveGap } from "./experiments";
