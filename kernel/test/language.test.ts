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
import { pathToFileURL } from "node:url";
import { TestKernel, ofType, streamText, type Msg } from "./client";
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

const ANSI = /\x1b\[[\d;]*m/g;
const plain = (lines: string[]) => lines.map((l) => l.replace(ANSI, ""));
const resultText = (iopub: Msg[]) => ofType(iopub, "execute_result").map((m) => m.content.data["text/plain"] as string);

describe("imports that real code uses", function () {
  this.timeout(60000);
  let k: TestKernel;
  before(async () => { k = await TestKernel.start({ cwd: FIXTURES }); });
  after(async () => { await k?.stop(); });

  it("an untyped package (papaparse) runs, typed any, with one warning line; the cell's own code stays strict", async () => {
    const a = await k.execute('import Papa from "papaparse";\nPapa.parse("a,b\\n1,2").data');
    assert.equal(a.reply.content.status, "ok", JSON.stringify(a.reply.content));
    assert.deepEqual(resultText(a.iopub), ["[ [ 'a', 'b' ], [ '1', '2' ] ]"]);
    const warning = streamText(a.iopub, "stderr");
    assert.equal(warning.split("\n").filter(Boolean).length, 1, warning);
    assert.match(warning, /^warning: "papaparse" has no type declarations, so its import is typed any \(npm i -D @types\/papaparse/);
    const again = await k.execute('import P2 from "papaparse";\ntypeof P2.unparse');
    assert.deepEqual(resultText(again.iopub), ["'function'"]);
    assert.equal(streamText(again.iopub, "stderr"), "", "warned once per session");
    const strict = await k.execute('import Papa3 from "papaparse";\nfunction f(x) { return x; }');
    assert.equal(strict.reply.content.ename, "TSError");
    assert.match(strict.reply.content.evalue, /TS7006: Parameter 'x' implicitly has an 'any' type/);
  });

  it("mathjs 9.4.4, whose types are named only by its `types` field beside an exports map, is typed", async () => {
    const ok = await k.execute('import * as math from "mathjs";\nconst root: number = math.sqrt(16);\n[root, math.evaluate("2 + 3")]');
    assert.equal(ok.reply.content.status, "ok", JSON.stringify(ok.reply.content));
    assert.deepEqual(resultText(ok.iopub), ["[ 4, 5 ]"]);
    assert.equal(streamText(ok.iopub, "stderr"), "", "no untyped-import warning: the declarations were found");
    const typed = await k.execute('import { sqrt } from "mathjs";\nconst wrong: string = sqrt(4);');
    assert.match(typed.reply.content.evalue, /TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it("CommonJS default imports work as under tsx: decimal.js and a compiled ES module (__esModule)", async () => {
    const d = await k.execute('import Decimal from "decimal.js";\nnew Decimal(1).plus(2).toString()');
    assert.equal(d.reply.content.status, "ok", JSON.stringify(d.reply.content));
    assert.deepEqual(resultText(d.iopub), ["'3'"]);
    const typed = await k.execute("const notNum: number = new Decimal(1);");
    assert.match(typed.reply.content.evalue, /TS2322: Type 'Decimal' is not assignable to type 'number'/);
    const c = await k.execute('import greet, { NAME } from "./compiled-esm.cjs";\n[greet("you"), NAME]');
    assert.equal(c.reply.content.status, "ok", JSON.stringify(c.reply.content));
    assert.deepEqual(resultText(c.iopub), ["[ 'hello, you', 'compiled' ]"]);
  });

  it("import.meta.url, .dirname, .filename and .resolve work in a cell, from the notebook's directory", async () => {
    const r = await k.execute('[import.meta.dirname, new URL("./helper.ts", import.meta.url).pathname, import.meta.resolve("./helper.ts"), import.meta.resolve("papaparse"), import.meta.resolve("node:fs"), path.dirname(import.meta.filename)]'.replace("path.dirname", '(await import("node:path")).dirname'));
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    const [dir, helper, resolved, pkg, builtin, fileDir] = eval(`(${resultText(r.iopub)[0]})`) as string[];
    assert.equal(dir, FIXTURES);
    assert.equal(helper, path.join(FIXTURES, "helper.ts"));
    assert.equal(resolved, pathToFileURL(path.join(FIXTURES, "helper.ts")).href);
    assert.equal(pkg, pathToFileURL(require.resolve("papaparse")).href);
    assert.equal(builtin, "node:fs");
    assert.equal(fileDir, FIXTURES);
  });
});

describe("errors", function () {
  this.timeout(60000);
  let k: TestKernel;
  before(async () => { k = await TestKernel.start({ cwd: FIXTURES }); });
  after(async () => { await k?.stop(); });

  it("type and runtime errors name a cell position the same way, Cell In[N]:line:col, in colour", async () => {
    const t = await k.execute("const s: string = 5;");
    const n = t.reply.content.execution_count;
    assert.equal(t.reply.content.evalue, `Cell In[${n}]:1:7 - error TS2322: Type 'number' is not assignable to type 'string'.`);
    assert.equal(plain(t.reply.content.traceback)[0], t.reply.content.evalue);
    assert.match(t.reply.content.traceback[0], /\x1b\[91merror\x1b\[0m/);
    const r = await k.execute('const v = 1;\nthrow new RangeError("boom");');
    const m = r.reply.content.execution_count;
    const tb: string[] = r.reply.content.traceback;
    assert.equal(tb[0], "\x1b[0;31mRangeError\x1b[0m: boom");
    assert.ok(plain(tb).includes(`    at Cell In[${m}]:2:7`), plain(tb).join("\n"));
    assert.ok(tb.includes(`\x1b[0;32m----> 2\x1b[0m throw new RangeError("boom");`), tb.join("\n"));
    assert.equal(r.reply.content.evalue, "boom", "evalue stays plain");
  });

  it("an internal error of the type checker (20,000 nested brackets) is the cell's error output, with its count and no internal paths", async () => {
    const { reply, iopub } = await k.execute("[".repeat(20000));
    assert.equal(reply.content.status, "error");
    assert.equal(typeof reply.content.execution_count, "number");
    const out = ofType(iopub, "error");
    assert.equal(out.length, 1);
    assert.equal(out[0].content.ename, "InternalError");
    assert.match(out[0].content.evalue, /Maximum call stack size exceeded/);
    assert.doesNotMatch(JSON.stringify(out[0].content), /\/(dist|src|node_modules)\/|language-snapshot|\.js:\d/);
    const after = await k.execute("1 + 1");
    assert.deepEqual(resultText(after.iopub), ["2"]);
  });
});
