/**
 * Main-thread client of the language server: a promise per request, answered in order. The server runs in a
 * child process started from the V8 snapshot when one is usable (see `language-snapshot.ts`), else on a worker
 * thread; a snapshot process that dies before its first answer is replaced by a worker and the requests resent.
 */
import { Worker } from "node:worker_threads";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { CompileResult, LanguageRequest, LanguageResponse } from "./language-protocol";
import { rebuildInBackground, usableSnapshot } from "./language-snapshot";

type Req = LanguageRequest extends infer R ? (R extends { seq: number } ? Omit<R, "seq"> : never) : never;

interface Transport { post(m: unknown): void; close(): Promise<unknown> }

export class Language {
  private transport!: Transport;
  /** "snapshot" (child process from the start-up snapshot) or "worker" (worker thread). */
  via: "snapshot" | "worker" = "worker";
  private seq = 0;
  dead = false;
  private answered = false;
  private readonly waiting = new Map<number, { req: LanguageRequest; resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly dir: string, private readonly globalsDts: string) {
    const blob = usableSnapshot();
    if (blob) this.startChild(blob);
    else { this.startWorker(); rebuildInBackground(); }
  }

  private onResponse = (r: LanguageResponse): void => {
    this.answered = true;
    const w = this.waiting.get(r.seq);
    if (!w) return;
    this.waiting.delete(r.seq);
    if (r.error !== undefined) w.reject(new Error(r.error)); else w.resolve(r.result);
  };

  private onExit = (why: string): void => {
    this.dead = true;
    for (const w of this.waiting.values()) w.reject(new Error(`language server ${why}`));
    this.waiting.clear();
  };

  private startChild(blob: string): void {
    this.via = "snapshot";
    const child: ChildProcess = spawn(process.execPath, ["--snapshot-blob", blob], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    child.on("message", this.onResponse);
    const lost = (why: string) => {
      if (this.transport !== transport) return;
      if (!this.answered) {
        // A blob this Node cannot start from: fall back for this kernel, and rebuild it for the next one.
        this.startWorker();
        for (const w of this.waiting.values()) this.transport.post(w.req);
        rebuildInBackground();
        return;
      }
      this.onExit(why);
    };
    child.on("exit", (code, signal) => lost(`process exited (${signal ?? code})`));
    child.on("error", (e) => lost(`process failed: ${e.message}`));
    const transport: Transport = {
      post: (m) => { if (child.connected) child.send(m as never); },
      close: async () => { child.kill(); },
    };
    this.transport = transport;
    transport.post({ kind: "init", dir: this.dir, globalsDts: this.globalsDts });
  }

  private startWorker(): void {
    this.via = "worker";
    const worker = new Worker(path.join(__dirname, "language-worker.js"), { workerData: { dir: this.dir, globalsDts: this.globalsDts }, stdout: false, stderr: false });
    worker.unref();
    worker.on("message", this.onResponse);
    worker.on("error", (e) => { for (const w of this.waiting.values()) w.reject(e); this.waiting.clear(); });
    worker.on("exit", (code) => this.onExit(`worker exited (${code})`));
    this.transport = { post: (m) => worker.postMessage(m), close: () => worker.terminate() };
  }

  private call<T>(req: Req): Promise<T> {
    const seq = ++this.seq;
    if (this.dead) return Promise.reject(new Error("language server is not running"));
    return new Promise<T>((resolve, reject) => {
      const full = { ...req, seq } as LanguageRequest;
      this.waiting.set(seq, { req: full, resolve: resolve as (v: unknown) => void, reject });
      this.transport.post(full);
    });
  }

  warm(rounds = 1) { return this.call<{ loadMs: number; warmMs: number }>({ kind: "warm", rounds }); }
  compile(id: number, code: string, fileName: string, check: boolean) { return this.call<CompileResult>({ kind: "compile", id, code, fileName, check }); }
  commit(id: number) { return this.call<null>({ kind: "commit", id }); }
  complete(code: string, cursor: number) { return this.call<{ matches: string[]; start: number; end: number }>({ kind: "complete", code, cursor }); }
  inspect(code: string, cursor: number) { return this.call<string | null>({ kind: "inspect", code, cursor }); }
  isComplete(code: string) { return this.call<{ status: "complete" | "incomplete" | "invalid"; indent?: string }>({ kind: "isComplete", code }); }
  close() { return this.transport.close(); }
}
