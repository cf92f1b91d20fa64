/**
 * Kernels die with the runner, however it dies. Every kernel gets `JPY_PARENT_PID` (the runner's pid), which
 * ipykernel and the Folio kernel watch; and one small watchdog process per runner holds the other end of a
 * pipe from it. When the pipe closes (the runner exited, crashed or was SIGKILLed: the OS closes it either
 * way) or the runner's pid disappears, the watchdog kills every kernel process group still registered and
 * removes their connection files. A kernel that ignores JPY_PARENT_PID is covered all the same.
 */
import { spawn, type ChildProcess } from "node:child_process";

// Runs as `node -e`: lines "+<pgid> <dir>" register, "-<pgid>" release; EOF or a dead parent kills the rest.
const SCRIPT = `
const fs = require("fs");
const parent = Number(process.argv[1]);
const live = new Map();
let buf = "";
function reap() {
  for (const [pid, dir] of live) {
    try { process.kill(-pid, "SIGKILL"); } catch { try { process.kill(pid, "SIGKILL"); } catch {} }
    if (dir) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  }
  process.exit(0);
}
process.stdin.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const sp = line.indexOf(" ");
    if (line[0] === "+") live.set(Number(sp < 0 ? line.slice(1) : line.slice(1, sp)), sp < 0 ? "" : line.slice(sp + 1));
    else if (line[0] === "-") live.delete(Number(line.slice(1)));
  }
});
process.stdin.on("end", reap);
process.stdin.on("error", reap);
setInterval(() => { try { process.kill(parent, 0); } catch (e) { if (e.code === "ESRCH") reap(); } }, 1000);
`;

let dog: ChildProcess | undefined;

function watchdog(): ChildProcess | undefined {
  if (dog && dog.exitCode === null && !dog.killed) return dog;
  try {
    dog = spawn(process.execPath, ["-e", SCRIPT, String(process.pid)], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    dog.unref();
    // the pipe must not keep the runner alive: it only matters while something else does
    (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    dog.stdin?.on("error", () => {
      dog = undefined;
    });
    dog.once("exit", () => {
      dog = undefined;
    });
    return dog;
  } catch {
    return undefined;
  }
}

/** Registers a kernel's process group (and its connection-file folder) to be killed if the runner dies. */
export function guardKernel(pgid: number, connDir: string): void {
  watchdog()?.stdin?.write(`+${pgid} ${connDir}\n`);
}

/** The kernel ended normally: the watchdog forgets it. */
export function releaseKernel(pgid: number): void {
  dog?.stdin?.write(`-${pgid}\n`);
}
