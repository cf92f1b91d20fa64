/**
 * What the kernel lends to code running inside it (cells, and `@folio/kernel/widgets` however it was loaded):
 * the comm registry, the current output sink, and a way to send a callback's outputs somewhere else. It sits on
 * `globalThis` under a registered symbol, so a second copy of the widgets module (another install) finds the same
 * kernel, and code run outside a kernel learns that there is none.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CommManager } from "./comm";
import type { OutputSink } from "../output/sink";
import type { MimeBundle } from "@folio/protocol/jupyter";

export const KERNEL_BRIDGE = Symbol.for("folio.kernel.comm");

export interface KernelBridge {
  readonly comms: CommManager;
  /** The sink outputs go to now: the enclosing `withSink`, else the request being handled. */
  sink(): OutputSink | undefined;
  /** Runs `fn` with its outputs (console, display, errors), across its awaits, going to `sink`. */
  withSink<T>(sink: OutputSink, fn: () => T): T;
  /** A value as the kernel would display it. */
  render(value: unknown): MimeBundle | undefined;
  /** A thrown value as the kernel shows errors (ename, evalue, traceback mapped to cells). */
  error(e: unknown): { ename: string; evalue: string; traceback: string[] };
  log(text: string): void;
}

/** The kernel's output scope: `withSink` binds a sink to an async context (AsyncLocalStorage). */
export const outputScope = new AsyncLocalStorage<OutputSink>();

export function setKernelBridge(b: KernelBridge): void {
  (globalThis as Record<symbol, unknown>)[KERNEL_BRIDGE] = b;
}

export function kernelBridge(): KernelBridge | undefined {
  return (globalThis as Record<symbol, unknown>)[KERNEL_BRIDGE] as KernelBridge | undefined;
}
