/** Extreme video compression with decoder-side prediction (arXiv 2402.08934), reproduced in the small. */
export { BLOCK, DCT_MATRIX, ZIGZAG, dct8, idct8, getBlock, setBlock } from "./dct";
export { RangeEncoder, RangeDecoder, type BinCoder } from "./rangecoder";
export { JPEG_LUMA, quantTable, quantiseFrame, dequantiseFrame, encodeFrame, decodeFrame, type CodedFrame } from "./codec";
export { mse, psnr, ssim } from "./metrics";
export { globalMotion, blockMotion, refineFlow, blur, warpForward, predictFrames } from "./motion";
export { movingMnist, valueNoiseTexture, panVideo, constantVideo, type Video } from "./generate";
export { predictiveCode, decodePredictive, allKeyframes, countBitsFor, type CodeResult, type Message, type PredictiveOptions } from "./scheme";
export { restartClustering, binomialUpperTail, paretoFront, bppAtQuality, type Clustering, type RatePoint } from "./stats";
