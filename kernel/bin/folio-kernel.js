#!/usr/bin/env node
// A committed shim, not dist/cli.js itself: npm links a workspace's bins when it installs, before `prepare` has
// compiled dist/, and silently skips a bin whose file does not exist yet.
"use strict";
const path = require("node:path");
const cli = path.join(__dirname, "..", "dist", "cli.js");
try {
  require.resolve(cli);
} catch {
  console.error(`folio-kernel: ${cli} is missing: build the kernel first (npm run build)`);
  process.exit(1);
}
require(cli);
