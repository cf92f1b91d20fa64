/** `folio-kernel --connection-file FILE`: reads the connection file and runs the kernel (the CLI's kernel path). */
import { readConnectionFile } from "@folio/protocol/jupyter";

export const USAGE = `usage:
  folio-kernel --connection-file FILE     (or -f FILE) run the kernel
  folio-kernel install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT] [--no-extensions]
  folio-kernel uninstall [--user | --prefix DIR | --sys-prefix] [--name NAME]`;

export async function startKernel(argv: string[]): Promise<void> {
  const i = argv.findIndex((a) => a === "--connection-file" || a === "-f");
  const eq = argv.find((a) => a.startsWith("--connection-file="));
  const file = eq ? eq.slice("--connection-file=".length) : i >= 0 ? argv[i + 1] : undefined;
  if (!file) {
    console.error(USAGE);
    process.exit(2);
  }
  const conn = readConnectionFile(file);
  if (!conn.ok) {
    console.error(`folio-kernel: ${conn.reason}`);
    process.exit(2);
  }
  const info = conn.value;
  watchParent(process.env.JPY_PARENT_PID);
  const { Kernel } = require("./kernel") as typeof import("./kernel");
  // from here on, what cells load and read is reported with each execute_reply (executor/deps.ts)
  (require("./executor/deps") as typeof import("./executor/deps")).trackDependencies();
  await new Kernel(info, process.cwd()).start();
}

/**
 * Jupyter's convention (ipykernel's ParentPoller): a client that starts a kernel puts its pid in JPY_PARENT_PID,
 * and the kernel exits once that process is gone, so a client killed with SIGKILL leaves no kernel behind.
 */
function watchParent(pid: string | undefined): void {
  const parent = Number(pid);
  if (!Number.isInteger(parent) || parent <= 1) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") process.exit(1);
    }
  }, 1000).unref();
}
