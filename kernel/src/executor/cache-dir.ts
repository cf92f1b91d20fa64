/**
 * The kernel's per-user cache folder (the language server's start-up snapshots, TypeScript's V8 code cache):
 * `$FOLIO_CACHE_DIR`, else `$XDG_CACHE_HOME/folio`, else `~/.cache/folio`, else `<tmp>/folio-<uid>`. A shared
 * fixed folder such as `/tmp/folio-kernel` would let another user of the machine create it first and feed the
 * kernel code to run, so a folder is used only after checking that it is a real directory (not a symbolic link),
 * owned by this user and writable by nobody else; it is created with mode 0700. No usable folder: no cache (the
 * kernel still runs, on a worker thread, without a code cache).
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

/** Why `dir` must not be used as this user's private folder, or undefined when it may. */
export function unsafeReason(dir: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    return (e as Error).message;
  }
  if (st.isSymbolicLink()) return "is a symbolic link";
  if (!st.isDirectory()) return "is not a directory";
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `is owned by uid ${st.uid}, not ${uid}`;
  if (st.mode & 0o022) return `is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Creates `dir` (mode 0700) unless it exists, then checks it: the folder, or undefined when unsafe. */
function ensure(dir: string): string | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  return unsafeReason(dir) === undefined ? dir : undefined;
}

function candidates(): string[] {
  if (process.env.FOLIO_CACHE_DIR) return [process.env.FOLIO_CACHE_DIR];
  const out: string[] = [];
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) out.push(path.join(xdg, "folio"));
  const home = os.homedir();
  if (home) out.push(path.join(home, ".cache", "folio"));
  out.push(path.join(os.tmpdir(), `folio-${process.getuid?.() ?? os.userInfo().username}`));
  return out;
}

let cached: { dir: string | undefined } | undefined;

/** This user's cache folder (created and checked once per process), or undefined when none is safe to use. */
export function cacheDir(): string | undefined {
  if (cached && (cached.dir === undefined || fs.existsSync(cached.dir))) return cached.dir;
  let dir: string | undefined;
  for (const c of candidates()) if ((dir = ensure(c))) break;
  cached = { dir };
  return dir;
}

/** Writes a file of the cache atomically (temporary name, then rename), readable by this user only. */
export function writeCacheFile(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Runs the CommonJS module `file` (its text `text`) through the V8 code cache `cacheFile` of the cache folder: the
 * module's exports, and `save`, which writes the cache when there was none or V8 rejected it (call it once the
 * module's start-up code has run, so the cache holds those functions too; a read-only folder keeps none).
 */
export function requireWithCodeCache<T>(
  file: string,
  text: string,
  cacheFile: string | undefined,
): { exports: T; save: () => void } {
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* first run */
  }
  const script = new vm.Script(Module.wrap(text), { filename: file, cachedData });
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void)(
    mod.exports,
    Module.createRequire(file),
    mod,
    file,
    path.dirname(file),
  );
  const stale = !cachedData || script.cachedDataRejected;
  return {
    exports: mod.exports,
    save: () => {
      if (!stale || !cacheFile) return;
      try {
        writeCacheFile(cacheFile, script.createCachedData());
      } catch {
        /* a read-only cache folder: none */
      }
    },
  };
}
