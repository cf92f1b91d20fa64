/** Mean-field MLPs and width growth by duplication and RC-ansatz sampling (Chen et al. 2024, arXiv 2408.08681). */
export { initMeanField, cloneNet, forward, layerScale, toVariables, fromVariables, tfForward, tfLoss, lossOf, train, type MeanFieldMLP, type LossKind } from "./mlp";
export { expand, duplicate, rcSample, type Assignment } from "./grow";
export { kolmogorovQ, ks2, neuronStats, logLogSlope } from "./stats";
export { sineTask, excessLossSweep, stepsToReach, compareContinuation, type ContinuationRun } from "./experiment";
