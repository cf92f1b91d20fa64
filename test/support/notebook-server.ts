/**
 * Debian's classic notebook server (`/usr/bin/jupyter-notebook`, Notebook 6.4) started the one way every browser
 * test and benchmark here uses: on 127.0.0.1 at a free port, with a random token, in its own process group, so
 * `close()` stops the server and every kernel it started (the server confirms SIGINT interactively, so it gets
 * SIGTERM to the group, then SIGKILL after 10 s).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { freePort } from "./net";

export const NOTEBOOK_SERVER = "/usr/bin/jupyter-notebook";

export interface NotebookServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  /** Everything the server printed so far. */
  log(): string;
  close(): Promise<void>;
}

/**
 * Starts the server serving `notebookDir` with the Jupyter paths of `env` (give it a throw-away JUPYTER_PATH,
 * JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR and JUPYTER_RUNTIME_DIR), plus any `--NotebookApp.*` options in `args`,
 * and resolves once `/api/status` answers; throws with the server's log if it exits or does not answer in `ms`.
 */
export async function startNotebookServer(opts: {
  notebookDir: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  ms?: number;
}): Promise<NotebookServer> {
  if (!existsSync(NOTEBOOK_SERVER))
    throw new Error(`${NOTEBOOK_SERVER} is missing: apt-get install jupyter-notebook (or set FOLIO_SKIP_JUPYTER=1)`);
  const port = await freePort(),
    token = randomBytes(16).toString("hex"),
    origin = `http://127.0.0.1:${port}`;
  let out = "";
  const server: ChildProcess = spawn(
    NOTEBOOK_SERVER,
    [
      "--no-browser",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${opts.notebookDir}`,
      ...(opts.args ?? []),
    ],
    { env: { PYDEVD_DISABLE_FILE_VALIDATION: "1", ...opts.env }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  server.stdout!.on("data", (d) => {
    out += d;
  });
  server.stderr!.on("data", (d) => {
    out += d;
  });
  const close = async () => {
    if (!server.pid || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((r) => server.once("exit", r));
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      return;
    } // the group: the server and its kernels
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null && server.signalCode === null)
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        /* gone */
      }
  };
  const t0 = Date.now(),
    ms = opts.ms ?? 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`jupyter-notebook exited (${server.exitCode}):\n${out}`);
    if (
      await fetch(`${origin}/api/status?token=${token}`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() - t0 > ms) {
      await close();
      throw new Error(`jupyter-notebook did not answer in ${ms / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { origin, token, log: () => out, close };
}
