/**
 * The language server on a worker thread: the fallback when no start-up snapshot is usable. TypeScript loads
 * here through a V8 code cache, and every declaration file is parsed on the first check.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as path from "node:path";
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import type * as TS from "typescript";
import { createLanguageServer, newShared, serve } from "./language-server";
import { cacheDir, requireWithCodeCache } from "./cache-dir";

/**
 * `require("typescript")` through a V8 code cache kept in the per-user cache folder: compiling the 9 MB compiler
 * is a third of its start-up. The cache is written after the warm-up check, so it also holds the checker's hot
 * functions.
 */
function loadTypeScript(): { ts: typeof TS; saveCache: () => void } {
  const file = require.resolve("typescript");
  try {
    const version = (
      JSON.parse(fs.readFileSync(path.join(path.dirname(file), "..", "package.json"), "utf8")) as { version: string }
    ).version;
    const dir = cacheDir();
    // the install's path in the name too: V8's cache keeps the file name of the script that made it
    const where = createHash("sha1").update(file).digest("hex").slice(0, 8);
    const cacheFile =
      dir && path.join(dir, `typescript-${version}-${where}-${process.version}-${process.arch}.v8cache`);
    const r = requireWithCodeCache<typeof TS>(file, fs.readFileSync(file, "utf8"), cacheFile);
    return { ts: r.exports, saveCache: r.save };
  } catch {
    return { ts: require("typescript") as typeof TS, saveCache: () => {} };
  }
}

/** The directory holding `@types/node`, so `types: ["node"]` resolves from any notebook directory. */
export function typeRoots(): string[] | undefined {
  try {
    return [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];
  } catch {
    return undefined;
  }
}

if (parentPort) {
  const startedAt = Date.now();
  const { dir, globalsDts } = workerData as { dir: string; globalsDts: string };
  const { ts, saveCache } = loadTypeScript();
  const handle = createLanguageServer(ts, {
    dir,
    globalsDts,
    shared: newShared(ts, typeRoots()),
    afterWarm: saveCache,
    startedAt,
  });
  serve(handle, parentPort, (res) => parentPort!.postMessage(res));
}
