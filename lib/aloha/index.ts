/** Delay-constrained random access: ALOHA-based schemes and RLRA-DC (arXiv 2206.09779). */
export { ONE_OVER_E, saturatedBusy, checkSystem, type AccessSystem, type Feedback } from "./system";
export { headOfLineStationary, staticAlohaThroughput, optimalStaticP, goldenMax, type MeanField } from "./meanfield";
export { binomialPmf, frameThroughput, optimalFrameStaticP } from "./frame";
export {
  simulateStaticAloha,
  simulateScheme,
  alohaScheme,
  countAwareScheme,
  CONTEXT,
  type Context,
  type RunOptions,
  type RunResult,
  type Scheme,
} from "./simulate";
export {
  rlraInit,
  simulateRlra,
  rlraContextProbabilities,
  RLRA_DEFAULTS,
  type RlraState,
  type RlraParams,
} from "./rlra";
export {
  bestStaticP,
  frozen,
  symmetrized,
  compareSchemes,
  topShare,
  alohaSweep,
  type Comparison,
  type CompareOptions,
  type AlohaPoint,
} from "./experiment";
