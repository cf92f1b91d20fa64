/** Folio's Jupyter client: wire format, connection files, kernelspecs and the kernel connection. */
export {
  DELIMITER,
  PROTOCOL_VERSION,
  Signer,
  decode,
  encode,
  makeMessage,
  type Header,
  type Message,
  type WireFailure,
} from "./wire";
export { endpoint, freePorts, newConnection, writeConnectionFile, type ConnectionInfo } from "./connection";
export {
  envPrefix,
  findKernelspec,
  jupyterPath,
  kernelDirs,
  listKernelspecs,
  substituteArgv,
  type Kernelspec,
} from "./kernelspec";
export {
  CellTimeout,
  KernelClient,
  KernelDied,
  KernelTimeout,
  describeExit,
  handleInterrupt,
  withTimeout,
  type ExecuteOptions,
  type ExecuteResult,
  type ExitInfo,
  type LaunchOptions,
} from "./kernel";
