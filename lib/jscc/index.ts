/** DeepJSCC with a range-null space diffusion receiver (arXiv 2309.15889), reproduced with an exact GMM prior. */
export { poolA, poolPinv, denseOf, downsample } from "./linear";
export { meanCov, lmmseDecoder } from "./lmmse";
export { fitGmm, gmmPosterior, gmmMmseDecoder, sampleGmm, type Gmm } from "./gmm";
export { ddnm, sigmaSchedule, type Denoiser, type DdnmOptions } from "./sampler";
export { snrLinear, awgn, powerScale, transmitLinear } from "./channel";
export { meanPsnr, slicedWasserstein } from "./metrics";
export { trainDeepJscc, type DeepJscc } from "./deepjscc";
export {
  makeSetup,
  gmmMoments,
  linearScheme,
  rangePart,
  swapNullSpace,
  sweep,
  matchedPrior,
  pooledPsnr,
  valuesOf,
  pairedGap,
  LINEAR,
  type Setup,
  type ScoreRow,
  type SweepOptions,
} from "./experiment";
