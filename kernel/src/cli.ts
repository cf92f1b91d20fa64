#!/usr/bin/env node
/**
 * `folio-kernel`: start the kernel on a connection file, or install its kernelspec. The kernel's path runs from
 * the start bundle when it is current (bundle.ts), else from its modules; `install` loads neither.
 */
import { loadBundle } from "./bundle";

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "install" || argv[0] === "uninstall")
    process.exit((require("./install") as typeof import("./install")).installCommand(argv));
  type Start = typeof import("./start");
  const { startKernel } = loadBundle<Start>() ?? (require("./start") as Start);
  await startKernel(argv);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
