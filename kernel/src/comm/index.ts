/**
 * `@folio/kernel/comm`: comms from a cell (messaging spec, "Custom Messages"). Inside a Folio kernel,
 * `comms()` is the kernel's registry: `comms().registerTarget(name, (comm, msg) => ...)` for comms a front end
 * opens, `comms().open(target, data)` to open one from the kernel.
 */
import { kernelBridge } from "./bridge";
import type { CommManager } from "./comm";

export { Comm, CommManager, type CommMessage, type TargetHandler, type Data } from "./comm";

/** The running kernel's comm registry; throws outside a Folio kernel. */
export function comms(): CommManager {
  const b = kernelBridge();
  if (!b) throw new Error("@folio/kernel/comm: not running inside a Folio kernel");
  return b.comms;
}
