/** @folio/lib/tensornet: exact OMS/CMS contraction orders for tensor networks. @see notebooks/10-tensor-contraction-order.ipynb */
export {
  parseEinsum,
  fromIndexLists,
  toEinsum,
  closeNetwork,
  indexName,
  graphNetwork,
  randomRegularGraph,
  randomRegularNetwork,
  randomSmallNetwork,
  NetworkError,
  type Network,
} from "./network";
export { randEquation, einsumSymbol, NumpyLegacyStream, type RandEquation, type RandEquationOptions } from "./randeq";
export {
  treeCost,
  leaves,
  validateTree,
  leafIndices,
  hasNoOuterProducts,
  treeToPath,
  pathToTree,
  treeToString,
  type Tree,
  type Step,
  type TreeCost,
} from "./tree";
export { solveDP, greedyFast, DP_MAX_TENSORS, type Objective, type DPOptions, type DPResult } from "./dp";
export { greedyTree } from "./greedy";
export { allTrees, bruteForce, BRUTE_MAX_TENSORS } from "./brute";
export { registerSolver, getSolver, solverNames, type PathSolver, type SolverEntry } from "./solvers";
export { contract, einsumReference } from "./contract";
export { treewidth, lineGraph, cycleGraph, gridGraph, completeGraph, type Graph } from "./treewidth";
export {
  benchmarkNetwork,
  objectiveGap,
  dpAgainstBrute,
  closingKeepsCms,
  powerNetwork,
  costGapRatio,
  sufficientPower,
  powerCheck,
  smallestWorkingPower,
  cmsVersusTreewidth,
  treewidthFamily,
  gridNetwork,
  solverEffort,
  type ObjectiveGap,
  type PowerCheck,
  type Effort,
} from "./experiments";
