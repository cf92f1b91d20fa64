/**
 * A V8 start-up snapshot of the language server (`node --build-snapshot`): TypeScript loaded, and every lib and
 * @types/node declaration file parsed and bound by a warm-up check. A kernel starts its language server from
 * it in a child process that can check a first cell about 300 ms after start instead of 800 ms (the parse
 * alone is 2.8 MB of declarations). The blob is specific to this Node binary and these compiler files, so it
 * is built on the machine (`npm run build`, or by the kernel itself in the background when it is missing or
 * stale) and never committed; without it the server runs on a worker thread as before.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where the blob lives: next to the compiled kernel (FOLIO_SNAPSHOT_BLOB moves it, for tests). */
const BLOB = process.env.FOLIO_SNAPSHOT_BLOB ?? path.join(__dirname, "..", "language.blob");
const META = `${BLOB}.json`;
const LOCK = `${BLOB}.lock`;

function packageVersion(name: string): string {
  try { return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version; } catch { return "none"; }
}

/** Everything the blob depends on: a blob with another key is stale. */
export function snapshotKey(): string {
  const h = createHash("sha256");
  h.update([process.version, process.arch, process.execPath, packageVersion("typescript"), packageVersion("@types/node"), packageVersion("undici-types"), process.env.FOLIO_TS_DOM ?? "", process.env.FOLIO_TS_BUNDLE ?? ""].join("\n"));
  for (const f of fs.readdirSync(__dirname).filter((x) => x.endsWith(".js")).sort()) h.update(fs.readFileSync(path.join(__dirname, f)));
  return h.digest("hex");
}

/** The blob to start the language server from, if one was built for exactly this kernel and Node. */
export function usableSnapshot(): string | undefined {
  if (process.env.FOLIO_SNAPSHOT === "0") return undefined;
  try {
    const meta = JSON.parse(fs.readFileSync(META, "utf8")) as { key: string };
    return meta.key === snapshotKey() && fs.existsSync(BLOB) ? BLOB : undefined;
  } catch { return undefined; }
}

interface BuilderConfig { typescript: string; server: string; typeRoots: string[] | undefined; warmDir: string; globalsDts: string }

/**
 * Runs inside `node --build-snapshot`, where only built-in modules can be required and `module` does not exist:
 * it loads the compiler and the language server's files by hand, warms a server (parsing every declaration
 * file into the shared document registry), and registers the main function a snapshot-started process runs.
 * It is shipped to the builder as source text, so it may use nothing from this module's scope.
 */
function builder(cfg: BuilderConfig): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const nodeFs = require("fs") as typeof import("node:fs");
  const nodePath = require("path") as typeof import("node:path");
  const v8 = require("v8") as typeof import("node:v8");
  const loaded = new Map<string, unknown>();
  const load = (file: string): any => {
    if (loaded.has(file)) return loaded.get(file);
    const mod = { exports: {} as Record<string, unknown> };
    loaded.set(file, mod.exports);
    const req = (spec: string): unknown => {
      if (spec === "typescript") return load(cfg.typescript);
      if (spec.startsWith(".")) return load(nodePath.resolve(nodePath.dirname(file), spec.endsWith(".js") ? spec : `${spec}.js`));
      return require(spec.replace(/^node:/, ""));
    };
    new Function("exports", "require", "module", "__filename", "__dirname", nodeFs.readFileSync(file, "utf8"))(mod.exports, req, mod, file, nodePath.dirname(file));
    loaded.set(file, mod.exports);
    return mod.exports;
  };
  const ts = load(cfg.typescript);
  const server = load(cfg.server);
  const shared = server.newShared(ts, cfg.typeRoots);
  const warm = server.createLanguageServer(ts, { dir: cfg.warmDir, globalsDts: cfg.globalsDts, shared });
  warm({ seq: 0, kind: "warm" });
  // The declaration emit too. Not completion: it sorts with an Intl.Collator, which V8 cannot snapshot.
  warm({ seq: 1, kind: "compile", id: 1, code: "const __folio_snapshot: string[] = [process.version];\n", fileName: "warm.ts", check: true });
  warm({ seq: 2, kind: "commit", id: 1 });
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const startedAt = Date.now();
    // Jupyter interrupts by signalling the kernel's process group: the interrupt is for the cell, not for us.
    process.on("SIGINT", () => undefined);
    process.on("disconnect", () => process.exit(0));
    // The first message names the notebook directory; every later one is a request.
    process.once("message", (init: any) => {
      const handle = server.createLanguageServer(ts, { dir: init.dir, globalsDts: init.globalsDts, shared, startedAt });
      server.serve(handle, process, (res: unknown) => process.send!(res));
    });
  });
}

/** Builds the blob for this kernel and Node (about 2–3 s), written under a temporary name and then renamed. */
export async function buildSnapshot(): Promise<{ ms: number; bytes: number }> {
  const t0 = Date.now();
  const { GLOBALS_DTS } = require("../display/globals") as typeof import("../display/globals");
  const { typeRoots } = require("./language-worker") as typeof import("./language-worker");
  const cfg: BuilderConfig = {
    typescript: require.resolve("typescript"),
    server: path.join(__dirname, "language-server.js"),
    typeRoots: typeRoots(),
    warmDir: fs.mkdtempSync(path.join(os.tmpdir(), "folio-snapshot-")),
    globalsDts: GLOBALS_DTS,
  };
  const entry = path.join(cfg.warmDir, "entry.js");
  const tmp = `${BLOB}.${process.pid}.tmp`;
  const key = snapshotKey();
  fs.writeFileSync(entry, `(${builder.toString()})(${JSON.stringify(cfg)});\n`);
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const p = spawn(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", entry], { stdio: ["ignore", "ignore", "pipe"], cwd: cfg.warmDir });
      let stderr = "";
      p.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
      p.on("error", reject);
      p.on("exit", (code) => resolve({ code, stderr }));
    });
    if (code !== 0) throw new Error(`node --build-snapshot exited with ${code}: ${stderr.split("\n").filter((l) => l && !/Warning|nodejs\/node\/issues|trace-warnings|It may still work/.test(l)).join("\n")}`);
    fs.renameSync(tmp, BLOB);
    const metaTmp = `${META}.${process.pid}.tmp`;
    fs.writeFileSync(metaTmp, JSON.stringify({ key, node: process.version, built: new Date().toISOString() }) + "\n");
    fs.renameSync(metaTmp, META);
    return { ms: Date.now() - t0, bytes: fs.statSync(BLOB).size };
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(cfg.warmDir, { recursive: true, force: true });
  }
}

/**
 * Rebuilds the blob in a detached low-priority process, at most one at a time per kernel directory: a kernel
 * that found no usable snapshot leaves one for the next start.
 */
export function rebuildInBackground(): void {
  if (process.env.FOLIO_SNAPSHOT === "0") return;
  try {
    try { if (Date.now() - fs.statSync(LOCK).mtimeMs < 120_000) return; } catch { /* no build running */ }
    fs.writeFileSync(LOCK, String(process.pid));
    const p = spawn(process.execPath, [__filename, "--build", "--unlock"], { detached: true, stdio: "ignore" });
    try { os.setPriority(p.pid!, 15); } catch { /* not permitted: normal priority */ }
    p.unref();
  } catch { /* read-only install: keep using the worker thread */ }
}

if (require.main === module && process.argv.includes("--build")) {
  buildSnapshot().then(
    (r) => { console.log(`language snapshot: ${(r.bytes / 2 ** 20).toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s → ${path.relative(process.cwd(), BLOB)}`); },
    (e) => { console.error(`language snapshot not built (the kernel will use a worker thread): ${(e as Error).message}`); },
  ).finally(() => { if (process.argv.includes("--unlock")) fs.rmSync(LOCK, { force: true }); });
}
