/**
 * Comms (messaging spec 5.x, "Custom Messages"): named targets, and one `Comm` per open channel between the
 * kernel and its front ends. The kernel opens comms with `comm_open` on iopub, a front end with `comm_open` on
 * shell; both sides then exchange `comm_msg` until one sends `comm_close`. Binary buffers travel as extra frames
 * after the content. A front end's `comm_open` to a target nobody registered is answered with `comm_close` at
 * once, as ipykernel does, so the front end does not wait on a channel that will never answer.
 */
import { randomUUID } from "node:crypto";
import type { Iopub } from "@folio/protocol/jupyter";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Data = Record<string, unknown>;

/** What a comm message carries besides its comm id: `data`, the message's metadata and its binary buffers. */
export interface CommMessage {
  data: Data;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
  /** The header of the message that carried it (front end → kernel only). */
  header?: { msg_id: string; [k: string]: unknown };
}

/** Sends one iopub message on behalf of the comm layer (the kernel parents it to the current request). */
export type Publish = <T extends "comm_open" | "comm_msg" | "comm_close">(
  type: T,
  content: Iopub[T],
  metadata?: Record<string, unknown>,
  buffers?: Uint8Array[],
) => void;

/** Called when a comm is opened to a target: by the front end (`msg` is its comm_open) or by the kernel. */
export type TargetHandler = (comm: Comm, msg: CommMessage) => void | Promise<void>;

export class Comm {
  private msgHandlers: ((m: CommMessage) => void | Promise<void>)[] = [];
  private closeHandlers: ((m: CommMessage) => void | Promise<void>)[] = [];
  closed = false;
  /** Whatever the comm's owner wants to find again from the comm (a widget model). */
  owner: unknown;

  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly manager: CommManager,
  ) {}

  /** Sends `comm_msg` to the front ends. */
  send(data: Data, metadata: Record<string, unknown> = {}, buffers: Uint8Array[] = []): void {
    if (this.closed) throw new Error(`comm ${this.id} (${this.targetName}) is closed`);
    this.manager.publish("comm_msg", { comm_id: this.id, data }, metadata, buffers);
  }

  /** Sends `comm_close` (once) and forgets the comm. */
  close(data: Data = {}, metadata: Record<string, unknown> = {}, buffers: Uint8Array[] = []): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.forget(this.id);
    this.manager.publish("comm_close", { comm_id: this.id, data }, metadata, buffers);
  }

  /** Registers a handler for messages from the front end; handlers run in order, awaited. */
  onMsg(handler: (m: CommMessage) => void | Promise<void>): this {
    this.msgHandlers.push(handler);
    return this;
  }
  onClose(handler: (m: CommMessage) => void | Promise<void>): this {
    this.closeHandlers.push(handler);
    return this;
  }

  /** @internal a front end's comm_msg */
  async receive(m: CommMessage): Promise<void> {
    for (const h of this.msgHandlers) await h(m);
  }
  /** @internal a front end's comm_close */
  async receiveClose(m: CommMessage): Promise<void> {
    this.closed = true;
    for (const h of this.closeHandlers) await h(m);
  }
}

/** The kernel's registry of comm targets and open comms. */
export class CommManager {
  private readonly targets = new Map<string, TargetHandler>();
  private readonly comms = new Map<string, Comm>();

  constructor(
    readonly publish: Publish,
    private readonly log: (text: string) => void = () => {},
  ) {}

  /** Registers the handler for comms a front end opens to `name` (replacing an earlier one). */
  registerTarget(name: string, handler: TargetHandler): void {
    this.targets.set(name, handler);
  }
  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }
  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  /** Opens a comm from the kernel: `comm_open` on iopub. */
  open(
    targetName: string,
    data: Data = {},
    metadata: Record<string, unknown> = {},
    buffers: Uint8Array[] = [],
    id: string = randomUUID().replace(/-/g, ""),
  ): Comm {
    const comm = new Comm(id, targetName, this);
    this.comms.set(id, comm);
    this.publish("comm_open", { comm_id: id, target_name: targetName, data }, metadata, buffers);
    return comm;
  }

  get(id: string): Comm | undefined {
    return this.comms.get(id);
  }

  /** Open comms (all, or those of one target) as `comm_info_reply` lists them. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values())
      if (targetName === undefined || targetName === c.targetName) out[c.id] = { target_name: c.targetName };
    return out;
  }

  /** @internal */
  forget(id: string): void {
    this.comms.delete(id);
  }

  /** A front end's `comm_open`: the target's handler, or `comm_close` at once when there is none. */
  async handleOpen(content: Data, m: Omit<CommMessage, "data">): Promise<void> {
    const id = String(content.comm_id ?? ""),
      target = String(content.target_name ?? "");
    const data = (content.data ?? {}) as Data;
    const handler = this.targets.get(target);
    const comm = new Comm(id, target, this);
    if (!id || !handler) {
      this.log(`comm_open to unknown target ${JSON.stringify(target)}: closing comm ${id}`);
      if (id) {
        comm.closed = true;
        this.publish("comm_close", { comm_id: id, data: {} });
      }
      return;
    }
    this.comms.set(id, comm);
    try {
      await handler(comm, { ...m, data });
    } catch (e) {
      // A target that cannot take the comm closes it, so the front end learns it failed.
      this.log(`comm target ${target} failed: ${(e as Error)?.stack ?? e}`);
      comm.close();
      throw e;
    }
  }

  async handleMsg(content: Data, m: Omit<CommMessage, "data">): Promise<void> {
    const comm = this.comms.get(String(content.comm_id ?? ""));
    if (!comm) {
      this.log(`comm_msg for unknown comm ${JSON.stringify(content.comm_id)}: ignored`);
      return;
    }
    await comm.receive({ ...m, data: (content.data ?? {}) as Data });
  }

  async handleClose(content: Data, m: Omit<CommMessage, "data">): Promise<void> {
    const id = String(content.comm_id ?? "");
    const comm = this.comms.get(id);
    if (!comm) return;
    this.comms.delete(id);
    await comm.receiveClose({ ...m, data: (content.data ?? {}) as Data });
  }
}
