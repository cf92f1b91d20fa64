/**
 * What a notebook's code depended on, so a client can tell when a stored result is stale: every module the
 * kernel loaded (CommonJS and require(esm), local `.ts` through tsx included) and every path the code read,
 * listed, or probed through `fs`. Each execute_reply carries what is new since the previous reply in its
 * metadata under `folio_dependencies` (`DependencyReport` of @folio/protocol/dependencies); a client unions them.
 * A path inside node_modules is reported as its package's folder (the package's version stands for its
 * files); the kernel's own files and tsx's compile cache are not reported. A file the code wrote before it
 * read it is its own output, not an input, and is left out.
 */
// the module object itself (not an interop copy with getters): its functions are replaced in place
import fs = require("node:fs");
import * as os from "node:os";
import * as path from "node:path";
import { DEPENDENCIES_KEY, packageFolder, type DependencyReport } from "@folio/protocol/dependencies";
import { loadedLocalFiles } from "./modules";

type Kind = Exclude<keyof DependencyReport, "loaded">;

const packageDir = (file: string) => packageFolder(file, path.sep);

const KERNEL_DIR = path.resolve(__dirname, "..", "..");
const IGNORED = [KERNEL_DIR + path.sep, path.join(os.tmpdir(), "tsx"), "/proc/", "/sys/", "/dev/"]; // tsx: its compile cache

const pending: Record<Kind, Set<string>> = {
  packages: new Set(),
  read: new Set(),
  listed: new Set(),
  probed: new Set(),
};
const written = new Set<string>();
const reported = new Set<string>();
const reportedPackages = new Set<string>();
let installed = false;

function note(kind: Kind, p: unknown): void {
  if (typeof p !== "string" && !(p instanceof URL) && !Buffer.isBuffer(p)) return; // a file descriptor: its open was seen
  let abs: string;
  try {
    abs = path.resolve(p instanceof URL ? decodeURIComponent(p.pathname) : String(p));
  } catch {
    return;
  }
  if (IGNORED.some((d) => abs.startsWith(d)) || written.has(abs)) return;
  const pkg = packageDir(abs);
  if (pkg) pending.packages.add(pkg);
  else pending[kind].add(abs);
}

const writes = (flags: unknown) =>
  typeof flags === "string"
    ? /[wa+]/.test(flags)
    : typeof flags === "number" && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;

function wrap(obj: object, name: string, seen: (args: unknown[]) => void): void {
  const target = obj as Record<string, unknown>;
  const orig = target[name];
  if (typeof orig !== "function") return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    try {
      seen(args);
    } catch {
      /* recording must never break the call */
    }
    return orig.apply(this, args);
  };
  Object.defineProperty(wrapped, "name", { value: name });
  target[name] = wrapped;
}

/** Starts recording (idempotent). Modules loaded before this call (the kernel's own) are not reported. */
export function trackDependencies(): void {
  if (installed) return;
  installed = true;
  for (const k of Object.keys(require.cache)) reported.add(k);
  const opened = (args: unknown[]) => {
    const w = writes(args[1]);
    if (w) {
      try {
        written.add(path.resolve(String(args[0])));
      } catch {
        /* fd */
      }
    } else note("read", args[0]);
  };
  const read = (args: unknown[]) => note("read", args[0]);
  const listed = (args: unknown[]) => note("listed", args[0]);
  const probed = (args: unknown[]) => note("probed", args[0]);
  const wrote = (args: unknown[]) => {
    try {
      if (typeof args[0] === "string") written.add(path.resolve(args[0]));
    } catch {
      /* ignore */
    }
  };
  for (const f of ["readFileSync", "readFile"]) wrap(fs, f, read);
  for (const f of ["openSync", "open"]) wrap(fs, f, opened);
  wrap(fs, "createReadStream", read);
  for (const f of ["readdirSync", "readdir", "opendirSync", "opendir"]) wrap(fs, f, listed);
  for (const f of ["statSync", "stat", "lstatSync", "lstat", "existsSync", "exists", "accessSync", "access"])
    wrap(fs, f, probed);
  for (const f of ["writeFileSync", "writeFile", "appendFileSync", "appendFile", "createWriteStream"])
    wrap(fs, f, wrote);
  wrap(fs.promises, "readFile", read);
  wrap(fs.promises, "open", opened);
  wrap(fs.promises, "readdir", listed);
  wrap(fs.promises, "opendir", listed);
  for (const f of ["stat", "lstat", "access"]) wrap(fs.promises, f, probed);
  for (const f of ["writeFile", "appendFile"]) wrap(fs.promises, f, wrote);
  // ES modules see builtins' named exports as they were at start-up unless told
  (require("node:module") as { syncBuiltinESMExports: () => void }).syncBuiltinESMExports();
}

/** execute_reply metadata: what the code depended on since the previous reply (nothing when not tracking). */
export function executeReplyMetadata(): Record<string, DependencyReport> {
  return installed ? { [DEPENDENCIES_KEY]: dependencyReport() } : {};
}

function dependencyReport(): DependencyReport {
  // local modules from the kernel's module graph (modules.ts, which also reloads them); packages from the require cache
  const loaded = loadedLocalFiles().filter((f) => !reported.has(f) && !IGNORED.some((d) => f.startsWith(d)));
  for (const f of loaded) reported.add(f);
  for (const k of Object.keys(require.cache)) {
    if (reported.has(k)) continue;
    reported.add(k);
    const pkg = path.isAbsolute(k) ? packageDir(k) : undefined;
    if (pkg) pending.packages.add(pkg);
  }
  for (const p of pending.packages) {
    if (reportedPackages.has(p)) pending.packages.delete(p);
    else reportedPackages.add(p);
  }
  const take = (k: Kind) => {
    const v = [...pending[k]].sort();
    pending[k].clear();
    return v;
  };
  return { loaded, packages: take("packages"), read: take("read"), listed: take("listed"), probed: take("probed") };
}
