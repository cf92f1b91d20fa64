/**
 * Main-thread client of the language server: a promise per request, answered in order. The server runs in a
 * child process started from the V8 snapshot when one is usable (see `language-snapshot.ts`), else on a worker
 * thread; a snapshot process that dies before its first answer is replaced by a worker and the requests resent.
 *
 * The server is supervised. The client keeps the sum of what each commit taught the server (prelude entries,
 * captured names, imports: `LanguageState`), so a server that dies, or is stopped, is replaced by one restored
 * to the same knowledge and the next cell checks as before. A server is stopped (and so replaced) when:
 * - an editor request (completion, inspection, is_complete) outlives its budget: TypeScript is asked to give up
 *   after `EDITOR_BUDGET_MS` and the process is killed at twice that; an execute request arriving meanwhile
 *   (`yieldToExecute`, called by the kernel on receipt) cuts the wait to `PREEMPT_MS`: executes come first;
 * - the cell being checked is interrupted (`abort`): the interrupt takes effect at once, not when the check ends.
 */
import { Worker } from "node:worker_threads";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type {
  Completion,
  CompileResult,
  Inspection,
  LanguageRequest,
  LanguageResponse,
  LanguageState,
} from "./language-protocol";
import type { IsComplete } from "./is-complete";
import { rebuildInBackground, serverFlags, usableSnapshot } from "./language-snapshot";
import { codePointOffset, utf16Offset } from "./cursor";

type Req = LanguageRequest extends infer R ? (R extends { seq: number } ? Omit<R, "seq"> : never) : never;

/** TypeScript's own budget for one completion or inspection; the hard limit is twice this. */
const EDITOR_BUDGET_MS = Number(process.env.FOLIO_EDITOR_BUDGET_MS ?? 1000);
/** How long an editor request may still run once an execute's check waits behind it. */
const PREEMPT_MS = 100;
/** Warm-up rounds for a replacement server (the first server is warmed by the kernel). */
const REWARM_ROUNDS = 2;
const EDITOR = new Set(["complete", "inspect", "isComplete"]);

interface Server {
  via: "snapshot" | "worker";
  post(m: LanguageRequest | Record<string, unknown>): void;
  kill(): void;
  answered: boolean;
  stderr: string;
}
interface Pending {
  req: LanguageRequest;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  fallback?: unknown;
}

/** Thrown (as the compile's rejection) when the cell being checked was interrupted. */
export class CheckAborted extends Error {
  constructor() {
    super("the type check was interrupted");
    this.name = "CheckAborted";
  }
}

/** The kernel's stderr without the patch that routes `process.stderr` into the running cell's output. */
const stderrLog = (text: string) => {
  try {
    fs.writeSync(2, `[folio] ${text}\n`);
  } catch {
    /* closed */
  }
};
const debugging = () => !!process.env.FOLIO_DEBUG;

export class Language {
  private server!: Server;
  private seq = 0;
  private closed = false;
  private readonly waiting = new Map<number, Pending>();
  /** What every commit so far taught the server. */
  private readonly state = {
    entries: new Map<string, string>(),
    captured: new Set<string>(),
    imports: new Set<string>(),
    untyped: new Set<string>(),
  };
  /** Requests sent at the end of this turn of the event loop, or before the next request, whichever comes first. */
  private readonly later: LanguageRequest[] = [];
  /** Checked cells whose commit has not answered yet: a replacement server checks them again. */
  private readonly uncommitted = new Map<number, Req>();
  /** Servers started after the first (deaths, abandoned requests, interrupts). */
  restarts = 0;

  constructor(
    private readonly dir: string,
    private readonly globalsDts: string,
    private readonly log: (text: string) => void = stderrLog,
  ) {
    this.startServer();
  }

  /** "snapshot" (child process from the start-up snapshot) or "worker" (worker thread). */
  get via(): "snapshot" | "worker" {
    return this.server.via;
  }
  /** Only a closed client is dead: a server that dies is replaced. */
  get dead(): boolean {
    return this.closed;
  }

  private startServer(): void {
    const blob = usableSnapshot();
    if (blob) this.server = this.startChild(blob);
    else {
      this.server = this.startWorker();
      rebuildInBackground();
    }
    this.restore();
  }

  /**
   * Brings a new server to what the last one knew: the committed state, then the cells checked but not yet
   * committed, checked again so that their commit finds their declarations.
   */
  private restore(): void {
    if (this.state.entries.size || this.state.captured.size || this.state.imports.size) {
      this.server.post({ seq: ++this.seq, kind: "restore", state: this.knownState() });
    }
    for (const [id, req] of [...this.uncommitted].sort((a, b) => a[0] - b[0]))
      this.server.post({ ...req, seq: ++this.seq, id } as LanguageRequest);
  }

  private knownState(): LanguageState {
    const s = this.state;
    return { entries: [...s.entries], captured: [...s.captured], imports: [...s.imports], untyped: [...s.untyped] };
  }

  private merge(d: LanguageState): void {
    for (const [name, text] of d.entries) {
      this.state.entries.delete(name);
      this.state.entries.set(name, text);
    }
    for (const n of d.captured) this.state.captured.add(n);
    for (const n of d.imports) this.state.imports.add(n);
    for (const n of d.untyped) this.state.untyped.add(n);
  }

  private onResponse(server: Server, r: LanguageResponse): void {
    if (server !== this.server) return;
    server.answered = true;
    const w = this.waiting.get(r.seq);
    if (!w) return;
    this.settle(r.seq);
    if (r.error !== undefined) w.reject(new Error(r.error));
    else w.resolve(r.result);
  }

  private settle(seq: number): Pending | undefined {
    const w = this.waiting.get(seq);
    if (!w) return undefined;
    this.waiting.delete(seq);
    if (w.timer) clearTimeout(w.timer);
    return w;
  }

  /** The server stopped on its own (crash, out of memory, killed from outside). */
  private onLost(server: Server, why: string): void {
    if (server !== this.server || this.closed) return;
    if (server.via === "snapshot" && !server.answered) {
      // A blob this Node cannot start from: fall back for this kernel, and rebuild it for the next one. V8's own
      // complaint ("Failed to load the startup snapshot…") stays off the user's terminal unless debugging.
      if (debugging())
        this.log(`language snapshot unusable (${why}): ${server.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      this.server = this.startWorker();
      this.restore();
      this.later.length = 0;
      for (const w of this.waiting.values()) this.server.post(w.req);
      rebuildInBackground();
      return;
    }
    this.log(`language server ${why}: restarted with the declarations of every committed cell`);
    if (debugging() && server.stderr.trim())
      this.log(`language server stderr: ${server.stderr.trim().split("\n").slice(-5).join(" | ")}`);
    // The request it was working on may be what killed it: a check fails, an editor request gets its fallback;
    // anything else (a commit, a warm-up) is sent again.
    const first = this.waiting.values().next().value as Pending | undefined;
    const culprit = first && (first.req.kind === "compile" || "fallback" in first) ? first.req.seq : undefined;
    this.replace(culprit, (w) => w.reject(new Error(`the language server ${why}`)));
  }

  /**
   * Kills the current server (if alive) and starts a restored one. The request `seq` (the one in progress) is
   * settled by `drop` or its fallback; every other waiting request is sent again.
   */
  private replace(seq: number | undefined, drop: (w: Pending) => void): void {
    const old = this.server;
    const w = seq === undefined ? undefined : this.settle(seq);
    if (w) {
      if ("fallback" in w) w.resolve(w.fallback);
      else drop(w);
    }
    this.restarts++;
    this.startServer();
    old.kill();
    this.later.length = 0; // every waiting request is sent again below
    for (const p of this.waiting.values()) {
      this.server.post(p.req);
      if (p.timer) this.arm(p, 2 * EDITOR_BUDGET_MS);
    }
    this.server.post({ seq: ++this.seq, kind: "warm", rounds: REWARM_ROUNDS });
  }

  private arm(p: Pending, ms: number): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      if (this.waiting.get(p.req.seq) !== p) return;
      if (debugging()) this.log(`${p.req.kind} abandoned after ${ms} ms: language server replaced`);
      this.replace(p.req.seq, () => undefined);
    }, ms);
    p.timer.unref();
  }

  private startChild(blob: string): Server {
    const child: ChildProcess = spawn(process.execPath, [...serverFlags(), "--snapshot-blob", blob], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    const server: Server = {
      via: "snapshot",
      answered: false,
      stderr: "",
      post: (m) => {
        if (child.connected) child.send(m as never);
      },
      kill: () => {
        child.kill("SIGKILL");
      },
    };
    child.stderr!.on("data", (d: Buffer) => {
      server.stderr = (server.stderr + d.toString()).slice(-4096);
    });
    (child.stderr as unknown as { unref?(): void }).unref?.();
    child.on("message", (r: LanguageResponse) => this.onResponse(server, r));
    child.on("exit", (code, signal) => this.onLost(server, `process exited (${signal ?? code})`));
    child.on("error", (e) => this.onLost(server, `process failed: ${e.message}`));
    server.post({ kind: "init", dir: this.dir, globalsDts: this.globalsDts });
    return server;
  }

  private startWorker(): Server {
    const worker = new Worker(path.join(__dirname, "language-worker.js"), {
      workerData: { dir: this.dir, globalsDts: this.globalsDts },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const server: Server = {
      via: "worker",
      answered: false,
      stderr: "",
      post: (m) => worker.postMessage(m),
      kill: () => {
        void worker.terminate();
      },
    };
    worker.on("message", (r: LanguageResponse) => this.onResponse(server, r));
    worker.on("error", (e) => this.onLost(server, `worker failed: ${e.message}`));
    worker.on("exit", (code) => this.onLost(server, `worker exited (${code})`));
    return server;
  }

  /** With `defer`, the request is sent once this turn of the event loop is over (or with the next request). */
  private call<T>(req: Req, fallback?: { value: T }, defer = false): Promise<T> {
    const seq = ++this.seq;
    if (this.closed) return Promise.reject(new Error("language server is closed"));
    return new Promise<T>((resolve, reject) => {
      const full = { ...req, seq } as LanguageRequest;
      const p: Pending = { req: full, resolve: resolve as (v: unknown) => void, reject };
      if (fallback) {
        p.fallback = fallback.value;
        this.arm(p, 2 * EDITOR_BUDGET_MS);
      } else this.preempt();
      this.waiting.set(seq, p);
      if (defer) {
        this.later.push(full);
        if (this.later.length === 1) setImmediate(() => this.sendLater());
      } else {
        this.sendLater();
        this.server.post(full);
      }
    });
  }

  private sendLater(): void {
    for (const m of this.later.splice(0)) this.server.post(m);
  }

  /** An execute request arrived (it may still queue behind an editor request in the kernel): that request yields. */
  yieldToExecute(): void {
    this.preempt();
  }

  /** A check is waiting: an editor request still running gets `PREEMPT_MS` more. */
  private preempt(): void {
    const first = this.waiting.values().next().value as Pending | undefined;
    if (first && EDITOR.has(first.req.kind)) this.arm(first, PREEMPT_MS);
  }

  warm(rounds = 1, first = 0) {
    return this.call<{ loadMs: number; warmMs: number }>({ kind: "warm", rounds, first });
  }
  /** No request is waiting for an answer. */
  get idle(): boolean {
    return this.waiting.size === 0;
  }
  async compile(id: number, code: string, fileName: string, check: boolean): Promise<CompileResult> {
    const req = { kind: "compile", id, code, fileName, check } as const;
    const r = await this.call<CompileResult>(req);
    if (r.ok && check) this.uncommitted.set(id, req);
    return r;
  }

  /**
   * Settles cell `id`'s declarations. Sent after the cell's reply (deferred): a post to the language process
   * costs ~0.1 ms of this thread, and the next compile sends it first anyway, so it is never checked without them.
   */
  async commit(id: number): Promise<null> {
    this.merge(await this.call<LanguageState>({ kind: "commit", id }, undefined, true));
    // a commit settles its cell and older ones (the server does the same)
    for (const k of [...this.uncommitted.keys()]) if (k <= id) this.uncommitted.delete(k);
    return null;
  }

  /** Stops the check of cell `id` at once (an interrupt): its compile rejects with `CheckAborted`. */
  abort(id: number): void {
    const entry = [...this.waiting.values()].find((w) => w.req.kind === "compile" && w.req.id === id);
    if (!entry) return;
    const inProgress = this.waiting.keys().next().value === entry.req.seq;
    if (!inProgress) {
      this.settle(entry.req.seq);
      entry.reject(new CheckAborted());
      return;
    }
    this.replace(entry.req.seq, (w) => w.reject(new CheckAborted()));
  }

  /** Completions at `cursor` (code points, clamped); the replaced range in code points. */
  async complete(code: string, cursor: number): Promise<Completion> {
    const u = utf16Offset(code, cursor);
    const r = await this.call<Completion>(
      { kind: "complete", code, cursor: u, budgetMs: EDITOR_BUDGET_MS },
      { value: { matches: [], start: u, end: u } },
    );
    return { matches: r.matches, start: codePointOffset(code, r.start), end: codePointOffset(code, r.end) };
  }

  /** The tooltip at `cursor` (code points, clamped), or null when nothing there resolves. */
  inspect(code: string, cursor: number): Promise<Inspection | null> {
    return this.call<Inspection | null>(
      { kind: "inspect", code, cursor: utf16Offset(code, cursor), budgetMs: EDITOR_BUDGET_MS },
      { value: null },
    );
  }

  isComplete(code: string): Promise<{ status: IsComplete["status"] | "unknown"; indent?: string }> {
    return this.call<IsComplete | { status: "unknown" }>(
      { kind: "isComplete", code },
      { value: { status: "unknown" } },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const seq of [...this.waiting.keys()]) this.settle(seq)?.reject(new Error("language server is closed"));
    this.server.kill();
  }
}
