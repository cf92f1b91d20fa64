/** Graphs for node classification: CSR graphs and the GCN propagation matrix, sparse propagation as a tfjs op, the CSBM generator, Zachary's karate club, homophily and oversmoothing measures, training. */
export {
  type Graph,
  type Csr,
  fromEdges,
  degrees,
  edgeCount,
  edgeList,
  withSelfLoops,
  normalizedAdjacency,
  csrToDense,
  spmm,
} from "./csr";
export { transposeCsr, spmmBatched, sparsePropagator } from "./sparse";
export { type GraphData, type CsbmOptions, type NodeSplit, csbm, addRandomEdges, nodeSplit } from "./csbm";
export { karateClub } from "./karate";
export { edgeHomophily, meanDegree, dirichletEnergy, meanAverageDistance } from "./measures";
export { maskedCrossEntropy, accuracyAt, trainNodeClassifier, type TrainOptions, type TrainResult } from "./train";
