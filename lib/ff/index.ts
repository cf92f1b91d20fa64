/** Forward-Forward, Distance-Forward and a backprop reference on one MLP stack (tfjs). */
export { dense, rmsNorm, reluFullGrad, perturbWeight, perturbLayers, activationNoise, layerForward, argmaxRows, accuracyOf, mcnemarZ, type Dense, type Noise } from "./mlp";
export { createFF, embedLabels, goodness, ffLayerLoss, wrongLabels, ffTrainStep, ffScores, type FFModel } from "./ff";
export { createDF, centroidGoodness, nPairMarginLoss, dfTrainStep, dfScores, type DFModel } from "./df";
export { createBP, softmaxCrossEntropy, bpTrainStep, bpScores, type BPModel } from "./bp";
export { trainStep, scores, predict, accuracy, parameters, parameterCount, disposeModel, type Model } from "./models";
export { createModel, trainModel, stepMemory, noiseSweep, type Learner, type LabelledSet, type TrainResult } from "./experiment";
