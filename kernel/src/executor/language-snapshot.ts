/**
 * A V8 start-up snapshot of the language server (`node --build-snapshot`): TypeScript loaded, and every lib and
 * @types/node declaration file parsed and bound by a warm-up check. A kernel starts its language server from
 * it in a child process that can check a first cell about 300 ms after start instead of 800 ms (the parse
 * alone is 2.8 MB of declarations). A blob is specific to this Node binary, its V8 flags and these compiler
 * files, so each configuration has its own, named by the hash of all of them, in the per-user cache
 * (`cache-dir.ts`), never in the install folder. It is built by `npm run build` or
 * `node kernel/dist/executor/language-snapshot.js --build`, or by the kernel itself in the background when
 * missing; without one the server runs on a worker thread as before.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir } from "./cache-dir";

function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return "none";
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string })
      .version;
  } catch {
    return "none";
  }
}

/**
 * Node flags of the language process: its garbage collector and V8's background compiler on its own thread
 * only. With V8's defaults the collector's helper threads (one per core) mark and compact the language
 * server's heap of programs on every core right after a check, while the kernel's main thread runs the cell:
 * on 2 cores a first import's run took 10-53 ms instead of ~13 (the kernel's CPU time was 13-20 ms for the
 * whole request, the rest waiting for a core). First import of decimal.js, seedrandom and long, median of 12
 * fresh kernels each, interleaved in one run: 86.5 ms with the defaults, 68.1 with `--v8-pool-size=1`, 63.0 with
 * both flags (Deno 58.6); trivial cell 2.88 vs 2.78 ms. `FOLIO_LANGUAGE_FLAGS` replaces them (space-separated).
 * The blob is built under the same flags and keyed by them, as it is by NODE_OPTIONS.
 */
export function serverFlags(): string[] {
  const env = process.env.FOLIO_LANGUAGE_FLAGS;
  return (env ?? "--single-threaded-gc --v8-pool-size=1").split(" ").filter(Boolean);
}

/**
 * Everything the blob depends on: Node, the compiler and declaration packages, the server's code, and the V8
 * flags the child will run with (NODE_OPTIONS, inherited: V8 refuses a snapshot built with other flags). Also
 * where the kernel and its compiler are installed: the blob holds their absolute paths (the declaration files'
 * names, the compiler the builder loaded), so two projects with the same versions must not share one, or a
 * kernel checks against the other project's files (and finds no lib at all once that project is moved or deleted).
 */
export function snapshotKey(): string {
  const h = createHash("sha256");
  h.update(
    [
      process.version,
      process.arch,
      process.execPath,
      __dirname,
      packageDir("typescript"),
      packageDir("@types/node"),
      packageVersion("typescript"),
      packageVersion("@types/node"),
      packageVersion("undici-types"),
      process.env.FOLIO_TS_DOM ?? "",
      process.env.FOLIO_TS_BUNDLE ?? "",
      process.env.NODE_OPTIONS ?? "",
      serverFlags().join(" "),
    ].join("\n"),
  );
  for (const text of serverModules()) h.update(text);
  return h.digest("hex");
}

/** The texts of the modules a snapshot holds: this one, the server and what they require from this folder. */
function serverModules(): string[] {
  const seen = new Set<string>(),
    texts: string[] = [];
  const queue = [path.basename(__filename), "language-server.js"];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = fs.readFileSync(path.join(__dirname, f), "utf8");
    texts.push(text);
    for (const m of text.matchAll(/require\("\.\/([\w.-]+?)(?:\.js)?"\)/g)) queue.push(`${m[1]}.js`);
  }
  return texts;
}

const PREFIX = "language-",
  SUFFIX = ".blob";

/** Where the blob for this configuration lives (undefined without a usable cache folder). */
export function snapshotPath(key = snapshotKey()): string | undefined {
  const dir = cacheDir();
  return dir && path.join(dir, `${PREFIX}${key.slice(0, 24)}${SUFFIX}`);
}

/** The blob to start the language server from, if one was built for exactly this kernel, Node and flags. */
export function usableSnapshot(): string | undefined {
  if (process.env.FOLIO_SNAPSHOT === "0") return undefined;
  try {
    const blob = snapshotPath();
    return blob && fs.statSync(blob).isFile() ? blob : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When a blob is built, other configurations' blobs (43 MB each) beyond the newest `keep` are deleted once an
 * hour old: kernels of several checkouts or Node versions may take turns on one machine.
 */
function prune(dir: string, current: string, keep = 3, ageMs = 3_600_000): void {
  const old = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX) && path.join(dir, f) !== current)
    .map((f) => ({ f: path.join(dir, f), t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f, t } of old.slice(keep)) if (Date.now() - t > ageMs) fs.rmSync(f, { force: true });
}

interface BuilderConfig {
  typescript: string;
  server: string;
  typeRoots: string[] | undefined;
  warmDir: string;
  globalsDts: string;
}

/**
 * Runs inside `node --build-snapshot`, where only built-in modules can be required and `module` does not exist:
 * it loads the compiler and the language server's files by hand, warms a server (parsing every declaration
 * file into the shared document registry), and registers the main function a snapshot-started process runs.
 * It is shipped to the builder as source text, so it may use nothing from this module's scope.
 */
function builder(cfg: BuilderConfig): void {
  // The builder gets the bare names it was written and tested with (node --build-snapshot's own require).
  // biome-ignore lint/style/useNodejsImportProtocol: see above
  const nodeFs = require("fs") as typeof import("node:fs");
  // biome-ignore lint/style/useNodejsImportProtocol: see above
  const nodePath = require("path") as typeof import("node:path");
  // biome-ignore lint/style/useNodejsImportProtocol: see above
  const v8 = require("v8") as typeof import("node:v8");
  const loaded = new Map<string, unknown>();
  // biome-ignore lint/suspicious/noExplicitAny: a CommonJS module's exports, loaded by hand
  const load = (file: string): any => {
    if (loaded.has(file)) return loaded.get(file);
    const mod = { exports: {} as Record<string, unknown> };
    loaded.set(file, mod.exports);
    const req = (spec: string): unknown => {
      if (spec === "typescript") return load(cfg.typescript);
      if (spec.startsWith("."))
        return load(nodePath.resolve(nodePath.dirname(file), spec.endsWith(".js") ? spec : `${spec}.js`));
      return require(spec.replace(/^node:/, ""));
    };
    new Function("exports", "require", "module", "__filename", "__dirname", nodeFs.readFileSync(file, "utf8"))(
      mod.exports,
      req,
      mod,
      file,
      nodePath.dirname(file),
    );
    loaded.set(file, mod.exports);
    return mod.exports;
  };
  const ts = load(cfg.typescript);
  const server = load(cfg.server);
  const shared = server.newShared(ts, cfg.typeRoots);
  const warm = server.createLanguageServer(ts, { dir: cfg.warmDir, globalsDts: cfg.globalsDts, shared });
  warm({ seq: 0, kind: "warm" });
  // The declaration emit too. Not completion: it sorts with an Intl.Collator, which V8 cannot snapshot.
  warm({
    seq: 1,
    kind: "compile",
    id: 1,
    code: "const __folio_snapshot: string[] = [process.version];\n",
    fileName: "warm.ts",
    check: true,
  });
  warm({ seq: 2, kind: "commit", id: 1 });
  // A first import of packages (warm-imports.ts): the packages in the temporary folder, the cells compiled as a
  // kernel's are, so the code they run is compiled in the snapshot.
  const imports = load(nodePath.join(nodePath.dirname(cfg.server), "warm-imports.js"));
  for (const [rel, text] of imports.WARM_PACKAGES as [string, string][]) {
    const f = nodePath.join(cfg.warmDir, rel);
    nodeFs.mkdirSync(nodePath.dirname(f), { recursive: true });
    nodeFs.writeFileSync(f, text);
  }
  (imports.WARM_CELLS as string[]).forEach((code, i) => {
    const r = warm({ seq: 3 + 2 * i, kind: "compile", id: 2 + i, code, fileName: "warm.ts", check: true });
    if (!r.ok) throw new Error(`warm-up import cell ${i + 1} failed to check: ${JSON.stringify(r.diagnostics)}`);
    warm({ seq: 4 + 2 * i, kind: "commit", id: 2 + i });
  });
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const startedAt = Date.now();
    // Jupyter interrupts by signalling the kernel's process group: the interrupt is for the cell, not for us.
    process.on("SIGINT", () => undefined);
    process.on("disconnect", () => process.exit(0));
    // The first message names the notebook directory; every later one is a request.
    process.once("message", (init: { dir: string; globalsDts: string }) => {
      const handle = server.createLanguageServer(ts, { dir: init.dir, globalsDts: init.globalsDts, shared, startedAt });
      server.serve(handle, process, (res: unknown) => process.send!(res));
    });
  });
}

/**
 * Builds the blob for this kernel, Node and flags (about 2–3 s) under a temporary name, then renames it into
 * place: a kernel starting meanwhile sees the whole blob or none.
 */
export async function buildSnapshot(): Promise<{ ms: number; bytes: number; file: string }> {
  const t0 = Date.now();
  const blob = snapshotPath();
  if (!blob) throw new Error("no per-user cache folder that is safe to use (see FOLIO_CACHE_DIR)");
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
  const tmp = `${blob}.${process.pid}.tmp`; // beside the blob, so the rename is atomic
  fs.writeFileSync(entry, `(${builder.toString()})(${JSON.stringify(cfg)});\n`);
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const p = spawn(process.execPath, [...serverFlags(), "--snapshot-blob", tmp, "--build-snapshot", entry], {
        stdio: ["ignore", "ignore", "pipe"],
        cwd: cfg.warmDir,
      });
      let stderr = "";
      p.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      p.on("error", reject);
      p.on("exit", (code) => resolve({ code, stderr }));
    });
    if (code !== 0)
      throw new Error(
        `node --build-snapshot exited with ${code}: ${stderr
          .split("\n")
          .filter((l) => l && !/Warning|nodejs\/node\/issues|trace-warnings|It may still work/.test(l))
          .join("\n")}`,
      );
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, blob);
    try {
      prune(path.dirname(blob), blob);
    } catch {
      /* another kernel pruned first */
    }
    return { ms: Date.now() - t0, bytes: fs.statSync(blob).size, file: blob };
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(cfg.warmDir, { recursive: true, force: true });
  }
}

/**
 * Rebuilds the blob in a detached low-priority process, at most one at a time per configuration: a kernel that
 * found no usable snapshot leaves one for the next start.
 */
export function rebuildInBackground(): void {
  if (process.env.FOLIO_SNAPSHOT === "0") return;
  try {
    const blob = snapshotPath();
    if (!blob) return;
    const lock = `${blob}.lock`;
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs < 120_000) return;
      fs.rmSync(lock, { force: true });
    } catch {
      /* no build running */
    }
    fs.writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
    const p = spawn(process.execPath, [__filename, "--build", "--unlock", lock], { detached: true, stdio: "ignore" });
    try {
      os.setPriority(p.pid!, 15);
    } catch {
      /* not permitted: normal priority */
    }
    p.unref();
  } catch {
    /* a build is starting elsewhere, or no cache: keep using the worker thread */
  }
}

if (require.main === module && process.argv.includes("--build")) {
  const unlock = process.argv[process.argv.indexOf("--unlock") + 1];
  buildSnapshot()
    .then(
      (r) => {
        console.log(
          `language snapshot: ${(r.bytes / 2 ** 20).toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s → ${r.file}`,
        );
      },
      (e) => {
        console.error(`language snapshot not built (the kernel will use a worker thread): ${(e as Error).message}`);
      },
    )
    .finally(() => {
      if (process.argv.includes("--unlock") && unlock) fs.rmSync(unlock, { force: true });
    });
}
