/** Hopfield energies, their updates, the layered energy, cross-entropy floors, and a tiny transformer (Niu et al. 2024, arXiv 2405.08707). */
export {
  logSumExp,
  softmax,
  dot,
  combine,
  halfSqDistances,
  mchnEnergy,
  mchnUpdate,
  distanceEnergy,
  distanceUpdate,
  descend,
  type Patterns,
} from "./energy";
export { attention } from "./attention";
export { layeredEnergy, layeredUpdate, blockWeights, layeredDescent } from "./layered";
export {
  distanceReadoutCrossEntropy,
  crossEntropyViaEnergy,
  entropyOfCounts,
  memorisationFloor,
  meanCrossEntropy,
} from "./bounds";
export { markovSource, sampleSource, sourceNextProbs, oracleLoss, type MarkovSource } from "./corpus";
export {
  initTinyLM,
  paramCount,
  tfAttention,
  lmHidden,
  lmLogits,
  tokenLosses,
  lmLoss,
  toWindows,
  evalLoss,
  trainLM,
  disposeLM,
  type TinyLM,
  type TinyLMConfig,
} from "./transformer";
export {
  lastLayerStates,
  squaredDistances,
  nearestPatterns,
  memoryLoss,
  fitBeta,
  memoryReading,
  type States,
  type MemoryReading,
} from "./memory";
export { sizeDataSweep, lossOptima, optimumExponents, type SweepRow, type Optimum } from "./sweep";
export {
  randomMemory,
  worstOver,
  largestRise,
  descentTrials,
  bandViolation,
  bandTrials,
  attentionTrials,
  readoutTrials,
  type RandomMemory,
  type MemoryRanges,
} from "./trials";
