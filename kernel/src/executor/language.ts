/** Main-thread client of the language worker: a promise per request, answered in order. */
import { Worker } from "node:worker_threads";
import * as path from "node:path";
import type { CompileResult, LanguageRequest, LanguageResponse } from "./language-protocol";

type Req = LanguageRequest extends infer R ? (R extends { seq: number } ? Omit<R, "seq"> : never) : never;

export class Language {
  private readonly worker: Worker;
  private seq = 0;
  dead = false;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(dir: string, globalsDts: string) {
    this.worker = new Worker(path.join(__dirname, "language-worker.js"), { workerData: { dir, globalsDts }, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on("message", (r: LanguageResponse) => {
      const w = this.waiting.get(r.seq);
      if (!w) return;
      this.waiting.delete(r.seq);
      if (r.error !== undefined) w.reject(new Error(r.error)); else w.resolve(r.result);
    });
    this.worker.on("error", (e) => { for (const w of this.waiting.values()) w.reject(e); this.waiting.clear(); });
    this.worker.on("exit", (code) => {
      this.dead = true;
      for (const w of this.waiting.values()) w.reject(new Error(`language worker exited (${code})`));
      this.waiting.clear();
    });
  }

  private call<T>(req: Req): Promise<T> {
    const seq = ++this.seq;
    if (this.dead) return Promise.reject(new Error("language worker is not running"));
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, seq });
    });
  }

  warm() { return this.call<{ loadMs: number; warmMs: number }>({ kind: "warm" }); }
  compile(id: number, code: string, fileName: string, check: boolean) { return this.call<CompileResult>({ kind: "compile", id, code, fileName, check }); }
  commit(id: number) { return this.call<null>({ kind: "commit", id }); }
  complete(code: string, cursor: number) { return this.call<{ matches: string[]; start: number; end: number }>({ kind: "complete", code, cursor }); }
  inspect(code: string, cursor: number) { return this.call<string | null>({ kind: "inspect", code, cursor }); }
  isComplete(code: string) { return this.call<{ status: "complete" | "incomplete" | "invalid"; indent?: string }>({ kind: "isComplete", code }); }
  close() { return this.worker.terminate(); }
}
