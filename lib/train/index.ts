/** Training-loop helpers shared by the notebooks: minibatching, seeded shuffles, learning curves, tensor-memory peaks. */
export {
  trainLoop,
  trainLoopAsync,
  minibatches,
  gatherRows,
  gatherLabels,
  type EpochRecord,
  type TrainLoopOptions,
} from "./loop";
export { tensorMeter, probe, bufferBytes, type TensorMeter } from "./memory";
