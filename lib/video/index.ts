/** Extreme video compression with decoder-side prediction (arXiv 2402.08934), reproduced in the small. */
export { BLOCK, DCT_MATRIX, ZIGZAG, dct8, idct8, getBlock, setBlock } from "./dct";
export { RangeEncoder, RangeDecoder, type BinCoder } from "./rangecoder";
export {
  JPEG_LUMA,
  quantTable,
  quantiseFrame,
  dequantiseFrame,
  encodeFrame,
  decodeFrame,
  type CodedFrame,
} from "./codec";
export { halfPelPlane, sampleQuarter, predictBlock, shiftFrame, type HalfPelPlane } from "./interp";
export { mse, psnr, ssim } from "./metrics";
export {
  globalMotion,
  globalMotionQuarter,
  blockMotion,
  refineFlow,
  blur,
  warpForward,
  predictFrames,
  type MotionModel,
  type Prediction,
} from "./motion";
export {
  movingMnist,
  valueNoise,
  valueNoiseTexture,
  panVideo,
  constantVideo,
  type Texture,
  type PanOptions,
  type Video,
} from "./generate";
export {
  predictiveCode,
  decodePredictive,
  allKeyframes,
  countBitsFor,
  codingResult,
  type CodeResult,
  type Message,
  type PredictiveOptions,
} from "./scheme";
export { interCode, interDecode, lagrangian, type InterOptions, type MotionSearch } from "./inter";
export {
  restartClustering,
  paretoFront,
  bppAtQuality,
  bdRate,
  pooledBdRate,
  bdSpreadText,
  type BdRate,
  type Clustering,
  type RatePoint,
} from "./stats";
export {
  SWEEP,
  sweep,
  rateStudy,
  sweepBdRates,
  sweepFronts,
  shuffledFrames,
  restartStudy,
  type Sweep,
  type SweepGrid,
  type SweepPoint,
} from "./experiments";
