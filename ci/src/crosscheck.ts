#!/usr/bin/env node
/**
 * `node ci/dist/crosscheck.js [--subset] [paths…]`: executes notebooks with Debian's `jupyter nbconvert --execute`
 * and the Folio kernelspec (installed into a temporary prefix), then compares what nbconvert stored with the
 * notebook's own stored outputs using the runner's checker: real Jupyter (nbclient) must run the workbook, and
 * must collect the same outputs Folio's runner recorded. `--subset` (what `npm test` runs) takes the three
 * notebooks of notebooks/ that ran fastest when last stored, plus the fixtures in ci/test/fixtures/crosscheck/
 * (streams, carriage returns, display updates across cells, clear_output, rich MIME types, plotly, a local
 * module, top-level await, an expected error); `npm run crosscheck` takes every notebook. Two at a time; one line
 * per notebook; the last line is `N passed, N failed`.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareNotebook } from "./check";
import { findRoot, loadConfig } from "./config";
import { expandPaths } from "./discover";
import { cellSeconds } from "./durations";
import { formatFailure } from "./failure";
import { localFolioKernel } from "./kernels";
import { readNotebook } from "./nbformat";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "ci", "test", "fixtures", "crosscheck");
/** How many workbook notebooks the subset takes. */
const CHEAPEST = 3;

/** Seconds a notebook's cells took when its outputs were stored. */
function storedSeconds(file: string): number {
  try {
    return readNotebook(file).cells.reduce((s, c) => s + (cellSeconds(c) ?? 0), 0);
  } catch {
    return Infinity;
  }
}

/** The subset: the `CHEAPEST` notebooks of `dir` that ran fastest when stored, and the fixtures. */
export function subset(dir: string): string[] {
  const timed = expandPaths([dir])
    .files.map((f) => ({ f, s: storedSeconds(f) }))
    .sort((a, b) => a.s - b.s || (a.f < b.f ? -1 : 1));
  return [
    ...timed
      .slice(0, CHEAPEST)
      .map((t) => t.f)
      .sort(),
    ...expandPaths([FIXTURES]).files,
  ];
}

/** Runs one notebook through nbconvert; resolves to the executed file, or a one-line reason it failed. */
function nbconvert(
  nb: string,
  env: NodeJS.ProcessEnv,
  outDir: string,
  timeoutS: number,
): Promise<{ ok: true; file: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const name = `${path.basename(nb, ".ipynb")}-${Math.random().toString(36).slice(2, 8)}.ipynb`;
    const args = [
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${timeoutS}`,
      "--ExecutePreprocessor.kernel_name=folio",
      "--output-dir",
      outDir,
      "--output",
      name,
      path.resolve(nb),
    ];
    const child = spawn(NBCONVERT, args, {
      env,
      cwd: path.dirname(path.resolve(nb)),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => {
      if (code === 0) return resolve({ ok: true, file: path.join(outDir, name) });
      // nbconvert ends with the Python exception; its last meaningful lines name the failing cell
      const lines = err
        .trim()
        .split("\n")
        .filter((l) => l.trim() && !/Debugger warning|frozen_modules|PYDEVD|Debugging will proceed/.test(l));
      resolve({ ok: false, reason: `nbconvert exited ${code}: ${lines.slice(-3).join(" | ").slice(0, 400)}` });
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const jobs = Number(process.env.FOLIO_JOBS ?? 2),
    timeoutS = Number(process.env.FOLIO_CELL_TIMEOUT ?? 900);
  const useSubset = argv.includes("--subset");
  const paths = argv.filter((a) => a !== "--subset");
  const list = useSubset
    ? subset(paths[0] ?? path.join(ROOT, "notebooks"))
    : expandPaths(paths.length ? paths : ["notebooks"]).files;
  if (process.env.FOLIO_SKIP_JUPYTER === "1") {
    console.log(`crosscheck skipped (FOLIO_SKIP_JUPYTER=1)\n0 passed, 0 failed, ${list.length} skipped`);
    return 0;
  }
  if (spawnSync(NBCONVERT, ["--version"]).status !== 0) {
    console.error(
      `${NBCONVERT} is missing: apt-get install jupyter-nbconvert python3-nbclient (or set FOLIO_SKIP_JUPYTER=1)`,
    );
    return 2;
  }
  if (useSubset)
    console.log(
      `crosscheck subset (npm run crosscheck runs every notebook): ${list.map((f) => path.relative(process.cwd(), f)).join(", ")}`,
    );
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "folio-crosscheck-"));
  const kernelCli = localFolioKernel() ?? "@folio/kernel (not installed or not built)";
  const inst = spawnSync(process.execPath, [kernelCli, "install", "--prefix", prefix], { encoding: "utf8" });
  if (inst.status !== 0) {
    console.error(`could not install the folio kernelspec: ${inst.stderr}`);
    return 2;
  }
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    FOLIO_PLOTLY_HTML: "none",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  const outDir = path.join(prefix, "out");
  const config = loadConfig(findRoot(process.cwd()));
  let passed = 0,
    failed = 0,
    next = 0;
  const worker = async () => {
    while (next < list.length) {
      const nb = list[next++],
        t0 = Date.now();
      const r = await nbconvert(nb, env, outDir, timeoutS);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      let reason = r.ok ? undefined : r.reason;
      if (r.ok) {
        // the outputs real Jupyter collected must be the ones the notebook stores (what Folio's runner wrote)
        const check = compareNotebook(readNotebook(nb), readNotebook(r.file), { config });
        if (check.failures.length)
          reason = `nbconvert's outputs differ from the stored ones: ${formatFailure(check.failures[0])}`;
      }
      const rel = path.relative(process.cwd(), nb);
      if (reason === undefined) {
        passed++;
        console.log(`✔ ${rel}  nbconvert --execute  ${secs} s, outputs as stored`);
      } else {
        failed++;
        console.log(`✘ ${rel}  ${reason}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  fs.rmSync(prefix, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
