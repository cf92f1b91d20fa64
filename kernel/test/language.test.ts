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
import { unsafeReason } from "../src/executor/cache-dir";
import { codePointOffset, utf16Offset } from "../src/executor/cursor";
import type { CompileResult } from "../src/executor/language-protocol";

const FIXTURES = path.resolve(__dirname, "fixtures");
const TYPE_ROOTS = [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];
const SNAPSHOT_JS = path.resolve(__dirname, "..", "dist", "executor", "language-snapshot.js");

describe("declaration bundle", function () {
  this.timeout(60000);

  it("tells modules from scripts by their top-level import/export only", () => {
    assert.equal(isModuleText(ts, "export {};"), true);
    assert.equal(isModuleText(ts, 'import x from "y";\ndeclare const a: number;'), true);
    assert.equal(
      isModuleText(
        ts,
        'declare module "fs" {\n  export function readFileSync(): string;\n  import { X } from "y";\n}\n',
      ),
      false,
    );
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
    assert.doesNotMatch(
      b.text.replace(/^(\/\/\/ <reference path=[^\n]*\n)+/, ""),
      /^\/\/\/\s*<reference/m,
      "no reference directive after the header",
    );
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
      "document.title",
      'import { readFile } from "fs/promises"; const t: number = await readFile("x", "utf8");',
      "Symbol.dispose",
      "new AbortController().signal.aborted",
    ];
    const run = (bundle: boolean) => {
      const before = process.env.FOLIO_TS_BUNDLE;
      process.env.FOLIO_TS_BUNDLE = bundle ? "1" : "0";
      try {
        const shared = newShared(ts, TYPE_ROOTS);
        assert.equal(!!shared.bundle, bundle);
        const handle = createLanguageServer(ts, { dir: FIXTURES, globalsDts: "", shared });
        return cells.map((code, i) => {
          const r = handle({
            seq: i,
            kind: "compile",
            id: i,
            code,
            fileName: `cell${i}`,
            check: true,
          }) as CompileResult;
          return r.ok ? "ok" : r.diagnostics.map((d) => `${d.line}:${d.col} TS${d.code} ${d.message}`).join("; ");
        });
      } finally {
        if (before === undefined) delete process.env.FOLIO_TS_BUNDLE;
        else process.env.FOLIO_TS_BUNDLE = before;
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
  let cache = "";
  let env: Record<string, string> = {};
  const blobs = () =>
    fs
      .readdirSync(cache)
      .filter((f) => /^language-\w+\.blob$/.test(f))
      .sort();
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "folio-snap-test-"));
    env = { FOLIO_CACHE_DIR: cache, FOLIO_DEBUG: "1" };
  });
  after(() => fs.rmSync(cache, { recursive: true, force: true }));

  const run = async (expect: "snapshot" | "worker", extra: Record<string, string> = {}) => {
    const k = await TestKernel.start({ cwd: FIXTURES, env: { ...env, ...extra } });
    try {
      const a = await k.execute("const a: number = 20;");
      assert.equal(a.reply.content.status, "ok");
      const bad = await k.execute("const b: string = a;");
      assert.equal(bad.reply.content.status, "error");
      assert.match(bad.reply.content.evalue, /Type 'number' is not assignable to type 'string'/);
      const r = await k.execute("a * 2 + 2");
      assert.equal(r.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "42");
      await new Promise((res) => setTimeout(res, 100));
      if (extra.FOLIO_DEBUG !== "") assert.match(k.stderr, new RegExp(`typescript \\(${expect}\\) loaded`), k.stderr);
      return k.stderr;
    } finally {
      await k.stop();
    }
  };
  /** Waits for the background build a worker-mode kernel started (or builds here). */
  const built = async (extra: Record<string, string> = {}, count = 1) => {
    for (let i = 0; i < 200 && blobs().length < count; i++) await new Promise((res) => setTimeout(res, 100));
    if (blobs().length < count) {
      const r = spawnSync(process.execPath, [SNAPSHOT_JS, "--build"], {
        env: { ...process.env, ...env, ...extra },
        encoding: "utf8",
      });
      assert.equal(r.status, 0, r.stderr);
    }
    for (let i = 0; i < 100 && fs.readdirSync(cache).some((f) => f.endsWith(".lock")); i++)
      await new Promise((res) => setTimeout(res, 100));
  };

  it("is keyed by where the kernel is installed: a copy of the same kernel at another path gets its own blob", () => {
    // the blob holds absolute paths of the declaration files and the compiler; a second project must not use the first's
    const copy = fs.mkdtempSync(path.join(path.resolve(__dirname, ".."), ".copy-")); // inside the repository: resolves the same packages
    try {
      fs.cpSync(path.dirname(SNAPSHOT_JS), path.join(copy, "executor"), { recursive: true });
      const key = (js: string) =>
        spawnSync(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(js)}).snapshotKey())`], {
          encoding: "utf8",
        }).stdout;
      const here = key(SNAPSHOT_JS),
        there = key(path.join(copy, "executor", path.basename(SNAPSHOT_JS)));
      assert.match(here, /^[0-9a-f]{64}$/);
      assert.match(there, /^[0-9a-f]{64}$/);
      assert.notEqual(there, here);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("is built by the build step into the per-user cache (not the install folder), and the kernel starts from it", async () => {
    const { snapshotPath } = require(SNAPSHOT_JS) as typeof import("../src/executor/language-snapshot");
    const blob = snapshotPath();
    assert.ok(blob && fs.existsSync(blob), `npm run build writes ${blob}`);
    assert.ok(!path.resolve(blob).startsWith(path.resolve(__dirname, "..")), "the blob is not in the kernel's folder");
    assert.equal(fs.statSync(blob).mode & 0o077, 0, "readable by this user only");
    const k = await TestKernel.start({ cwd: FIXTURES, env: { FOLIO_DEBUG: "1" } });
    try {
      assert.equal((await k.execute("1 + 1")).reply.content.status, "ok");
      await new Promise((res) => setTimeout(res, 100));
      assert.match(
        k.stderr,
        /typescript \(snapshot\) loaded/,
        "the blob from the build is current: rebuild with npm run build",
      );
    } finally {
      await k.stop();
    }
  });

  it("without a blob, runs on a worker thread; a built blob is then used, and a rebuild replaces it by rename", async () => {
    await run("worker");
    await built();
    const codeCache = fs.readdirSync(cache).filter((f) => f.startsWith("typescript-") && f.endsWith(".v8cache"));
    assert.equal(codeCache.length, 1, "the worker's V8 code cache is in the per-user cache too");
    assert.equal(fs.statSync(path.join(cache, codeCache[0])).mode & 0o077, 0);
    const [name] = blobs();
    const ino = fs.statSync(path.join(cache, name)).ino;
    await run("snapshot");
    const r = spawnSync(process.execPath, [SNAPSHOT_JS, "--build"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(blobs(), [name]);
    assert.notEqual(fs.statSync(path.join(cache, name)).ino, ino, "replaced by rename, not rewritten in place");
    assert.deepEqual(
      fs.readdirSync(cache).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary left",
    );
  });

  it("other V8 flags (NODE_OPTIONS) get a blob of their own; the first configuration's blob is left alone", async () => {
    const [first] = blobs();
    const before = fs.statSync(path.join(cache, first));
    const flags = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=1024`.trim() };
    await run("worker", flags);
    await built(flags, 2);
    assert.equal(blobs().length, 2);
    await run("snapshot", flags);
    await run("snapshot");
    const after = fs.statSync(path.join(cache, first));
    assert.equal(after.ino, before.ino);
    assert.equal(after.mtimeMs, before.mtimeMs);
  });

  it("a blob Node cannot start from: the cells still run, on a worker thread, and V8's complaint stays off the terminal", async () => {
    for (const name of blobs()) {
      fs.writeFileSync(path.join(cache, name), "not a V8 snapshot");
      fs.writeFileSync(path.join(cache, `${name}.lock`), "held"); // no background rebuild during this test
    }
    try {
      await run("worker");
      const quiet = await run("worker", { FOLIO_DEBUG: "" });
      assert.doesNotMatch(quiet, /snapshot/i, quiet);
    } finally {
      for (const name of blobs()) fs.rmSync(path.join(cache, `${name}.lock`), { force: true });
    }
  });

  it("refuses a cache folder another user could write: no snapshot, no code cache, the cells still run", async () => {
    const open = fs.mkdtempSync(path.join(os.tmpdir(), "folio-open-cache-"));
    fs.chmodSync(open, 0o777);
    try {
      assert.match(unsafeReason(open) ?? "", /writable by others/);
      const link = `${open}-link`;
      fs.symlinkSync(cache, link);
      assert.match(unsafeReason(link) ?? "", /symbolic link/);
      fs.rmSync(link);
      assert.equal(unsafeReason(cache), undefined);
      if (process.getuid?.() === 0) {
        const theirs = fs.mkdtempSync(path.join(os.tmpdir(), "folio-their-cache-"));
        fs.chownSync(theirs, 65534, 65534);
        assert.match(unsafeReason(theirs) ?? "", /owned by uid 65534/);
        fs.rmSync(theirs, { recursive: true });
      }
      await run("worker", { FOLIO_CACHE_DIR: open });
      await new Promise((res) => setTimeout(res, 500));
      assert.deepEqual(fs.readdirSync(open), [], "nothing written into it");
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});

const ANSI = /\x1b\[[\d;]*m/g;
const plain = (lines: string[]) => lines.map((l) => l.replace(ANSI, ""));
const resultText = (iopub: Msg[]) => ofType(iopub, "execute_result").map((m) => m.content.data["text/plain"] as string);

describe("imports that real code uses", function () {
  this.timeout(60000);
  let k: TestKernel;
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES });
  });
  after(async () => {
    await k?.stop();
  });

  it("an untyped package (papaparse) runs, typed any, with one warning line; the cell's own code stays strict", async () => {
    const a = await k.execute('import Papa from "papaparse";\nPapa.parse("a,b\\n1,2").data');
    assert.equal(a.reply.content.status, "ok", JSON.stringify(a.reply.content));
    assert.deepEqual(resultText(a.iopub), ["[ [ 'a', 'b' ], [ '1', '2' ] ]"]);
    const warning = streamText(a.iopub, "stderr");
    assert.equal(warning.split("\n").filter(Boolean).length, 1, warning);
    assert.match(
      warning,
      /^warning: "papaparse" has no type declarations, so its import is typed any \(npm i -D @types\/papaparse/,
    );
    const again = await k.execute('import P2 from "papaparse";\ntypeof P2.unparse');
    assert.deepEqual(resultText(again.iopub), ["'function'"]);
    assert.equal(streamText(again.iopub, "stderr"), "", "warned once per session");
    const strict = await k.execute('import Papa3 from "papaparse";\nfunction f(x) { return x; }');
    assert.equal(strict.reply.content.ename, "TSError");
    assert.match(strict.reply.content.evalue, /TS7006: Parameter 'x' implicitly has an 'any' type/);
  });

  it("mathjs 9.4.4, whose types are named only by its `types` field beside an exports map, is typed", async () => {
    const ok = await k.execute(
      'import * as math from "mathjs";\nconst root: number = math.sqrt(16);\n[root, math.evaluate("2 + 3")]',
    );
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
    const r = await k.execute(
      '[import.meta.dirname, new URL("./helper.ts", import.meta.url).pathname, import.meta.resolve("./helper.ts"), import.meta.resolve("papaparse"), import.meta.resolve("node:fs"), path.dirname(import.meta.filename)]'.replace(
        "path.dirname",
        '(await import("node:path")).dirname',
      ),
    );
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    // biome-ignore lint/security/noGlobalEval: the cell's result is an array literal of strings, printed by the kernel
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
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES });
  });
  after(async () => {
    await k?.stop();
  });

  it("type and runtime errors name a cell position the same way, Cell In[N]:line:col, in colour", async () => {
    const t = await k.execute("const s: string = 5;");
    const n = t.reply.content.execution_count;
    assert.equal(
      t.reply.content.evalue,
      `Cell In[${n}]:1:7 - error TS2322: Type 'number' is not assignable to type 'string'.`,
    );
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

/** The kernel's language server process (a child started from the snapshot), if any. */
function languageChild(kernelPid: number): number | undefined {
  for (const d of fs.readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === kernelPid && fs.readFileSync(`/proc/${d}/cmdline`, "utf8").includes("--snapshot-blob"))
        return Number(d);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** A cell whose type check takes about 10 s on an idle machine (10,000 template literal members against 10,000). */
const SLOW_TYPE =
  'type D = "0"|"1"|"2"|"3"|"4"|"5"|"6"|"7"|"8"|"9"; type N = `${D}${D}${D}${D}`; type X<T> = T extends N ? [T] : never;';

describe("language server supervision and bounds", function () {
  this.timeout(120000);
  let k: TestKernel;
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES, env: { FOLIO_DEBUG: "1" } });
  });
  after(async () => {
    await k?.stop();
  });

  it("a killed language process is restarted with every committed cell's declarations", async () => {
    await k.execute(
      'let keep = 41;\nfunction bumpKeep() { keep += 1; return keep; }\nimport { twice } from "./helper.ts";\ninterface Point { x: number }',
    );
    const child = languageChild(k.proc.pid!);
    assert.ok(child, "the kernel runs its language server from the snapshot (npm run build)");
    process.kill(child, "SIGKILL");
    await new Promise((res) => setTimeout(res, 200));
    const r = await k.execute("const p: Point = { x: twice(keep) };\nbumpKeep() + p.x");
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    assert.deepEqual(resultText(r.iopub), ["124"]);
    const typed = await k.execute("const s: string = keep;");
    assert.match(
      typed.reply.content.evalue,
      /TS2322: Type 'number' is not assignable to type 'string'/,
      "keep is still typed",
    );
    assert.match(
      k.stderr,
      /language server process exited \(SIGKILL\): restarted with the declarations of every committed cell/,
    );
    assert.notEqual(languageChild(k.proc.pid!), child);
  });

  it("clamps an out-of-range cursor (cursor_pos 10^9) and answers at once; executes still run", async () => {
    const c = await k.request("shell", "complete_request", { code: "Math.ma", cursor_pos: 1e9 });
    assert.deepEqual(c.content.matches, ["max"]);
    assert.equal(c.content.cursor_end, 7);
    const i = await k.request("shell", "inspect_request", { code: "Math.max", cursor_pos: 1e9, detail_level: 0 });
    assert.equal(i.content.found, true);
    const negative = await k.request("shell", "inspect_request", { code: "Math.max", cursor_pos: -5, detail_level: 0 });
    assert.equal(negative.content.status, "error", "rejected by the request check");
    const r = await k.execute("keep");
    assert.equal(r.reply.content.status, "ok");
  });

  it("abandons a completion past its budget, so the next execute is not held up", async () => {
    const t0 = Date.now();
    const c = await k.request(
      "shell",
      "complete_request",
      { code: `${SLOW_TYPE}\ndeclare const slow: X<N>;\nslow.`, cursor_pos: SLOW_TYPE.length + 36 },
      60000,
    );
    assert.equal(c.content.status, "ok");
    assert.deepEqual(c.content.matches, [], "abandoned: no matches");
    const r = await k.execute("keep + 1");
    assert.deepEqual(resultText(r.iopub), ["43"]);
    // the completion alone takes about 10 s unbounded; abandoned, both answers come within a few seconds
    assert.ok(Date.now() - t0 < 9000, `${Date.now() - t0} ms`);
  });

  it("an interrupt during a long type check takes effect at once; later cells check as before", async () => {
    const id = k.send("shell", "execute_request", {
      code: `${SLOW_TYPE}\nconst y: X<N> = ["1"];`,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    await k.waitIopub((m) => m.parent_header.msg_id === id && m.header.msg_type === "execute_input");
    await new Promise((res) => setTimeout(res, 300));
    const t0 = Date.now();
    assert.equal((await k.request("control", "interrupt_request", {})).content.status, "ok");
    const reply = await k.reply(id, 60000);
    assert.equal(reply.content.ename, "Interrupt");
    assert.ok(Date.now() - t0 < 5000, `interrupted after ${Date.now() - t0} ms (the check takes about 10 s)`);
    const typed = await k.execute("const s2: string = keep;");
    assert.match(typed.reply.content.evalue, /TS2322/);
    const r = await k.execute("keep * 2");
    assert.deepEqual(resultText(r.iopub), ["84"]);
  });

  it("widens a big literal type in the prelude (later cells do not re-check a 1 MB string)", async () => {
    const r = await k.execute(`const big = "${"x".repeat(1 << 20)}";\nbig.length`);
    assert.deepEqual(resultText(r.iopub), [String(1 << 20)]);
    const i = await k.request("shell", "inspect_request", { code: "big", cursor_pos: 3, detail_level: 0 });
    assert.equal(i.content.data["text/plain"], "const big: string");
    const small = await k.execute('const tiny = "abc";');
    assert.equal(small.reply.content.status, "ok");
    const t = await k.request("shell", "inspect_request", { code: "tiny", cursor_pos: 4, detail_level: 0 });
    assert.equal(t.content.data["text/plain"], 'const tiny: "abc"', "short literals keep their type");
  });
});

describe("editor requests", function () {
  this.timeout(60000);
  let k: TestKernel;
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES });
  });
  after(async () => {
    await k?.stop();
  });

  it("counts completion offsets in code points (protocol 5.2+): an emoji before the cursor is one", async () => {
    const code = 'const face = "😀"; Math.fl';
    const cursor = [...code].length;
    const r = await k.request("shell", "complete_request", { code, cursor_pos: cursor });
    assert.deepEqual(r.content.matches, ["floor"]);
    assert.equal(r.content.cursor_start, cursor - 2);
    assert.equal(r.content.cursor_end, cursor);
    const text = `${[...code].slice(0, r.content.cursor_start).join("")}floor`;
    assert.equal(text, 'const face = "😀"; Math.floor');
  });

  it("completes module specifiers by TypeScript's replacement span (names with - and :)", async () => {
    const code = 'import * as tf from "@tensorflow/tfjs-c';
    const r = await k.request("shell", "complete_request", { code, cursor_pos: code.length });
    assert.ok(r.content.matches.includes("tfjs-core"), JSON.stringify(r.content));
    assert.ok(
      r.content.matches.every((m: string) => m.startsWith("tfjs-c")),
      JSON.stringify(r.content.matches),
    );
    assert.equal(code.slice(r.content.cursor_start, r.content.cursor_end), "tfjs-c");
    const node = 'import * as p from "node:pa';
    const n = await k.request("shell", "complete_request", { code: node, cursor_pos: node.length });
    assert.ok(n.content.matches.includes("node:path"), JSON.stringify(n.content));
    assert.equal(node.slice(n.content.cursor_start, n.content.cursor_end), "node:pa");
  });

  it("inspect: not found for an unknown name; the signature inside a call's parentheses; Markdown with the doc's own fences", async () => {
    const unknown = await k.request("shell", "inspect_request", {
      code: "nosuchname",
      cursor_pos: 10,
      detail_level: 0,
    });
    assert.equal(unknown.content.status, "ok");
    assert.equal(unknown.content.found, false);
    await k.execute('import { add } from "./documented.ts";');
    const call = await k.request("shell", "inspect_request", { code: "add(1, ", cursor_pos: 7, detail_level: 0 });
    assert.equal(call.content.found, true);
    assert.match(call.content.data["text/plain"], /^add\(a: number, b: number\): number/);
    const md: string = (await k.request("shell", "inspect_request", { code: "add", cursor_pos: 3, detail_level: 0 }))
      .content.data["text/markdown"];
    assert.match(
      md,
      /^```typescript\n\(alias\) function add\(a: number, b: number\): number\nimport add\n```\n\nAdds two numbers/,
    );
    assert.match(md, /\n```js\nadd\(1, 2\); \/\/ 3\n```\n/, "the doc's own fence is kept, not nested inside another");
    assert.match(md, /\*@param\* `a` — the first term/);
    assert.equal(md.split("\n").filter((l) => l.startsWith("```")).length % 2, 0, md);
  });

  it('`name?` is complete (jupyter console opens the pager on Enter); `nosuchname?` pages "not found"', async () => {
    for (const code of ["Math?", "Math.max??", "add?"]) {
      const r = await k.request("shell", "is_complete_request", { code });
      assert.equal(r.content.status, "complete", code);
    }
    const found = await k.execute("Math.max?");
    assert.match(found.reply.content.payload[0].data["text/plain"], /max\(\.\.\.values: number\[\]\): number/);
    const missing = await k.execute("nosuchname?");
    assert.equal(missing.reply.content.payload[0].data["text/plain"], "nosuchname: not found");
  });
});

describe("executes before editor requests", function () {
  this.timeout(120000);
  it("an execute arriving behind a slow completion is answered without waiting for it", async () => {
    // a budget far beyond the test's: only the execute's arrival can cut the completion short
    const k = await TestKernel.start({ cwd: FIXTURES, env: { FOLIO_EDITOR_BUDGET_MS: "600000" } });
    try {
      await k.execute("const before = 1;");
      const t0 = Date.now();
      const code = `${SLOW_TYPE}\ndeclare const slow: X<N>;\nslow.`;
      const c = k.send("shell", "complete_request", { code, cursor_pos: code.length });
      await new Promise((res) => setTimeout(res, 300));
      const r = await k.execute("before + 1");
      assert.deepEqual(resultText(r.iopub), ["2"]);
      assert.deepEqual((await k.reply(c)).content.matches, []);
      // unbounded, this completion runs for minutes and exhausts a 4 GB heap
      assert.ok(Date.now() - t0 < 30000, `${Date.now() - t0} ms`);
    } finally {
      await k.stop();
    }
  });
});

describe("cursor positions", () => {
  it("convert between code points and UTF-16, clamped", () => {
    const text = "a😀b";
    assert.deepEqual(
      [0, 1, 2, 3, 4, 1e9, -3, NaN].map((cp) => utf16Offset(text, cp)),
      [0, 1, 3, 4, 4, 4, 0, 4],
    );
    assert.deepEqual(
      [0, 1, 3, 4, 99].map((u) => codePointOffset(text, u)),
      [0, 1, 2, 3, 3],
    );
    assert.equal(utf16Offset("\ud83d", 1), 1, "a lone surrogate is one position");
  });
});
