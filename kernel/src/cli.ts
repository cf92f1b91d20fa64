#!/usr/bin/env node
/** `folio-kernel`: start the kernel on a connection file, or install its kernelspec. */
import { readConnectionFile } from "@folio/protocol/jupyter";
import { installCommand } from "./install";

const USAGE = `usage:
  folio-kernel --connection-file FILE     (or -f FILE) run the kernel
  folio-kernel install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT] [--no-extensions]
  folio-kernel uninstall [--user | --prefix DIR | --sys-prefix] [--name NAME]`;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "install" || argv[0] === "uninstall") process.exit(installCommand(argv));
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
  // loaded only here: `install` must not pay for the kernel (the language server starts after the first reply)
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

main(process.argv.slice(2)).catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
