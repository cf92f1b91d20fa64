#!/usr/bin/env node
/** `folio`: the command line of Folio's headless runner. */
import * as fs from "node:fs";
import * as path from "node:path";
import { fromPercent } from "./percent";

function usage(): never {
  console.error("usage: folio run [paths…] | folio test [paths…] | folio from-percent SCRIPT.ts OUT.ipynb");
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "from-percent": {
      const [src, out] = rest;
      if (!src || !out) usage();
      const nb = fromPercent(fs.readFileSync(src, "utf8"), path.basename(out, ".ipynb"));
      const tmp = `${out}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, JSON.stringify(nb, null, 1) + "\n");
      fs.renameSync(tmp, out);
      console.log(`wrote ${out} (${nb.cells.length} cells)`);
      return 0;
    }
    case "run":
    case "test":
      console.error(`folio ${cmd}: not implemented yet`);
      return 1;
    default:
      usage();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
