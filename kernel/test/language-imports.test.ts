/**
 * Module resolution across a session: the resolution cache outlives programs (language-host.ts), so what was
 * installed or written after earlier imports must still be found, and the snapshot's import warm-up
 * (warm-imports.ts) must check clean, or the snapshot build fails.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { createLanguageServer, newShared } from "../src/executor/language-server";
import type { CompileResult } from "../src/executor/language-protocol";
import { WARM_CELLS, WARM_PACKAGES } from "../src/executor/warm-imports";

const TYPE_ROOTS = [path.dirname(path.dirname(require.resolve("@types/node/package.json")))];

function session(dir: string) {
  const handle = createLanguageServer(ts, { dir, globalsDts: "", shared: newShared(ts, TYPE_ROOTS) });
  let id = 0;
  return (code: string): string => {
    id++;
    const r = handle({ seq: id, kind: "compile", id, code, fileName: `cell${id}`, check: true }) as CompileResult;
    if (!r.ok) return r.diagnostics.map((d) => `TS${d.code} ${d.message}`).join("; ");
    handle({ seq: id, kind: "commit", id });
    return r.warnings?.length ? `ok; ${r.warnings.join("; ")}` : "ok";
  };
}

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe("module resolution across a session", function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-imports-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds a local module and a package created after earlier imports, with their types", () => {
    write(path.join(dir, "a.ts"), "export const a = 1;\n");
    const cell = session(dir);
    assert.equal(cell('import { a } from "./a.ts";\na + 1'), "ok");
    write(path.join(dir, "b.ts"), "export const b = 'text';\n");
    write(path.join(dir, "node_modules", "late-pkg", "package.json"), '{"name":"late-pkg","types":"index.d.ts"}');
    write(path.join(dir, "node_modules", "late-pkg", "index.d.ts"), "export declare function late(): string;\n");
    assert.match(cell('import { b } from "./b.ts";\nconst n: number = b;'), /TS2322 Type 'string' is not assignable/);
    assert.match(cell('import { late } from "late-pkg";\nconst m: number = late();'), /TS2322 Type 'string'/);
  });

  it("a package imported untyped is typed at the next new import once its @types are installed", () => {
    write(path.join(dir, "node_modules", "bare-pkg", "package.json"), '{"name":"bare-pkg","main":"index.js"}');
    write(path.join(dir, "node_modules", "bare-pkg", "index.js"), "exports.size = () => 3;\n");
    write(path.join(dir, "local.ts"), "export const local = 1;\n");
    const cell = session(dir);
    assert.match(cell('import * as bare from "bare-pkg";\nbare.size()'), /^ok; warning: "bare-pkg" has no type/);
    write(
      path.join(dir, "node_modules", "@types", "bare-pkg", "index.d.ts"),
      "export declare function size(): number;\n",
    );
    assert.match(
      cell('import { local } from "./local.ts";\nconst s: string = bare.size() + local;'),
      /TS2322 Type 'number' is not assignable to type 'string'/,
    );
  });

  it("the snapshot's import warm-up cells check clean against their packages", () => {
    for (const [rel, text] of WARM_PACKAGES) write(path.join(dir, rel), text);
    const cell = session(dir);
    assert.deepEqual(
      WARM_CELLS.map((c) => cell(c)),
      WARM_CELLS.map(() => "ok"),
    );
    // and they are checked, not waved through: a misuse of the same packages fails
    assert.match(cell('import Amount from "folio-warm-numeric";\nnew Amount(1).plus(true)'), /TS2345/);
  });
});
