/** Hopfield energies, their updates, the layered energy, cross-entropy floors, and a tiny transformer (Niu et al. 2024, arXiv 2405.08707). */
export { logSumExp, softmax, dot, combine, halfSqDistances, mchnEnergy, mchnUpdate, distanceEnergy, distanceUpdate, descend, type Patterns } from "./energy";
export { attention } from "./attention";
export { layeredEnergy, layeredUpdate, blockWeights } from "./layered";
export { distanceReadoutCrossEntropy, crossEntropyViaEnergy, entropyOfCounts, memorisationFloor, meanCrossEntropy } from "./bounds";
export { markovSource, sampleSource, sourceNextProbs, type MarkovSource } from "./corpus";
export { initTinyLM, paramCount, tfAttention, lmLogits, lmLoss, toWindows, evalLoss, trainLM, disposeLM, type TinyLM, type TinyLMConfig } from "./transformer";
