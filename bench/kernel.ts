/**
 * `npm run bench:kernel`: Folio against tslab and Deno on this machine, fresh kernels of the three taking turns
 * in one run (so they share the machine's load), each row the median over those kernels. Rows:
 * - process start → first kernel_info reply (what a client waits for before it sends a cell);
 * - the first type-checked cell, sent right after that reply, and process start → its reply;
 * - a trivial cell's round trip (`i + 1` for i = 0…9, median of 10 after 3 warm-up cells);
 * - a 10-million-step loop at top level;
 * - the first import of three small typed npm packages (decimal.js, seedrandom, long) and a use of each;
 * - a cell with a type error (`const bad: number = "str"`: Folio and tslab reject it, Deno runs it).
 * Times are execute_request → execute_reply on the shell channel. Deno never type-checks; the targets (issue 16)
 * compare Folio's checked cells with Deno's unchecked ones, plus kernel_info within 1 s (jupyter_client sends
 * kernel_info again when no reply came in 1 s). A first round, not counted, fills every kernel's caches.
 * `BENCH_RUNS` sets the number of rounds (7); `BENCH_PEERS=deno` leaves tslab out (its starts take seconds).
 */
import * as os from "node:os";
import * as path from "node:path";
import { TestKernel } from "../kernel/test/client";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROOT = path.resolve(__dirname, "..");
const TSLAB = path.join(ROOT, "node_modules", ".bin", "tslab");
const FIRST = "const first: number = 41;\nfirst + 1";
const LOOP = "let acc = 0;\nfor (let i = 0; i < 10_000_000; i++) acc += i;\nacc";
const IMPORT = [
  'import Decimal from "decimal.js";',
  'import seedrandom from "seedrandom";',
  'import Long from "long";',
  '[new Decimal(1).plus(2).toString(), seedrandom("s")() < 1, Long.fromInt(3).toString()]',
].join("\n");
const TYPE_ERROR = 'const bad: number = "str";\nbad';

interface Sample {
  ready: number;
  first: number;
  startToFirst: number;
  trivial: number;
  loop: number;
  imports: number;
  typeError: number;
}

/** Deno's binary itself (the npm package's `deno` bin is a Node wrapper that would add a Node start to Deno's). */
function denoExe(): string {
  return (require(path.join(ROOT, "node_modules", "deno", "install_api.cjs")) as { runInstall(): string }).runInstall();
}

const kernels: Record<string, { argv: (file: string) => string[]; env?: Record<string, string> }> = {
  folio: { argv: (file) => [process.execPath, path.join(ROOT, "kernel", "dist", "cli.js"), "--connection-file", file] },
  tslab: { argv: (file) => [TSLAB, "kernel", "--config-path", file] },
  deno: { argv: (file) => [denoExe(), "jupyter", "--kernel", "--conn", file], env: { NO_COLOR: "1" } },
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One cell's round trip; `expect` is the reply status it must have (a type error is "error" where checked). */
async function exec(k: TestKernel, code: string, expect: "ok" | "any" = "ok"): Promise<number> {
  const t = performance.now();
  const r = await k.request(
    "shell",
    "execute_request",
    { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
    120000,
  );
  const dt = performance.now() - t;
  if (expect === "ok" && r.content.status !== "ok") throw new Error(`${code}: ${JSON.stringify(r.content)}`);
  return dt;
}

async function once(name: string): Promise<Sample> {
  const spec = kernels[name];
  const k = await TestKernel.start({
    argv: spec.argv,
    env: spec.env,
    cwd: path.join(ROOT, "kernel", "test", "fixtures"),
    waitReady: false,
  });
  try {
    await k.request("shell", "kernel_info_request", {}, 180000);
    const ready = performance.now() - k.spawnedAt;
    const first = await exec(k, FIRST);
    const startToFirst = performance.now() - k.spawnedAt;
    // Distinct cells (`0 + 1`, `1 + 1`, …): a kernel may not answer from a cache of the previous identical cell.
    for (let i = 0; i < 3; i++) await exec(k, `${100 + i} + 1`);
    const trivial: number[] = [];
    for (let i = 0; i < 10; i++) trivial.push(await exec(k, `${i} + 1`));
    const loop = await exec(k, LOOP);
    const imports = await exec(k, IMPORT);
    const typeError = await exec(k, TYPE_ERROR, "any");
    return { ready, first, startToFirst, trivial: median(trivial), loop, imports, typeError };
  } finally {
    k.proc.kill("SIGKILL");
    await k.stop().catch(() => undefined);
  }
}

interface Row {
  label: string;
  key: keyof Sample;
  target?: { text: string; met: (folio: number, deno: number) => boolean };
}

const ROWS: Row[] = [
  {
    label: "start → kernel_info reply",
    key: "ready",
    target: { text: "≤ Deno, ≤ 1 s", met: (f, d) => f <= d && f <= 1000 },
  },
  { label: "first type-checked cell", key: "first" },
  { label: "start → first cell's reply", key: "startToFirst" },
  { label: "trivial cell (i + 1)", key: "trivial", target: { text: "≤ 1.5× Deno", met: (f, d) => f <= 1.5 * d } },
  { label: "10M-step loop at top level", key: "loop" },
  { label: "first import of 3 packages", key: "imports", target: { text: "≤ Deno", met: (f, d) => f <= d } },
  { label: "cell with a type error", key: "typeError" },
];

async function main(): Promise<void> {
  // without its snapshot Folio's checker starts on a worker thread (and rebuilds the blob meanwhile): not the usual start
  const { usableSnapshot } = require(
    path.join(ROOT, "kernel", "dist", "executor", "language-snapshot.js"),
  ) as typeof import("../kernel/src/executor/language-snapshot");
  if (!usableSnapshot())
    process.stderr.write(
      "warning: no language snapshot for this kernel (npm run bench:kernel builds it): Folio's rows measure the worker-thread fallback\n",
    );
  // BENCH_PEERS=deno: Folio against Deno only (tslab's starts take seconds), for quick iterations
  const peers = (process.env.BENCH_PEERS ?? "tslab,deno").split(",").map((p) => p.trim());
  const names = Object.keys(kernels).filter((n) => n === "folio" || peers.includes(n));
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names)
    await once(name).catch((e) => process.stderr.write(`${name} warm-up failed: ${(e as Error).message}\n`));
  const loads = [os.loadavg()[0]];
  for (let r = 0; r < RUNS; r++) {
    for (const name of names) {
      try {
        samples[name].push(await once(name));
        process.stderr.write(".");
      } catch (e) {
        process.stderr.write(`\n${name} run ${r + 1} failed: ${(e as Error).message}\n`);
      }
    }
    loads.push(os.loadavg()[0]);
  }
  process.stderr.write("\n");
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 100 ? 1 : 0)} ms` : "–");
  const med = (name: string, key: keyof Sample) =>
    samples[name]?.length ? median(samples[name].map((s) => s[key])) : NaN;
  const counts = names.map((n) => `${samples[n].length} (${n})`).join(" / ");
  console.log(
    `medians of ${counts} fresh kernels; ${os.cpus().length} cores; load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, median ${median(loads).toFixed(1)}`,
  );
  console.log(
    `| ${"row".padEnd(28)} | ${"Folio".padStart(9)} | ${"tslab".padStart(9)} | ${"Deno".padStart(9)} | Folio/Deno | target          | met |`,
  );
  console.log(
    `|${"-".repeat(30)}|${"-".repeat(11)}|${"-".repeat(11)}|${"-".repeat(11)}|------------|-----------------|-----|`,
  );
  for (const { label, key, target } of ROWS) {
    const f = med("folio", key),
      t = med("tslab", key),
      d = med("deno", key);
    const met = target ? (target.met(f, d) ? "yes" : "no") : "";
    console.log(
      `| ${label.padEnd(28)} | ${ms(f).padStart(9)} | ${ms(t).padStart(9)} | ${ms(d).padStart(9)} | ${`${(f / d).toFixed(2)}×`.padStart(10)} | ${(target?.text ?? "").padEnd(15)} | ${met.padEnd(3)} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
