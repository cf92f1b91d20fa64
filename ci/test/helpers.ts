/** Fixtures for the runner's tests: throw-away notebooks in a temp dir and an in-memory output sink. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CONFIG, type Config } from "../src/config";
import { runNotebooks, type RunOptions } from "../src/runner";
import { formatFailure } from "../src/failure";
import type { NotebookResult } from "../src/types";

/** A result's failures as the one-line text the runner prints. */
export function problems(r: NotebookResult): string[] {
  return r.failures.map(formatFailure);
}

export type CellSpec = string | { source: string; tags?: string[]; id?: string; markdown?: boolean };

/** An nbformat 4.5 notebook with code cells c0, c1, … for `kernel`. */
export function notebook(cells: CellSpec[], kernel = "python3", metadata: Record<string, unknown> = {}): any {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: kernel, display_name: kernel, language: kernel === "python3" ? "python" : "typescript" },
      ...metadata,
    },
    cells: cells.map((c, i) => {
      const s = typeof c === "string" ? { source: c } : c;
      const base = { id: s.id ?? `c${i}`, metadata: s.tags ? { tags: s.tags } : {}, source: s.source };
      return s.markdown
        ? { ...base, cell_type: "markdown" }
        : { ...base, cell_type: "code", outputs: [], execution_count: null };
    }),
  };
}

const made: string[] = [];
/** A fresh temporary folder, removed when the test run ends. */
export function tmpdir(prefix = "folio-ci-test-"): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
// a root hook (this module is loaded by mocha): the folders go once every suite is done
after(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export function writeJson(file: string, v: unknown): string {
  fs.writeFileSync(file, JSON.stringify(v, null, 1));
  return file;
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Runs the runner in-process, capturing what it prints. */
export async function run(
  opts: Partial<RunOptions> & { paths: string[] },
  config: Partial<Config> = {},
): Promise<{ results: NotebookResult[]; code: number; text: string; lastLine: string }> {
  let text = "";
  const r = await runNotebooks({
    mode: "run",
    update: false,
    outDir: null,
    jobs: 2,
    cache: "off",
    cacheDir: path.join(tmpdir(), "cache"),
    root: os.tmpdir(),
    config: { ...DEFAULT_CONFIG, ...config },
    out: {
      write: (s: string) => {
        text += s;
      },
      isTTY: false,
    },
    ...opts,
  });
  const lines = text.trimEnd().split("\n");
  return { ...r, text, lastLine: lines[lines.length - 1] };
}

/** Pids of the live processes whose environment says JPY_PARENT_PID=`parent` (kernels and their children). */
export function kernelsOf(parent: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const zombie = /^[^)]*\) Z/.test(fs.readFileSync(`/proc/${d}/stat`, "latin1"));
      if (!zombie && fs.readFileSync(`/proc/${d}/environ`, "latin1").split("\0").includes(`JPY_PARENT_PID=${parent}`))
        out.push(Number(d));
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

/** Polls `what` every 100 ms until it holds (true) or `ms` pass (false). */
export async function until(what: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
