#!/usr/bin/env node
/** `folio`: the command line of Folio's headless runner. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findRoot, loadConfig } from "./config";
import { localFolioKernel } from "./kernels";
import { writeNotebook } from "./nbformat";
import { fromPercent } from "./percent";
import { runNotebooks, type RunOptions } from "./runner";

const USAGE = `usage:
  folio run  [paths…] [options]   execute notebooks, write out/ (executed notebooks + HTML report)
  folio test [paths…] [options]   execute and compare with the stored outputs
  folio kernel install [--user|--prefix DIR]
  folio from-percent SCRIPT.ts OUT.ipynb
options:
  --update            write the new outputs back into the source notebooks (atomically)
  --out DIR           output directory (default out); --no-out: none (test)
  -j N, --jobs N      notebooks in parallel (default: number of cores)
  --timeout S         seconds per notebook; --cell-timeout S: per cell
  --no-cache          re-run notebooks even if unchanged since they passed
  --shard I/N         run only the I-th of N shards
  --junit FILE        write JUnit XML
  --config FILE       configuration (default folio.config.json at the project root)
  --kernel NAME       kernelspec to use instead of the notebooks'
  --kernel-default NAME  kernelspec for notebooks that name none (after their language_info)
  --compare-images    compare image/png outputs too
  --title TEXT        report title
  --verbose           echo the kernels' own stderr`;

class UsageError extends Error {}

function parseArgs(mode: "run" | "test", argv: string[]): Omit<RunOptions, "root" | "config" | "cacheDir"> & { configFile?: string } {
  const o: ReturnType<typeof parseArgs> = { mode, paths: [], update: false, outDir: "out", jobs: os.cpus().length || 1, cache: true };
  const num = (flag: string, v: string | undefined): number => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x) || x <= 0) throw new UsageError(`${flag} needs a positive number`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case "--update": o.update = true; break;
      case "--out": { const v = val(); if (!v) throw new UsageError("--out needs a directory"); o.outDir = v; break; }
      case "--no-out": o.outDir = null; break;
      case "-j": case "--jobs": o.jobs = Math.floor(num(flag, val())); break;
      case "--timeout": o.timeout = num(flag, val()); break;
      case "--cell-timeout": o.cellTimeout = num(flag, val()); break;
      case "--no-cache": o.cache = false; break;
      case "--shard": {
        const m = /^(\d+)\/(\d+)$/.exec(val() ?? "");
        if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new UsageError("--shard needs I/N with 1 ≤ I ≤ N");
        o.shard = { index: +m[1], count: +m[2] };
        break;
      }
      case "--junit": { const v = val(); if (!v) throw new UsageError("--junit needs a file"); o.junit = v; break; }
      case "--config": { const v = val(); if (!v) throw new UsageError("--config needs a file"); o.configFile = v; break; }
      case "--kernel": { const v = val(); if (!v) throw new UsageError("--kernel needs a name"); o.kernelName = v; break; }
      case "--kernel-default": { const v = val(); if (!v) throw new UsageError("--kernel-default needs a name"); o.kernelDefault = v; break; }
      case "--compare-images": o.compareImages = true; break;
      case "--title": o.title = val(); break;
      case "--verbose": o.echoKernelStderr = true; break;
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  return o;
}

/** `folio kernel …`: forwarded to the kernel's own CLI, so the runner imports none of its internals. */
function kernelCommand(rest: string[]): number {
  const cli = localFolioKernel();
  if (!cli) { console.error("folio kernel: the @folio/kernel package is not installed or not built (npm run build)"); return 1; }
  const r = spawnSync(process.execPath, [cli, ...rest], { stdio: "inherit" });
  return r.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "from-percent": {
      const [src, out] = rest;
      if (!src || !out) throw new UsageError("from-percent needs SCRIPT.ts OUT.ipynb");
      const nb = fromPercent(fs.readFileSync(src, "utf8"), path.basename(out, ".ipynb"));
      writeNotebook(out, nb);
      console.log(`wrote ${out} (${nb.cells.length} cells)`);
      return 0;
    }
    case "run":
    case "test": {
      const o = parseArgs(cmd, rest);
      if (o.paths.length === 0) o.paths = ["notebooks"].filter((p) => fs.existsSync(p));
      if (o.update && o.mode === "test") throw new UsageError("--update belongs to folio run");
      const root = findRoot(process.cwd());
      const config = loadConfig(root, o.configFile);
      const { code } = await runNotebooks({ ...o, root, config, cacheDir: path.join(root, ".folio-cache") });
      return code;
    }
    case "kernel":
      return kernelCommand(rest);
    case "-h": case "--help": case "help":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(cmd ? `unknown command ${cmd}` : "no command");
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) console.error(`folio: ${e.message}\n${USAGE}`);
    else console.error(`folio: ${(e as Error).message?.split("\n")[0] ?? String(e)}`);
    process.exit(2);
  },
);
