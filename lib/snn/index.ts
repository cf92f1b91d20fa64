/** Spiking neural networks: LIF neurons, surrogate gradients, encoders, counters (and, below, attention and tasks). */
export { lifStep, lifInit, unroll, denseLif, lifTrace, checkLifParams, RESETS, type LifParams, type LifState, type LifStep, type LifRun, type Reset } from "./lif";
export { spikeFn, heaviside, surrogates, fastSigmoid, arctan, sigmoid, rectangular, triangle, type Surrogate, type SurrogateName } from "./surrogate";
export { rateEncode, latencyEncode, encodeBatch } from "./encoding";
export { spikeCount, firingRate, synapticOps, denseFanOut, convFanOut, denseMacs, convMacs, energyPJ, layerActivity, sumActivity, type LayerActivity } from "./counters";
export { delayedXor, loadSequentialMnist, timeMajorBatch, perturbInput, type SeqSet, type DelayedXorOptions } from "./tasks";
export { initRsnn, rsnnForward, trainRsnn, evalRsnn, rsnnVariables, type RsnnConfig, type RsnnParams, type RsnnProbe, type TrainOptions } from "./rsnn";
export { lifGrid, runVariant, runGrid, meanOver, type Variant, type AblationSetup, type VariantResult } from "./ablation";
