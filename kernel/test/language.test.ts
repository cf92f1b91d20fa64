/**
 * The language server's start-up machinery: the declaration bundle must type-check exactly as the separate
 * lib and @types/node files do, and the V8 snapshot must be built, used, and replaced by a worker thread when
 * it is stale or broken (the kernel still runs cells either way).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import * as ts from "typescript";
import { TestKernel } from "./client";
import { bundleDeclarations, isModuleText } from "../src/executor/declarations";
import { compilerOptions, createLanguageServer, newShared } from "../src/executor/language-server";
import type { CompileResult } from "../src/executor/language-protocol";

const FIXTURES = path.resolve(__dirname, "fixtures");
const TYPE_ROOTS = [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];
const SNAPSHOT_JS = path.resolve(__dirname, "..", "dist", "executor", "language-snapshot.js");

describe("declaration bundle", function () {
  this.timeout(60000);

  it("tells modules from scripts by their top-level import/export only", () => {
    assert.equal(isModuleText(ts, "export {};"), true);
    assert.equal(isModuleText(ts, 'import x from "y";\ndeclare const a: number;'), true);
    assert.equal(isModuleText(ts, 'declare module "fs" {\n  export function readFileSync(): string;\n  import { X } from "y";\n}\n'), false);
    assert.equal(isModuleText(ts, "interface Array<T> { at(i: number): T | undefined }"), false);
  });

  it("inlines lib and @types/node scripts, and references the declaration files that are modules", () => {
    const b = bundleDeclarations(ts, compilerOptions(ts, TYPE_ROOTS), FIXTURES)!;
    assert.ok(b, "@types/node is installed, so there is a bundle");
    assert.equal(path.basename(b.file), "index.d.ts");
    assert.match(b.text, /\/\/ lib\.es5\.d\.ts\n/);
    assert.match(b.text, /\/\/ lib\.es2023\.array\.d\.ts\n/);
    assert.match(b.text, /interface ReadonlyArray<T>/);
    assert.match(b.text, /declare module "fs" \{/);
    assert.match(b.text, /^\/\/\/ <reference path="web-globals\/fetch\.d\.ts" \/>$/m, "a module stays a separate file");
    assert.doesNotMatch(b.text.replace(/^(\/\/\/ <reference path=[^\n]*\n)+/, ""), /^\/\/\/\s*<reference/m, "no reference directive after the header");
  });

  it("checks cells exactly as the separate files do", () => {
    const cells = [
      'const b = Buffer.from("x"); b.length',
      "process.env.HOME?.length",
      'import * as fs from "node:fs"; fs.readFileSync("x", "utf8").length',
      "[1, 2, 3].at(-1)! + 1",
      "const s: string = 1;",
      'new Map<string, number>().get("x")?.toFixed()',
      'fetch("http://x").then((r) => r.json())',
      "structuredClone({ a: 1 }).a",
      "setTimeout(() => 1, 10).unref()",
      'new TextEncoder().encode("x").byteLength',
      "Array.from({ length: 3 }, (_, i) => i).findLast((x) => x > 1)",
      "crypto.randomUUID()",
      'const u = new URL("http://x"); u.searchParams.get("a")',
      'document.title',
      'import { readFile } from "fs/promises"; const t: number = await readFile("x", "utf8");',
      "Symbol.dispose",
      'new AbortController().signal.aborted',
    ];
    const run = (bundle: boolean) => {
      const before = process.env.FOLIO_TS_BUNDLE;
      process.env.FOLIO_TS_BUNDLE = bundle ? "1" : "0";
      try {
        const shared = newShared(ts, TYPE_ROOTS);
        assert.equal(!!shared.bundle, bundle);
        const handle = createLanguageServer(ts, { dir: FIXTURES, globalsDts: "", shared });
        return cells.map((code, i) => {
          const r = handle({ seq: i, kind: "compile", id: i, code, fileName: `cell${i}`, check: true }) as CompileResult;
          return r.ok ? "ok" : r.diagnostics.map((d) => `${d.line}:${d.col} TS${d.code} ${d.message}`).join("; ");
        });
      } finally {
        if (before === undefined) delete process.env.FOLIO_TS_BUNDLE; else process.env.FOLIO_TS_BUNDLE = before;
      }
    };
    const separate = run(false);
    assert.deepEqual(run(true), separate);
    // and the comparison is not vacuous: these two cells must fail, the others pass
    assert.match(separate[4], /TS2322 Type 'number' is not assignable to type 'string'/);
    assert.match(separate[13], /TS2584|TS2304/);
    assert.equal(separate.filter((r) => r === "ok").length, cells.length - 3);
  });
});

describe("language snapshot", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-snap-test-"));
  const blob = path.join(dir, "language.blob");
  const env = { FOLIO_SNAPSHOT_BLOB: blob, FOLIO_DEBUG: "1" };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (expect: "snapshot" | "worker") => {
    const k = await TestKernel.start({ cwd: FIXTURES, env });
    try {
      const a = await k.execute("const a: number = 20;");
      assert.equal(a.reply.content.status, "ok");
      const bad = await k.execute('const b: string = a;');
      assert.equal(bad.reply.content.status, "error");
      assert.match(bad.reply.content.evalue, /Type 'number' is not assignable to type 'string'/);
      const r = await k.execute("a * 2 + 2");
      assert.equal(r.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "42");
      await new Promise((res) => setTimeout(res, 100));
      assert.match(k.stderr, new RegExp(`typescript \\(${expect}\\) loaded`), k.stderr);
    } finally {
      await k.stop();
    }
  };

  it("is built by the build step for this Node and kernel, and the kernel starts from it", async () => {
    const built = path.resolve(__dirname, "..", "dist", "language.blob");
    assert.ok(fs.existsSync(built), "npm run build writes kernel/dist/language.blob");
    const k = await TestKernel.start({ cwd: FIXTURES, env: { FOLIO_DEBUG: "1" } });
    try {
      assert.equal((await k.execute("1 + 1")).reply.content.status, "ok");
      await new Promise((res) => setTimeout(res, 100));
      assert.match(k.stderr, /typescript \(snapshot\) loaded/, "the blob from the build is current: rebuild with npm run build");
    } finally { await k.stop(); }
  });

  it("without a blob, runs on a worker thread; a built blob is then used", async () => {
    await run("worker");
    // the worker-mode kernel above started a background build; wait for it, or build here
    for (let i = 0; i < 100 && !fs.existsSync(`${blob}.json`); i++) await new Promise((res) => setTimeout(res, 100));
    if (!fs.existsSync(`${blob}.json`)) {
      const r = spawnSync(process.execPath, [SNAPSHOT_JS, "--build"], { env: { ...process.env, ...env }, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    }
    await run("snapshot");
  });

  it("a blob built for something else is stale: worker thread", async () => {
    const meta = JSON.parse(fs.readFileSync(`${blob}.json`, "utf8")) as { key: string };
    fs.writeFileSync(`${blob}.json`, JSON.stringify({ ...meta, key: "0".repeat(64) }));
    fs.writeFileSync(`${blob}.lock`, "held"); // no background rebuild during this test
    try { await run("worker"); } finally {
      fs.writeFileSync(`${blob}.json`, JSON.stringify(meta));
      fs.rmSync(`${blob}.lock`, { force: true });
    }
  });

  it("a blob Node cannot start from: the cells still run, on a worker thread", async () => {
    fs.writeFileSync(blob, "not a V8 snapshot");
    fs.writeFileSync(`${blob}.lock`, "held");
    try { await run("worker"); } finally { fs.rmSync(`${blob}.lock`, { force: true }); }
  });
});
