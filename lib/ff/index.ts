/** Forward-Forward, Distance-Forward and a backprop reference on one MLP stack (tfjs). */
export {
  dense,
  rmsNorm,
  reluFullGrad,
  perturbWeight,
  perturbLayers,
  activationNoise,
  layerForward,
  argmaxRows,
  accuracyOf,
  type Dense,
  type Noise,
} from "./mlp";
export { embedLabels, labelFreeInput, allLabelsPreactivation, labelCopiesGap } from "./embed";
export { createFF, goodness, ffLayerLoss, wrongLabels, ffTrainStep, ffScores, type FFModel } from "./ff";
export { createDF, nPairMarginLoss, dfTrainStep, dfScores, DF_UPDATES, type DFModel, type DFUpdate } from "./df";
export { createProto, centroidGoodness, protoTrainStep, protoScores, type ProtoModel } from "./proto";
export { createBP, softmaxCrossEntropy, bpTrainStep, bpScores, type BPModel } from "./bp";
export { trainStep, scores, predict, accuracy, parameters, parameterCount, disposeModel, type Model } from "./models";
export {
  runsOf,
  predictionsAfter,
  accuracyAfter,
  pairedMcnemar,
  seedToSeedMcnemar,
  noiseAccuracies,
  meanCurve,
  meanDrops,
} from "./compare";
export {
  createModel,
  trainModel,
  trainSeeds,
  stepMemory,
  noiseSweep,
  type Learner,
  type LearnerSpec,
  type LabelledSet,
  type TrainResult,
  type SeedRun,
} from "./experiment";
