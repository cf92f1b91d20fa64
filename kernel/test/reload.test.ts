/**
 * Reloading edited local modules: the module graph on its own (a require cache of real files), and through the
 * kernel over ZeroMQ: a helper's body, then its signature, changed between two cells.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ModuleGraph } from "../src/executor/modules";
import { TestKernel, ofType, streamText, type Msg } from "./client";

/** Writes a file and moves its modification time forward (two edits within one mtime tick must still count). */
let tick = Date.now() / 1000;
function write(file: string, text: string): void {
  writeFileSync(file, text);
  tick += 2;
  utimesSync(file, tick, tick);
}
/** The repository (this test file included) is excluded: only the scratch files count as local here. */
const REPO = path.resolve(__dirname, "..", "..");
const result = (iopub: Msg[]) => ofType(iopub, "execute_result").map((m) => m.content.data["text/plain"])[0];

describe("module reload: the graph", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "folio-reload-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reloads a changed file with its importers, not the others, and rebinds what was imported from it", () => {
    const [a, b, c] = ["a.js", "b.js", "c.js"].map((f) => path.join(dir, f));
    write(a, "exports.value = () => 1;");
    write(b, "const a = require('./a.js'); exports.twice = () => 2 * a.value();");
    write(c, "exports.other = () => 'c';");
    const g = new ModuleGraph([REPO]);
    const scope: Record<string, unknown> = {};
    scope.twice = (require(b) as { twice: () => number }).twice;
    scope.ns = Object.create(require(a) as object);
    const other = (require(c) as { other: () => string }).other;
    scope.other = other;
    scope.data = { kept: true };
    g.scan();
    assert.deepEqual(
      g.files().filter((f) => f.startsWith(dir)),
      [a, b, c],
    );
    assert.deepEqual(g.changed(), []);
    write(a, "exports.value = () => 10;");
    assert.deepEqual(g.changed(), [a]);
    assert.deepEqual(g.withImporters([a]).sort(), [a, b]);
    const r = g.reloadChanged(require.cache, scope);
    assert.deepEqual(r.reloaded.sort(), [a, b]);
    assert.deepEqual(r.failed, []);
    assert.equal((scope.twice as () => number)(), 20, "the imported function is the new one, using the new dependency");
    assert.equal((scope.ns as { value: () => number }).value(), 10, "a namespace import sees the new module");
    assert.equal(scope.other, other, "an unchanged module is not reloaded");
    assert.deepEqual(scope.data, { kept: true });
    assert.deepEqual(g.changed(), []);
  });

  it("keeps the old code when the new one does not load, and tries again next time", () => {
    const f = path.join(dir, "broken.js");
    write(f, "exports.v = 1;");
    const g = new ModuleGraph([REPO]);
    require(f);
    g.scan();
    write(f, "exports.v = ;");
    const r = g.reloadChanged(require.cache, {});
    assert.equal(r.failed.length, 1);
    assert.equal((require(f) as { v: number }).v, 1);
    write(f, "exports.v = 2;");
    assert.deepEqual(g.reloadChanged(require.cache, {}).reloaded, [f]);
    assert.equal((require(f) as { v: number }).v, 2);
  });

  it("counts packages in node_modules, the kernel's own files and @folio/protocol as not local", () => {
    const g = new ModuleGraph([path.resolve(__dirname, "..")]);
    assert.equal(g.isLocal(require.resolve("zeromq")), false);
    assert.equal(g.isLocal(path.resolve(__dirname, "../src/kernel.ts")), false);
    assert.equal(g.isLocal(path.resolve(__dirname, "../../lib/stats/index.ts")), true);
    // by default also @folio/protocol, a workspace folder outside node_modules in this checkout
    const d = new ModuleGraph();
    assert.equal(d.isLocal(path.resolve(__dirname, "../../protocol/dist/index.js")), false);
    assert.equal(d.isLocal(path.resolve(__dirname, "../../lib/stats/index.ts")), true);
  });
});

describe("module reload: in the kernel", function () {
  this.timeout(60000);
  let k: TestKernel;
  let dir = "";
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "folio-reload-nb-"));
    write(path.join(dir, "helper.ts"), "export function scale(x: number): number {\n  return 2 * x;\n}\n");
    write(
      path.join(dir, "uses.ts"),
      'import { scale } from "./helper.ts";\nexport const quadruple = (x: number): number => scale(scale(x));\n',
    );
    k = await TestKernel.start({ cwd: dir });
  });
  after(async () => {
    await k?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a helper's new body and checks calls against its new signature; earlier variables keep their values", async () => {
    let r = await k.execute(
      'import { scale } from "./helper.ts";\nimport { quadruple } from "./uses.ts";\nconst before = scale(5);\n[before, quadruple(1)]',
    );
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(result(r.iopub), "[ 10, 4 ]");

    // the body changes: the next cell (which does not import again) runs the new code, through the importer too
    write(path.join(dir, "helper.ts"), "export function scale(x: number): number {\n  return 3 * x;\n}\n");
    r = await k.execute("[before, scale(5), quadruple(1)]");
    assert.equal(result(r.iopub), "[ 10, 15, 9 ]");

    // the signature changes: the checker sees it (the old call is an error, the new one checks and runs)
    write(path.join(dir, "helper.ts"), "export function scale(x: number, by: number): number {\n  return by * x;\n}\n");
    r = await k.execute("scale(5)");
    assert.equal(r.reply.content.status, "error");
    assert.match(r.reply.content.evalue, /TS2554: Expected 2 arguments, but got 1/);
    r = await k.execute("[before, scale(5, 7)]");
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(result(r.iopub), "[ 10, 35 ]");
    assert.equal(streamText(r.iopub, "stderr"), "");
  });

  it("a helper that no longer loads keeps its old code and says so on the cell's stderr", async () => {
    write(
      path.join(dir, "helper.ts"),
      "export function scale(x: number, by: number): number {\n  return by * x +;\n}\n",
    );
    const r = await k.execute("1 + 1");
    assert.match(streamText(r.iopub, "stderr"), /helper\.ts changed but does not load \(the old code stays\)/);
    assert.equal(result(r.iopub), "2");
  });
});
