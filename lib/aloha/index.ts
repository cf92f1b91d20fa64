/** Delay-constrained random access: ALOHA-based schemes and RLRA-DC (arXiv 2206.09779). */
export {
  binomialPmf, throughputExact, goldenMax, optimalStaticP, optimalSlotSchedule, countAwareThroughput, ONE_OVER_E,
  type AccessSystem, type AlohaScheme,
} from "./model";
export { simulateAloha, simulateRlra, rlraInit, rlraSlotProbabilities, RLRA_DEFAULTS, type RunResult, type RlraParams, type RlraState } from "./simulate";
