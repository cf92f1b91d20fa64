/** Mean-field MLPs, width growth by duplication and RC-ansatz sampling, and width-grid comparisons (Chen et al. 2024, arXiv 2408.08681). */
export {
  initMeanField,
  forward,
  layerScale,
  lossOf,
  train,
  type MeanFieldMLP,
  type LossKind,
  type Scaling,
} from "./mlp";
export { expand, duplicate, rcSample, type Assignment } from "./grow";
export { neuronStats } from "./stats";
export {
  weightSummary,
  trainWidthGrid,
  widthEffects,
  type WidthRegime,
  type WidthRun,
  type WidthEffect,
} from "./widths";
export {
  sineTask,
  excessLossSweep,
  stepsToReach,
  compareContinuation,
  continuationTrials,
  speedup,
  CONTINUATION_METHODS,
  type ContinuationRun,
} from "./experiment";
