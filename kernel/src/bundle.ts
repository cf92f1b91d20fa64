/**
 * The kernel's start path as one file: `npm run build` bundles `start.js` and the modules it loads (the kernel's
 * own and @folio/protocol's, about 50; npm packages such as zeromq and typescript stay outside) with esbuild into
 * `dist/assets/start.js`, which the CLI runs instead of resolving and reading each module (20 ms of a kernel's
 * ~110 ms of CPU before its first reply, measured). The bundle's first line lists a hash of every module it
 * holds: a module changed since (a `tsc -b` without the bundle step) makes the CLI ignore the bundle and load the
 * modules themselves, so it never runs stale code. Each bundled module keeps its own `__dirname` and
 * `__filename` (worker scripts and the kernel's folders are found beside it), and the bundle is not minified:
 * a kernel stack trace names the bundle's lines, and the comment above each module names its file.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, requireWithCodeCache } from "./executor/cache-dir";

/** The bundle, beside the kernel's compiled modules (in assets/, which the build's prune of dist/ keeps). */
export const BUNDLE = path.join(__dirname, "assets", "start.js");
const MANIFEST = "//folio-bundle ";

/**
 * A bundled module: where it was, relative to the bundle's folder or, for the protocol package (wherever it is
 * installed), `PROTOCOL:path` relative to the folder of that package's entry; and its hash.
 */
interface Input {
  file: string;
  sha1: string;
}

const sha1 = (text: Buffer | string) => createHash("sha1").update(text).digest("hex");

const PROTOCOL = "@folio/protocol/jupyter";
const protocolDir = () => path.dirname(fs.realpathSync(require.resolve(PROTOCOL)));

/** The bundle's exports when every module it holds is unchanged; undefined (load the modules) otherwise. */
export function loadBundle<T>(bundle = BUNDLE): T | undefined {
  if (process.env.FOLIO_BUNDLE === "0") return undefined;
  let text: string;
  try {
    text = fs.readFileSync(bundle, "utf8");
  } catch {
    return undefined;
  }
  try {
    const first = text.slice(0, text.indexOf("\n"));
    if (!first.startsWith(MANIFEST)) return undefined;
    const inputs = JSON.parse(first.slice(MANIFEST.length)) as Input[];
    const protocol = protocolDir();
    for (const { file, sha1: hash } of inputs) {
      const where = file.startsWith(`${PROTOCOL}:`)
        ? path.join(protocol, file.slice(PROTOCOL.length + 1))
        : path.join(path.dirname(bundle), file);
      if (sha1(fs.readFileSync(where)) !== hash) return undefined;
    }
  } catch {
    return undefined;
  }
  const r = requireWithCodeCache<T>(bundle, text, codeCachePath(text, bundle));
  // once the kernel has started, so that the cache also holds the functions its start compiled
  setTimeout(r.save, CACHE_AFTER_MS).unref();
  return r.exports;
}

/**
 * Where the V8 code cache of a bundle with this text lives (undefined without a usable cache folder): the per-user
 * cache folder, never the install folder, named by the bundle's hash, Node and architecture; V8 itself rejects a
 * cache of another V8 or other flags (then it is written anew). It halves the bundle's load (about 40 → 20 ms with
 * zeromq, measured).
 */
export function codeCachePath(text: string, bundle = BUNDLE): string | undefined {
  const dir = cacheDir();
  // the bundle's path is in the name: V8's cache keeps the file name of the script that made it, so a second
  // install of the same bundle would otherwise trace its frames to the first one's files (and the kernel's own
  // frames, recognised by their folder, would stay in a cell's traceback: seen in a clean-clone rehearsal)
  const key = sha1(`${path.resolve(bundle)}\n${text}`).slice(0, 16);
  return dir && path.join(dir, `kernel-start-${key}-${process.version}-${process.arch}.v8cache`);
}

/** When a kernel writes the bundle's code cache (its first reply comes well within this, even under load). */
const CACHE_AFTER_MS = 2000;

/**
 * Builds the bundle (esbuild is a build-time dependency only). `__dirname`/`__filename` in a bundled module are
 * rewritten to its own folder and file, computed from the bundle's at run time, so an installed package works
 * from wherever it is. language-snapshot.js stays a file of its own: it hashes its own text and runs as a script.
 */
export async function buildBundle(out = BUNDLE): Promise<{ file: string; modules: number; bytes: number }> {
  const esbuild = await import("esbuild");
  const outDir = path.dirname(out);
  const own = path.resolve(__dirname, "..");
  const protocol = protocolDir();
  const result = await esbuild.build({
    entryPoints: [path.join(__dirname, "start.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: out,
    write: false,
    metafile: true,
    logLevel: "error",
    plugins: [
      {
        name: "folio-kernel-bundle",
        setup(build) {
          build.onResolve({ filter: /language-snapshot(\.js)?$/ }, (args) => ({
            path: `./${path.relative(outDir, path.join(args.resolveDir, "language-snapshot.js")).split(path.sep).join("/")}`,
            external: true,
          }));
          // npm packages stay outside (zeromq is native, typescript 9 MB), except the protocol package
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@folio/protocol") || args.path.startsWith("node:") ? undefined : { external: true },
          );
          build.onLoad({ filter: /\.js$/ }, (args) => {
            const rel = path.relative(outDir, args.path).split(path.sep).join("/");
            const contents = fs
              .readFileSync(args.path, "utf8")
              .replace(
                /(?<![\w$.'"`])__dirname(?![\w$'"`])/g,
                `__folio_path(${JSON.stringify(path.posix.dirname(rel))})`,
              )
              .replace(/(?<![\w$.'"`])__filename(?![\w$'"`])/g, `__folio_path(${JSON.stringify(rel)})`);
            return { contents, loader: "js" };
          });
        },
      },
    ],
    banner: { js: 'const __folio_path = (rel) => require("node:path").join(__dirname, rel);' },
  });
  const inputs: Input[] = Object.keys(result.metafile.inputs)
    .map((f) => fs.realpathSync(path.resolve(f)))
    .map((f) => ({
      file: f.startsWith(protocol + path.sep)
        ? `${PROTOCOL}:${path.relative(protocol, f).split(path.sep).join("/")}`
        : path.relative(outDir, f).split(path.sep).join("/"),
      sha1: sha1(fs.readFileSync(f)),
    }));
  if (inputs.some((i) => !i.file.includes(":") && !path.resolve(outDir, i.file).startsWith(own)))
    throw new Error(`a bundled module outside the kernel and protocol packages: ${JSON.stringify(inputs)}`);
  const code = result.outputFiles[0].text;
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${MANIFEST}${JSON.stringify(inputs)}\n${code}`);
  fs.renameSync(tmp, out);
  return { file: out, modules: inputs.length, bytes: fs.statSync(out).size };
}

if (require.main === module && process.argv.includes("--build")) {
  buildBundle().then(
    (r) => console.log(`kernel start bundle: ${r.modules} modules, ${(r.bytes / 1024).toFixed(0)} kB → ${r.file}`),
    (e) => {
      console.error(`kernel start bundle not built (the kernel loads its modules one by one): ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
}
