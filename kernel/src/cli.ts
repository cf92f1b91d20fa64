#!/usr/bin/env node
/** `folio-kernel`: start the kernel on a connection file, or install its kernelspec. */
console.error("folio-kernel: not implemented yet");
process.exit(1);
