/**
 * `npm run bench:runner`: the per-notebook overhead of Folio's runner beside `jupyter nbconvert --execute`, and
 * beside nbval (`pytest --nbval`), nbmake (`pytest --nbmake`) and papermill when this machine has them (Debian
 * packages none of the three, and PyPI is unreachable here, so they are looked for and reported missing).
 * One run: every tool runs the same small notebooks (NOTEBOOKS per kernel, three trivial cells each), one
 * notebook at a time, for the Folio kernel, tslab and ipykernel. Overhead per notebook = (the tool's wall time
 * − the kernel's own time for those notebooks) / NOTEBOOKS, where the kernel's own time is a bare client
 * starting the kernel, running the cells and stopping it, in this process. Median of REPS rounds, interleaved.
 * Not a test: numbers depend on the machine's load, which is printed alongside. `--workbook` adds the wall time
 * of every workbook notebook under the runner and under nbconvert.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelClient, findKernelspec } from "../ci/src/client";
import { expandPaths } from "../ci/src/discover";
import { localFolioKernel } from "../ci/src/kernels";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "ci", "dist", "cli.js");
const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  const v = Number(args[i + 1]);
  return i >= 0 && v > 0 ? v : dflt;
};
const REPS = opt("--reps", 3);
const NOTEBOOKS = opt("--notebooks", 4);
const CELLS: Record<string, string[]> = {
  folio: ["const x = 1;", "x + 1", "console.log(x)"],
  tslab: ["const x = 1;", "x + 1", "console.log(x)"],
  python3: ["x = 1", "x + 1", "print(x)"],
};

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function timed(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): { secs: number; ok: boolean; tail: string } {
  const t0 = process.hrtime.bigint();
  const p = spawnSync(cmd, argv, { env, cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const tail = `${p.stdout ?? ""}${p.stderr ?? ""}`.trim().split("\n").slice(-1)[0] ?? String(p.error ?? "");
  return { secs, ok: p.status === 0, tail };
}

/** The kernel's own time for the corpus: start, run every cell, stop, notebook after notebook. */
async function kernelAlone(name: string, env: Record<string, string>): Promise<number> {
  const spec = findKernelspec(name, { ...process.env, ...env });
  if (!spec) return NaN;
  const t0 = Date.now();
  for (let n = 0; n < NOTEBOOKS; n++) {
    const k = await KernelClient.launch({ spec, env, cwd: os.tmpdir() });
    for (const c of CELLS[name]) await k.execute(c);
    await k.shutdown();
  }
  return (Date.now() - t0) / 1000;
}

/** A Python tool, if this machine has it: `python3 -c "import MOD"` under Debian's Python or the one on PATH. */
function pythonWith(mod: string): string | undefined {
  return ["/usr/bin/python3", "python3"].find((py) => spawnSync(py, ["-c", `import ${mod}`]).status === 0);
}

interface Tool {
  name: string;
  available: string | true;
  run: (files: string[], kernel: string, out: string) => [string, string[]];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-bench-"));
  const prefix = path.join(dir, "prefix");
  const jpath = path.join(prefix, "share", "jupyter");
  const kdir = path.join(jpath, "kernels");
  fs.mkdirSync(path.join(kdir, "tslab"), { recursive: true });
  // tslab's own installer needs jupyter_client in `python3`; its kernelspec is this one file
  fs.writeFileSync(
    path.join(kdir, "tslab", "kernel.json"),
    JSON.stringify({
      argv: [path.join(ROOT, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript (tslab)",
      language: "typescript",
    }),
  );
  const kernelCli = localFolioKernel();
  const inst = kernelCli
    ? spawnSync(process.execPath, [kernelCli, "install", "--prefix", prefix], { encoding: "utf8" })
    : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: jpath,
    FOLIO_PLOTLY_HTML: "none",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  const kenv = { JUPYTER_PATH: jpath, FOLIO_PLOTLY_HTML: "none" };

  const kernels: string[] = [];
  if (inst?.status === 0 && findKernelspec("folio", env)) kernels.push("folio");
  else
    console.log(
      `folio kernelspec not installed: ${(inst?.stderr || inst?.stdout || "no @folio/kernel build").trim().split("\n").pop()}`,
    );
  kernels.push("tslab");
  if (findKernelspec("python3", env)) kernels.push("python3");

  const nbval = pythonWith("nbval"),
    nbmake = pythonWith("nbmake");
  const papermill = spawnSync("papermill", ["--version"]).status === 0;
  const missing = "not installed (Debian packages none; PyPI is unreachable here)";
  const tools: Tool[] = [
    {
      name: "folio run",
      available: true,
      run: (files) => [process.execPath, [CLI, "run", "--no-cache", "--no-out", "-j", "1", ...files]],
    },
    { name: "folio test", available: true, run: (files) => [process.execPath, [CLI, "test", "-j", "1", ...files]] },
    {
      name: "nbconvert --execute",
      available: fs.existsSync(NBCONVERT) || "not installed (apt-get install jupyter-nbconvert)",
      run: (files, _k, out) => [NBCONVERT, ["--to", "notebook", "--execute", "--output-dir", out, ...files]],
    },
    {
      name: "pytest --nbval",
      available: nbval ? true : missing,
      run: (files) => [nbval!, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", ...files]],
    },
    {
      name: "pytest --nbmake",
      available: nbmake ? true : missing,
      run: (files) => [nbmake!, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbmake", ...files]],
    },
    // papermill takes one notebook per invocation
    {
      name: "papermill",
      available: papermill || missing,
      run: (files, _k, out) => [
        "sh",
        ["-c", files.map((f) => `papermill -q '${f}' '${path.join(out, path.basename(f))}'`).join(" && ")],
      ],
    },
  ];
  const usable = tools.filter((t) => t.available === true);

  console.log(`machine: ${os.cpus().length} cores, load average before: ${load()} (shared with other jobs)`);
  console.log(
    `per-notebook overhead, seconds: ${NOTEBOOKS} notebooks of ${CELLS.folio.length} trivial cells per kernel, one at a time, median of ${REPS}`,
  );
  console.log(`  overhead = (tool's wall time − the kernel's own time for the same notebooks) / ${NOTEBOOKS}`);
  for (const t of tools) if (t.available !== true) console.log(`  ${t.name}: ${t.available}`);
  const rows: string[][] = [
    [
      "kernel",
      "kernel alone / nb",
      ...usable.map((t) => t.name),
      ...usable.slice(2).map((t) => `${t.name} / folio run`),
    ],
  ];
  for (const k of kernels) {
    const corpus = path.join(dir, `corpus-${k}`);
    fs.mkdirSync(corpus);
    const files = Array.from({ length: NOTEBOOKS }, (_, n) => {
      const f = path.join(corpus, `nb${n}.ipynb`);
      // stored outputs are left empty: nbval and folio test run the cells and check them for errors ("not recorded")
      fs.writeFileSync(
        f,
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: { kernelspec: { name: k, display_name: k } },
          cells: CELLS[k].map((source, i) => ({
            id: `c${i}`,
            cell_type: "code",
            metadata: {},
            source,
            outputs: [],
            execution_count: null,
          })),
        }),
      );
      return f;
    });
    const alone: number[] = [];
    const per = new Map(usable.map((t) => [t.name, [] as number[]]));
    for (let r = 0; r < REPS; r++) {
      // interleaved, so a load spike hits every tool alike
      alone.push(await kernelAlone(k, kenv));
      for (const t of usable) {
        const out = path.join(dir, `out-${k}-${r}-${t.name.replace(/\W+/g, "")}`);
        fs.mkdirSync(out);
        const [cmd, argv] = t.run(files, k, out);
        const res = timed(cmd, argv, env, corpus);
        if (!res.ok) console.log(`  ${t.name} failed (${k}): ${res.tail}`);
        per.get(t.name)!.push(res.ok ? res.secs : NaN);
      }
    }
    const base = median(alone);
    const over = usable.map((t) => (median(per.get(t.name)!) - base) / NOTEBOOKS);
    rows.push([
      k,
      f2(base / NOTEBOOKS),
      ...over.map(f2),
      ...over.slice(2).map((o) => (Number.isFinite(o) && over[0] > 0 ? `${(o / over[0]).toFixed(1)}×` : "n/a")),
    ]);
  }
  printTable(rows);

  const { files } = expandPaths([path.join(ROOT, "notebooks")]);
  if (args.includes("--workbook") && files.length && kernels.includes("folio")) {
    console.log(`\nworkbook: ${files.length} notebook(s), one at a time, wall seconds`);
    const wrows: string[][] = [["notebook", "folio run", "nbconvert --execute"]];
    const tot = [0, 0];
    for (const f of files) {
      const cells: string[] = [path.basename(f)];
      const runs: [string, string[]][] = [
        [process.execPath, [CLI, "run", "--no-cache", "--no-out", "-j", "1", f]],
        [
          NBCONVERT,
          [
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=-1",
            "--ExecutePreprocessor.kernel_name=folio",
            "--output-dir",
            path.join(dir, "wb"),
            f,
          ],
        ],
      ];
      runs.forEach(([cmd, argv], i) => {
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

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
  },
);
