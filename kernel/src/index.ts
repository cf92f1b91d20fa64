/** @folio/kernel: a type-checked TypeScript kernel for Jupyter. */
export { installKernelspec, userDataDir, type InstallOptions } from "./install";
export { Kernel, kernelInfo } from "./kernel";
export { readConnectionFile, type ConnectionInfo } from "./protocol/connection";
