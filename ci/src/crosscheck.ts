#!/usr/bin/env node
/**
 * `folio crosscheck [paths…]`: executes every notebook once with Debian's `jupyter nbconvert --execute` and the
 * Folio kernelspec (installed into a temporary prefix), to prove the workbook runs in real Jupyter and not only in
 * Folio's own runner. Two notebooks at a time; one line per notebook; the last line is `N passed, N failed`.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { localFolioKernel } from "./kernels";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";

/** Expands files and directories into a sorted list of .ipynb paths (checkpoints skipped). */
function notebooks(paths: string[]): string[] {
  return paths.flatMap((p) => (fs.statSync(p).isDirectory()
    ? fs.readdirSync(p).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(p, f))
    : [p]));
}

/** Runs one notebook through nbconvert; resolves to null on success or a one-line reason. */
function runOne(nb: string, env: NodeJS.ProcessEnv, outDir: string, timeoutS: number): Promise<string | null> {
  return new Promise((resolve) => {
    const args = ["--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${timeoutS}`, "--ExecutePreprocessor.kernel_name=folio",
      "--output-dir", outDir, "--output", path.basename(nb), path.resolve(nb)];
    const child = spawn(NBCONVERT, args, { env, cwd: path.dirname(path.resolve(nb)), stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    child.on("close", (code) => {
      if (code === 0) return resolve(null);
      // nbconvert ends with the Python exception; its last meaningful lines name the failing cell
      const lines = err.trim().split("\n").filter((l) => l.trim() && !/Debugger warning|frozen_modules|PYDEVD|Debugging will proceed/.test(l));
      resolve(`nbconvert exited ${code}: ${lines.slice(-3).join(" | ").slice(0, 400)}`);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const jobs = Number(process.env.FOLIO_JOBS ?? 2), timeoutS = Number(process.env.FOLIO_CELL_TIMEOUT ?? 900);
  const list = notebooks(argv.length ? argv : ["notebooks"]);
  if (process.env.FOLIO_SKIP_JUPYTER === "1") { console.log(`crosscheck skipped (FOLIO_SKIP_JUPYTER=1)\n0 passed, 0 failed, ${list.length} skipped`); return 0; }
  if (spawnSync(NBCONVERT, ["--version"]).status !== 0) {
    console.error(`${NBCONVERT} is missing: apt-get install jupyter-nbconvert python3-nbclient (or set FOLIO_SKIP_JUPYTER=1)`);
    return 2;
  }
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "folio-crosscheck-"));
  const kernelCli = localFolioKernel() ?? "@folio/kernel (not installed or not built)";
  const inst = spawnSync(process.execPath, [kernelCli, "install", "--prefix", prefix], { encoding: "utf8" });
  if (inst.status !== 0) { console.error(`could not install the folio kernelspec: ${inst.stderr}`); return 2; }
  const env = { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter"), FOLIO_PLOTLY_HTML: "none", PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const outDir = path.join(prefix, "out");
  let passed = 0, failed = 0, next = 0;
  const worker = async () => {
    while (next < list.length) {
      const nb = list[next++], t0 = Date.now();
      const reason = await runOne(nb, env, outDir, timeoutS);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (reason === null) { passed++; console.log(`✔ ${nb}  nbconvert --execute  ${secs} s`); }
      else { failed++; console.log(`✘ ${nb}  ${reason}`); }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  fs.rmSync(prefix, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
