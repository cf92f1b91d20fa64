/**
 * `npm run bench:runner`: Folio's runner against `jupyter nbconvert --execute` on the same notebooks, in one
 * run: per-notebook overhead (a one-trivial-cell notebook, median of N) and the wall time of the workbook,
 * with the Folio kernel, tslab and ipykernel. Overhead = wall time − the kernel's own start/execute/stop time
 * (measured by starting the kernel directly), so what remains is the front end's cost.
 * Not a test: numbers depend on the machine's load, which is printed alongside.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelClient } from "./client";
import { findKernelspec } from "./client";
import { expandPaths } from "./discover";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "ci", "dist", "cli.js");
const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const args = process.argv.slice(2);
const REPS = Number(args[args.indexOf("--reps") + 1]) > 0 && args.includes("--reps") ? Number(args[args.indexOf("--reps") + 1]) : 5;
const WORKBOOK = !args.includes("--no-workbook");
const BATCH = 5;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");

function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv): { secs: number; ok: boolean; tail: string } {
  const t0 = process.hrtime.bigint();
  const p = spawnSync(cmd, argv, { env, encoding: "utf8", maxBuffer: 64 << 20 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const tail = `${p.stdout ?? ""}${p.stderr ?? ""}`.trim().split("\n").slice(-1)[0] ?? "";
  return { secs, ok: p.status === 0, tail };
}

async function kernelOnly(name: string, env: Record<string, string>): Promise<number> {
  const spec = findKernelspec(name, { ...process.env, ...env });
  if (!spec) return NaN;
  const t0 = Date.now();
  const k = await KernelClient.launch({ spec, env, cwd: os.tmpdir() });
  await k.execute("1");
  await k.shutdown();
  return (Date.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-bench-"));
  const prefix = path.join(dir, "prefix");
  const jpath = path.join(prefix, "share", "jupyter");
  const kdir = path.join(jpath, "kernels");
  fs.mkdirSync(path.join(kdir, "tslab"), { recursive: true });
  // tslab's own installer needs jupyter_client in `python3`; its kernelspec is this one file
  fs.writeFileSync(path.join(kdir, "tslab", "kernel.json"), JSON.stringify({ argv: [path.join(ROOT, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript (tslab)", language: "typescript" }));
  const inst = spawnSync(process.execPath, [path.join(ROOT, "kernel", "dist", "cli.js"), "install", "--prefix", prefix], { encoding: "utf8" });
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: jpath, FOLIO_PLOTLY_HTML: "none" };
  const kenv = { JUPYTER_PATH: jpath, FOLIO_PLOTLY_HTML: "none" };

  const kernels: string[] = [];
  if (inst.status === 0 && findKernelspec("folio", env)) {
    try { await kernelOnly("folio", kenv); kernels.push("folio"); } catch (e) { console.log(`folio kernel does not start: ${(e as Error).message}`); }
  } else console.log(`folio kernelspec not installed: ${(inst.stderr || inst.stdout).trim().split("\n").pop()}`);
  kernels.push("tslab");
  if (findKernelspec("python3", env)) kernels.push("python3");

  console.log(`machine: ${os.cpus().length} cores, load average before: ${load()} (shared with other jobs)`);
  console.log(`\nper-notebook overhead: a notebook with one trivial cell, seconds`);
  console.log(`  single: one notebook per invocation, median of ${REPS}; batch: ${BATCH} copies in one invocation (-j 1), wall / ${BATCH}`);
  console.log(`  overhead = time − "kernel alone" (the kernel started, run and stopped by a bare client in this process)`);
  const rows: string[][] = [["kernel", "kernel alone", "folio single", "nbconvert single", "folio batch", "nbconvert batch", "overhead folio/nbconvert single", "batch"]];
  for (const k of kernels) {
    const nb = path.join(dir, `empty-${k}.ipynb`);
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: k, display_name: k } }, cells: [{ id: "a", cell_type: "code", metadata: {}, source: "1", outputs: [], execution_count: null }] });
    fs.writeFileSync(nb, text);
    const batchDir = path.join(dir, `batch-${k}`);
    fs.mkdirSync(batchDir);
    const batch = Array.from({ length: BATCH }, (_, i) => { const f = path.join(batchDir, `e${i}.ipynb`); fs.writeFileSync(f, text); return f; });
    const alone: number[] = [], folio: number[] = [], nbc: number[] = [];
    for (let r = 0; r < REPS; r++) {
      // interleaved, so a load spike hits all three alike
      alone.push(await kernelOnly(k, kenv));
      const a = timed(process.execPath, [CLI, "run", "--no-cache", "--no-out", "-j", "1", nb], env);
      if (!a.ok) console.log(`  folio run failed (${k}): ${a.tail}`);
      folio.push(a.secs);
      const b = timed(NBCONVERT, ["--to", "notebook", "--execute", "--output-dir", path.join(dir, "nbout"), nb], env);
      if (!b.ok) console.log(`  nbconvert failed (${k}): ${b.tail}`);
      nbc.push(b.secs);
    }
    const fb = timed(process.execPath, [CLI, "run", "--no-cache", "--no-out", "-j", "1", ...batch], env).secs / BATCH;
    const nbb = timed(NBCONVERT, ["--to", "notebook", "--execute", "--output-dir", path.join(dir, "nbout"), ...batch], env).secs / BATCH;
    const [ma, mf, mn] = [median(alone), median(folio), median(nbc)];
    const ov = (x: number, y: number) => `${f2(x - ma)} / ${f2(y - ma)}`;
    rows.push([k, f2(ma), f2(mf), f2(mn), f2(fb), f2(nbb), ov(mf, mn), ov(fb, nbb)]);
  }
  printTable(rows);

  const { files } = expandPaths([path.join(ROOT, "notebooks")]);
  if (WORKBOOK && files.length) {
    console.log(`\nworkbook: ${files.length} notebook(s) present, run one at a time, wall seconds`);
    const wrows: string[][] = [["notebook", "folio run + folio", "nbconvert + folio", "nbconvert + tslab"]];
    const tot = [0, 0, 0];
    for (const f of files) {
      const cells: string[] = [path.basename(f)];
      const runs: [string, string[]][] = [
        [process.execPath, [CLI, "run", "--no-cache", "--no-out", "-j", "1", f]],
        [NBCONVERT, ["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=-1", "--ExecutePreprocessor.kernel_name=folio", "--output-dir", path.join(dir, "wb"), f]],
        [NBCONVERT, ["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=-1", "--ExecutePreprocessor.kernel_name=tslab", "--output-dir", path.join(dir, "wb"), f]],
      ];
      runs.forEach(([cmd, argv], i) => {
        if (i < 2 && !kernels.includes("folio")) { cells.push("no kernel"); return; }
        const r = timed(cmd, argv, env);
        tot[i] += r.secs;
        cells.push(`${f2(r.secs)}${r.ok ? "" : " FAILED"}`);
      });
      wrows.push(cells);
    }
    wrows.push(["total", ...tot.map(f2)]);
    printTable(wrows);
  }
  console.log(`\nload average after: ${load()}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

function printTable(rows: string[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const [k, r] of rows.entries()) {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
    if (k === 0) console.log(w.map((x) => "-".repeat(x)).join("  "));
  }
}

main().then(() => process.exit(0), (e) => { console.error(`bench: ${(e as Error).message}`); process.exit(1); });
