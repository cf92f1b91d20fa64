/** Spiking neural networks: LIF neurons, surrogate gradients, encoders, counters (and, below, attention and tasks). */
export { lifStep, lifInit, unroll, denseLif, lifTrace, checkLifParams, RESETS, type LifParams, type LifState, type LifStep, type LifRun, type Reset } from "./lif";
export { spikeFn, heaviside, surrogates, fastSigmoid, arctan, sigmoid, rectangular, triangle, type Surrogate, type SurrogateName } from "./surrogate";
export { rateEncode, latencyEncode, encodeBatch } from "./encoding";
export { spikeCount, firingRate, synapticOps, denseFanOut, convFanOut, denseMacs, convMacs, energyPJ, layerActivity, sumActivity, type LayerActivity } from "./counters";
export { delayedXor, loadSequentialMnist, timeMajorBatch, perturbInput, type SeqSet, type DelayedXorOptions } from "./tasks";
export { initRsnn, rsnnForward, trainRsnn, fitSeqClassifier, evalRsnn, rsnnVariables, type RsnnConfig, type RsnnParams, type RsnnProbe, type TrainOptions } from "./rsnn";
export { lifGrid, runVariant, runGrid, meanOver, variantTable, type Variant, type AblationSetup, type VariantResult } from "./ablation";
export { stfn, stfnInit, type StfnParams, type StfnOptions } from "./stfn";
export { propagator, timeLinear, glorot, initSpikingGcn, spikingGcn, spikingGcnVariables, spikingGraphConv, initGcn, gcn, type Propagator, type SpikingGcnConfig, type SpikingGcnParams, type GcnParams } from "./graph-conv";
export { graphNeurons } from "./graph-lif";
export { opCount, energyNJ, spikingGcnCost, gcnCost, spikingGatCost, gatCost, projectSpikingGcnCost, costRows, type OpRow, type OpCount, type GraphShape, type SpikeTrace, type GatShape } from "./graph-ops";
export { graphAttention, attentionLayout, attentionForward, attentionWeights, initGat, gatForward, gatVariables, gatAllVariables, sameClassAttention, type AttentionParams, type AttentionLayout, type AttentionScore, type GatConfig, type GatParams } from "./graph-attention";
export { encodeNodes, minMaxScale, graphShape, withoutEdges, fitSpikingGcn, fitGcn, fitGat, depthSweep, codingSweep, type Coding, type CodingSweepOptions, type GraphTask, type FitSetup, type FitResult, type GatFitResult, type SweepRow, type DepthSweepOptions, type DepthModel } from "./graph-experiment";
export { conv2dIm2col, avgPool2 } from "./conv";
export { initMaAttention, maAttention, maVariables, temporalAttention, channelAttention, spatialAttention, MA_KINDS, type MaKind, type MaParams, type SqueezeMlp } from "./attention";
export { shiftBilinear, frameEvents, downsample2, saccadeEvents, type SaccadeOptions, type EventSet } from "./events";
export { initConvSnn, convSnnForward, convSnnVariables, trainConvSnn, evalConvSnn, attentionOps, runAttention, type ConvSnnConfig, type ConvSnnParams, type ConvSnnEval, type AttentionRun } from "./convsnn";
export { compareModels, bySeed, type CompareModel, type CompareOptions, type CompareRow } from "./graph-compare";
