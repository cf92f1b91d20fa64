#!/usr/bin/env node
// A committed shim, not dist/cli.js itself: npm links a workspace's bins when it installs, before `prepare` has
// compiled dist/, and silently skips a bin whose file does not exist yet (`npx folio` on a fresh clone).
"use strict";
const path = require("node:path");
const cli = path.join(__dirname, "..", "dist", "cli.js");
try {
  require.resolve(cli);
} catch {
  console.error(`folio: ${cli} is missing: build the runner first (npm run build)`);
  process.exit(1);
}
require(cli);
