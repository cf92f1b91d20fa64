/** @folio/kernel: a type-checked TypeScript kernel for Jupyter. */
export {
  install,
  installKernelspec,
  uninstallKernelspec,
  userConfigDir,
  userDataDir,
  type InstallOptions,
  type Installed,
} from "./install";
export { Kernel } from "./kernel";
export { kernelInfo } from "./kernel-info";
export { readConnectionFile, type ConnectionInfo } from "@folio/protocol/jupyter";
export { loadedLocalFiles, ModuleGraph } from "./executor/modules";
