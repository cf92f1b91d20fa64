#!/usr/bin/env node
/** `folio`: the command line of Folio's headless runner (options named as pytest, nbval and papermill name them). */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultCacheDir } from "./cache/index"; // not "./cache": a stale dist/cache.js of older builds would win
import { parseSanitizeFile } from "./check";
import { handleInterrupt } from "./client";
import { findRoot, loadConfig, parseTolerance, withoutSanitizers } from "./config";
import { fileProblem } from "./files";
import { localFolioKernel } from "./kernels";
import { writeNotebook } from "./nbformat";
import { ParameterError, type ParamSource } from "./parameters";
import { fromPercent } from "./percent";
import { runNotebooks, type RunOptions } from "./runner";
import { SelectError } from "./select";

const USAGE = `usage:
  folio run  [paths…] [options]   execute notebooks, write out/ (executed notebooks + HTML report)
  folio test [paths…] [options]   execute and compare with the stored outputs (writes nothing unless asked)
  folio kernel install [--user|--prefix DIR|--sys-prefix]   (and uninstall) the TypeScript kernelspec
  folio from-percent SCRIPT.ts OUT.ipynb
paths are notebooks or folders (searched recursively; dot folders and node_modules skipped); default: notebooks/
selection:
  -k EXPR             only notebooks and cells whose names match (pytest's -k: words, and, or, not, parentheses)
  --lf, --last-failed only the notebooks that failed last time
  --shard I/N         only the I-th of N shards
  -x, --exitfirst     stop after the first failed notebook; --maxfail N: after N
execution:
  -j N, --jobs N      notebooks in parallel (default: number of cores)
  --timeout S         seconds per notebook; --cell-timeout S: per cell
  --kernel NAME       kernelspec for every notebook; --kernel-default NAME: for notebooks that name none
  -p NAME VALUE       a parameter (typed: True/False/None, int, float, else text); -r NAME VALUE: raw text
  -y YAML, -f FILE    parameters as a YAML string or file (papermill's options)
comparison (folio test):
  --lax               compare only cells marked NBVAL_CHECK_OUTPUT / nbval-check-output (nbval's --nbval-lax)
  --rtol X, --atol X  numeric tolerance (default rtol 1e-12, atol 0; printed integers must match)
  --no-sanitize NAME  turn a built-in sanitizer off (iso-timestamp, temp-path, hex-address, duration, or all)
  --sanitize-with F   nbval sanitize file (INI sections with regex: and replace:)
  --compare-images    compare images (decoded pixels); --image-tolerance N (0-255), --image-similarity SSIM
output:
  --update            write the new outputs back into the source notebooks (run; atomic, mode kept)
  --out DIR           executed notebooks + HTML report (run: out/ by default; --no-out: none)
  --junit FILE        JUnit XML; --junit-cells: one testcase per cell
  --durations N       list the N slowest cells (0: all)
  --title TEXT        report title; --verbose: echo the kernels' own stderr
cache (folio run: on; folio test: off unless --cache):
  --cache[=folder]    reuse passing results while nothing they read changed (folder: key other kernels on the notebook's folder)
  --no-cache, --cache-dir DIR (default $FOLIO_CACHE_DIR or ~/.cache/folio)
  --config FILE       configuration (default folio.config.json at the project root)
other: -h, --help (this text), --version
exit codes (pytest's): 0 all passed, 1 a notebook failed or could not run, 2 interrupted (Ctrl-C: kernels stopped,
  summary so far), 3 internal error, 4 usage error (unknown option, missing path, bad parameters), 5 no notebooks selected`;

/** What a usage error prints after its one line. */
const SEE_HELP = "(folio --help lists the commands and options)";
const USAGE_ERROR = 4,
  INTERNAL_ERROR = 3;

class UsageError extends Error {}
/** A usage error in the options themselves: its line points at --help. */
class OptionError extends UsageError {}
/** `-h`/`--help` anywhere among a command's options. */
class HelpRequested extends Error {}

type Parsed = Omit<RunOptions, "root" | "config" | "cacheDir" | "outDir" | "cache"> & {
  outDir?: string | null;
  cache?: RunOptions["cache"];
  cacheDir?: string;
  configFile?: string;
  noSanitize: string[];
  sanitizeWith?: string;
  rtol?: number;
  atol?: number;
  imageTolerance?: number;
  imageSimilarity?: number;
};

function parseArgs(mode: "run" | "test", argv: string[]): Parsed {
  const o: Parsed = { mode, paths: [], update: false, jobs: os.cpus().length || 1, noSanitize: [] };
  // a positive number by default; `min` 0 allows zero
  const num = (flag: string, v: string, min = Number.MIN_VALUE): number => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x) || x < min)
      throw new OptionError(`${flag} needs a ${min > 0 ? "positive number" : "number ≥ 0"}`);
    return x;
  };
  const params: ParamSource[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const val = (what: string) => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new OptionError(`${flag} needs ${what}`);
      return v;
    };
    switch (flag) {
      case "--update":
        o.update = true;
        break;
      case "--out":
        o.outDir = val("a directory");
        break;
      case "--no-out":
        o.outDir = null;
        break;
      case "-j":
      case "--jobs":
        o.jobs = Math.floor(num(flag, val("a number"), 1));
        break;
      case "--timeout":
        o.timeout = num(flag, val("a number"));
        break;
      case "--cell-timeout":
        o.cellTimeout = num(flag, val("a number"));
        break;
      case "--cache":
        if (inline !== undefined && inline !== "folder" && inline !== "auto")
          throw new OptionError("--cache takes no value or =folder");
        o.cache = inline === "folder" ? "folder" : "auto";
        break;
      case "--no-cache":
        o.cache = "off";
        break;
      case "--cache-dir":
        o.cacheDir = val("a directory");
        break;
      case "--lf":
      case "--last-failed":
        o.lastFailed = true;
        break;
      case "-k":
        o.select = val("an expression");
        break;
      case "-x":
      case "--exitfirst":
        o.maxfail = 1;
        break;
      case "--maxfail":
        o.maxfail = Math.floor(num(flag, val("a number"), 1));
        break;
      case "--durations":
        o.durations = Math.floor(num(flag, val("a number"), 0));
        break;
      case "--shard": {
        const m = /^(\d+)\/(\d+)$/.exec(val("I/N"));
        if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new OptionError("--shard needs I/N with 1 ≤ I ≤ N");
        o.shard = { index: +m[1], count: +m[2] };
        break;
      }
      case "--junit":
        o.junit = val("a file");
        break;
      case "--junit-cells":
        o.junitCells = true;
        break;
      case "--config":
        o.configFile = val("a file");
        break;
      case "--kernel":
        o.kernelName = val("a name");
        break;
      case "--kernel-default":
        o.kernelDefault = val("a name");
        break;
      case "--compare-images":
        o.compareImages = true;
        break;
      case "--image-tolerance":
        o.imageTolerance = num(flag, val("a number"), 0);
        if (o.imageTolerance > 255) throw new OptionError("--image-tolerance is 0 to 255");
        break;
      case "--image-similarity":
        o.imageSimilarity = num(flag, val("a number"));
        if (o.imageSimilarity > 1) throw new OptionError("--image-similarity is an SSIM in (0, 1]");
        break;
      case "--lax":
        o.lax = true;
        break;
      case "--rtol":
        o.rtol = num(flag, val("a number"), 0);
        break;
      case "--atol":
        o.atol = num(flag, val("a number"), 0);
        break;
      case "--no-sanitize":
        o.noSanitize.push(...val("a name (or all)").split(","));
        break;
      case "--sanitize-with":
        o.sanitizeWith = val("a file");
        break;
      case "-p":
      case "--parameters":
      case "-r":
      case "--parameters_raw": {
        const name = argv[++i],
          value = argv[++i];
        if (name === undefined || value === undefined) throw new OptionError(`${flag} needs NAME VALUE`);
        params.push({ name, value, raw: flag === "-r" || flag === "--parameters_raw" });
        break;
      }
      case "-y":
      case "--parameters_yaml":
        params.push({ yaml: val("a YAML string") });
        break;
      case "-f":
      case "--parameters_file":
        params.push({ file: val("a YAML file") });
        break;
      case "--title":
        o.title = val("a title");
        break;
      case "--verbose":
        o.echoKernelStderr = true;
        break;
      case "-h":
      case "--help":
        throw new HelpRequested();
      default:
        if (a.startsWith("-") && a !== "-") throw new OptionError(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  if (params.length) o.parameters = params;
  return o;
}

/** `folio kernel …`: forwarded to the kernel's own CLI, so the runner imports none of its internals. */
function kernelCommand(rest: string[]): number {
  const cli = localFolioKernel();
  if (!cli) {
    console.error("folio kernel: the @folio/kernel package is not installed or not built (npm run build)");
    return 1;
  }
  const r = spawnSync(process.execPath, [cli, ...rest], { stdio: "inherit" });
  return r.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "from-percent": {
      const [src, out] = rest;
      if (!src || !out) throw new OptionError("from-percent needs SCRIPT.ts OUT.ipynb");
      if (!fs.existsSync(src)) throw new UsageError(`file not found: ${src}`);
      const nb = fromPercent(fs.readFileSync(src, "utf8"), path.basename(out, ".ipynb"));
      writeNotebook(out, nb);
      console.log(`wrote ${out} (${nb.cells.length} cells)`);
      return 0;
    }
    case "run":
    case "test": {
      const o = parseArgs(cmd, rest);
      if (o.paths.length === 0) o.paths = ["notebooks"].filter((p) => fs.existsSync(p));
      // pytest's "file or directory not found": a typo in a path runs nothing
      const missing = o.paths.filter((p) => !fs.existsSync(p));
      if (missing.length) throw new UsageError(`file or directory not found: ${missing.join(", ")}`);
      if (o.update && o.mode === "test") throw new UsageError("--update belongs to folio run");
      if (o.update && o.parameters)
        throw new UsageError("--update with parameters would write the injected parameters into the source notebooks");
      const root = findRoot(process.cwd());
      // a bad configuration is a usage error too (pytest's exit 4 for a bad ini file)
      const usage = <T>(f: () => T): T => {
        try {
          return f();
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      };
      const config = usage(() => loadConfig(root, o.configFile));
      config.builtinSanitizers = usage(() => withoutSanitizers(config.builtinSanitizers, o.noSanitize));
      if (o.rtol !== undefined || o.atol !== undefined)
        config.tolerance = usage(() => parseTolerance({ rel: o.rtol, abs: o.atol }, config.tolerance, "--rtol/--atol"));
      if (o.imageTolerance !== undefined) config.imageTolerance = o.imageTolerance;
      if (o.imageSimilarity !== undefined) config.imageSimilarity = o.imageSimilarity;
      let extraSanitizers: ReturnType<typeof parseSanitizeFile> | undefined;
      if (o.sanitizeWith) {
        let text: string;
        try {
          text = fs.readFileSync(o.sanitizeWith, "utf8");
        } catch (e) {
          throw new UsageError(`--sanitize-with ${o.sanitizeWith}: cannot read: ${fileProblem(e)}`);
        }
        extraSanitizers = usage(() => parseSanitizeFile(text, o.sanitizeWith!));
      }
      // Ctrl-C: no new notebook starts, running kernels are stopped, and the summary so far is printed (exit 2)
      const interrupt = new AbortController();
      handleInterrupt(() => {
        process.stderr.write("\nfolio: interrupted: stopping the kernels (Ctrl-C again quits at once)\n");
        interrupt.abort();
      });
      const { code } = await runNotebooks({
        ...o,
        root,
        config,
        extraSanitizers,
        signal: interrupt.signal,
        // folio test writes nothing unless asked: no out/, no cache
        outDir: o.outDir !== undefined ? o.outDir : o.mode === "run" ? "out" : null,
        cache: o.cache ?? (o.mode === "run" ? "auto" : "off"),
        cacheDir: o.cacheDir ?? defaultCacheDir(root),
      });
      return code;
    }
    case "kernel":
      return kernelCommand(rest);
    case "-h":
    case "--help":
    case "help":
      console.log(USAGE);
      return 0;
    case "-V":
    case "--version":
      console.log(`folio ${version()}`);
      return 0;
    default:
      throw new OptionError(cmd ? `unknown command ${cmd}` : "no command");
  }
}

/** The runner's version, from its package.json (beside dist/ and src/ alike). */
function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof HelpRequested) {
      console.log(USAGE);
      process.exit(0);
    }
    const usage = e instanceof UsageError || e instanceof SelectError || e instanceof ParameterError;
    const line = (e as Error).message?.split("\n")[0] ?? String(e);
    console.error(
      usage ? `folio: ${line}${e instanceof OptionError ? ` ${SEE_HELP}` : ""}` : `folio: internal error: ${line}`,
    );
    process.exit(usage ? USAGE_ERROR : INTERNAL_ERROR);
  },
);
