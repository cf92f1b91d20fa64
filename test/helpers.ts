/**
 * What the fresh-clone and pack-and-install tests share: commands run with their output kept for the failure
 * message, a throw-away Jupyter home (HOME, data, config and runtime dirs) that keeps npm's real cache, and a
 * sweep for processes left running under a directory.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..");
export const PYTHON = "/usr/bin/python3";

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * A new scratch directory, in memory (/dev/shm) when that is a tmpfs that allows executables (zeromq's native
 * addon loads from node_modules) with 3 GiB free, else in os.tmpdir(): a fresh clone's node_modules is 35,000
 * files, and writing then deleting them on disk took minutes on a loaded machine (100 s to delete at load 17).
 */
export function scratchDir(prefix: string): string {
  let base = os.tmpdir();
  try {
    const shm = fs
      .readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((l) => l.split(" "))
      .find((f) => f[1] === "/dev/shm");
    const st = fs.statfsSync("/dev/shm");
    if (shm && shm[2] === "tmpfs" && !shm[3].split(",").includes("noexec") && st.bavail * st.bsize >= 3 * 2 ** 30)
      base = "/dev/shm";
  } catch {
    /* no /proc or no /dev/shm: disk it is */
  }
  return fs.realpathSync(fs.mkdtempSync(path.join(base, prefix)));
}

/** Runs `cmd args` in `cwd`; throws with the command, exit status and its output's tail unless `allowFail`. */
export function sh(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; allowFail?: boolean; timeoutMs?: number; input?: string },
): Ran {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 << 20,
    input: opts.input,
  });
  const ran = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms: Date.now() - t0 };
  if (!opts.allowFail && r.status !== 0) {
    const tail = (s: string) => s.split("\n").slice(-30).join("\n");
    throw new Error(
      `\`${cmd} ${args.join(" ")}\` in ${opts.cwd} exited ${r.status ?? r.signal ?? r.error?.message}\n${tail(ran.stdout)}\n${tail(ran.stderr)}`,
    );
  }
  return ran;
}

/**
 * An environment whose Jupyter locations all lie under `home` (nothing of the real user's is read or written),
 * with npm's own cache and user config kept (`--prefer-offline` then installs from the cache), npm's notices off.
 */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const npmConfig = (key: string) => execFileSync("npm", ["config", "get", key], { encoding: "utf8" }).trim();
  const [cache, userconfig] = [npmConfig("cache"), npmConfig("userconfig")];
  fs.mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // none of the outer `npm test`'s own settings (its prefix, package, lifecycle) may leak into the npm run here
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === "INIT_CWD") delete env[k];
  // Jupyter's and Folio's own per-user folders follow HOME (the kernel's snapshot cache among them)
  for (const k of [
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "FOLIO_CACHE_DIR",
  ])
    delete env[k];
  return {
    // HOME moves, so npm is told where the user's cache and .npmrc (registry, CA) really are
    ...env,
    HOME: home,
    npm_config_cache: cache,
    npm_config_userconfig: userconfig,
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    JUPYTER_DATA_DIR: path.join(home, "data"),
    JUPYTER_CONFIG_DIR: path.join(home, "config"),
    JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
    JUPYTER_PATH: "",
    JUPYTER_CONFIG_PATH: "",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

/** Pids (other than this process) whose command line mentions `dir`. */
function processesUnder(dir: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e) || +e === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0").join(" ").trim();
      if (cmd.includes(dir)) out.push({ pid: +e, cmd });
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * Waits up to `ms` for every process started from `dir` to exit by itself (a first kernel's background snapshot
 * build takes seconds when idle, minutes on a loaded machine), then kills what is left, by pid; returns the
 * command lines it had to kill.
 */
export async function sweep(dir: string, ms = 180_000): Promise<string[]> {
  const t0 = Date.now();
  while (processesUnder(dir).length && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 250));
  const left = processesUnder(dir);
  for (const p of left) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  return left.map((p) => p.cmd);
}

/** An nbformat 4.5 notebook of code cells, each with its expected (hand-written) outputs. */
export function notebook(
  kernel: { name: string; language: string },
  cells: { source: string; outputs: object[] }[],
): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel.name, display_name: kernel.name, language: kernel.language } },
    cells: cells.map((c, i) => ({
      id: `c${i}`,
      cell_type: "code",
      metadata: {},
      source: c.source,
      execution_count: i + 1,
      outputs: c.outputs,
    })),
  };
}

/** Removes a test's directory after sweeping it; throws, naming them, if processes were still running from it. */
export async function discard(dir: string): Promise<void> {
  if (!dir) return;
  const t0 = Date.now();
  const killed = await sweep(dir);
  if (Date.now() - t0 > 1000)
    console.log(
      `      waited ${((Date.now() - t0) / 1000).toFixed(1)} s for processes under ${path.basename(dir)} to exit`,
    );
  fs.rmSync(dir, { recursive: true, force: true });
  if (killed.length) throw new Error(`processes were left running under ${dir} (killed): ${killed.join("; ")}`);
}
