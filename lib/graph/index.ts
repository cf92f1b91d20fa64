/** Graphs for node classification: CSR graphs and the GCN propagation matrix, the CSBM generator, homophily and oversmoothing measures. */
export { type Graph, type Csr, fromEdges, degrees, edgeCount, edgeList, normalizedAdjacency, csrToDense, spmm, neighbourMask } from "./csr";
export { type GraphData, type CsbmOptions, type NodeSplit, csbm, addRandomEdges, nodeSplit } from "./csbm";
export { edgeHomophily, meanDegree, dirichletEnergy, meanAverageDistance } from "./measures";
export { adjacencyTensor, attentionMaskTensor } from "./dense";
export { maskedCrossEntropy, accuracyAt, trainNodeClassifier, type TrainOptions, type TrainResult } from "./train";
