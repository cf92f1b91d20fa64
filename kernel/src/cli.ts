#!/usr/bin/env node
/**
 * `folio-kernel`: start the kernel on a connection file, or install its kernelspec. The kernel's path runs from
 * the start bundle when it is current (bundle.ts), else from its modules; `install` loads neither.
 */
import { loadBundle } from "./bundle";

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "install" || argv[0] === "uninstall")
    process.exit((require("./install") as typeof import("./install")).installCommand(argv));
  // Baseline code from each function's first call (as the language process, language-snapshot.ts SERVER_FLAGS): a
  // fresh kernel's first cells ran interpreted code and took ~0.3 ms longer each (issue 16). Set before the
  // bundle loads, so its V8 code cache is made and used under the same flags.
  if (process.env.FOLIO_SPARKPLUG !== "0")
    (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--always-sparkplug");
  type Start = typeof import("./start");
  const { startKernel } = loadBundle<Start>() ?? (require("./start") as Start);
  await startKernel(argv);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
