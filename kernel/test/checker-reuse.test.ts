/**
 * A cell checked by the checker of the program the language service already has (executor/checker-reuse.ts)
 * must give exactly what a program of its own gives: the same diagnostics, script, source map, warnings and
 * declarations for the next cells, cell after cell, over a session that imports, declares, fails and augments.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { createLanguageServer, newShared, type LanguageServer } from "../src/executor/language-server";
import { typeRoots } from "../src/executor/language-worker";
import { GLOBALS_DTS } from "../src/display/globals";
import type { LanguageRequest } from "../src/executor/language-protocol";

const FIXTURES = path.resolve(__dirname, "fixtures");

/** A session in order: later cells use what earlier ones declared and imported. */
const CELLS = [
  "const base = 2; let s = 'x';",
  "base * 2",
  'import Decimal from "decimal.js";',
  "new Decimal(1).plus(base).toString()",
  "const d: Decimal = new Decimal(2);\nd.toNumber()",
  "const bad: string = base;",
  "// @ts-expect-error\nconst e: string = 1;",
  "// @ts-expect-error\nconst f2: number = 1;",
  "enum Color { Red, Green }\nColor.Green",
  "const enum Fast { A = 3 }\nFast.A + 1",
  "Fast.A * 2",
  "interface P { x: number }\nfunction mk(x: number): P { return { x }; }\nmk(1).x",
  "class K { constructor(public v = base) {} get twice() { return this.v * 2; } }\nnew K().twice",
  "declare global { var gx: number }\nglobalThis.gx = 1;",
  "gx + 1",
  'type U = "a" | "b";\nconst u: U = "c";',
  "async function f() { return 1; }\nawait f()",
  'import * as fs from "node:fs";\nfs.existsSync("/")',
  'fs.existsSync("/") && base',
  "const { a, ...rest } = { a: 1, b: 2 };\nrest.b",
  "let counter = 0;\nfor (const x of [1, 2, 3]) counter += x;\ncounter",
  "function g() { return counter + base; }\ng()",
  'import("node:os").then((m) => m.platform())',
  "const big = [1, 2, 3].map((x) => x * base).reduce((p, q) => p + q);\nbig",
  "const x1 = 1;\nx1 = 2;",
  '/// <reference types="node" />\n1',
  "const = 5",
  "s.toUpperCase() + new K(3).twice + mk(2).x",
  'import Papa from "papaparse";\nPapa.parse("a,b").data.length',
  'Papa.parse("c").data.length + new Decimal(base).toNumber()',
  // a type the cell never names: its declaration needs a module specifier, `import("@folio/lib/rng").Rng`
  'import { rng } from "@folio/lib/rng";\nconst r0 = rng(1);',
  'const r1 = r0.derive("x");\nr1.uniform()',
  "const r2: string = r1;",
];

function session(reuse: boolean, cells = CELLS, dir = FIXTURES): { server: LanguageServer; results: unknown[] } {
  const before = process.env.FOLIO_REUSE_CHECKER;
  process.env.FOLIO_REUSE_CHECKER = reuse ? "1" : "0";
  try {
    const server = createLanguageServer(ts, {
      dir,
      globalsDts: GLOBALS_DTS,
      shared: newShared(ts, typeRoots()),
    });
    const results = cells.map((code, i) => {
      const id = i + 1;
      const compiled = server({
        seq: id,
        kind: "compile",
        id,
        code,
        fileName: `c${id}.ts`,
        check: true,
      } as LanguageRequest);
      // a cell commits only when it checked (the kernel runs it then)
      const committed = (compiled as { ok: boolean }).ok
        ? server({ seq: id, kind: "commit", id } as LanguageRequest)
        : undefined;
      return { code, compiled, committed };
    });
    return { server, results };
  } finally {
    if (before === undefined) delete process.env.FOLIO_REUSE_CHECKER;
    else process.env.FOLIO_REUSE_CHECKER = before;
  }
}

describe("a cell checked by a reused checker", function () {
  this.timeout(120000);
  const own = session(false);
  const reused = session(true);

  it("gives what a program of its own gives, cell after cell: diagnostics, script, map, warnings, declarations", () => {
    for (let i = 0; i < CELLS.length; i++) assert.deepEqual(reused.results[i], own.results[i], CELLS[i]);
  });

  it("is not vacuous: most cells took the reused checker, the failing ones and new imports did not", () => {
    assert.equal(own.server.reuse.reused, 0);
    const failed = own.results.filter((r) => !(r as { compiled: { ok: boolean } }).compiled.ok).length;
    assert.ok(failed >= 5, `${failed} cells fail to check`);
    // imports, augmentation, reference directive, dynamic import of a new module: a program of their own
    assert.ok(reused.server.reuse.reused >= CELLS.length - failed - 7, JSON.stringify(reused.server.reuse));
  });
});

describe("the workbook's notebooks checked with and without a reused checker", function () {
  this.timeout(300000);
  const NOTEBOOKS = path.resolve(__dirname, "..", "..", "notebooks");
  for (const file of fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")))
    it(`${file}: every cell's diagnostics, script, map and declarations are the same`, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), "utf8")) as {
        cells: { cell_type: string; source: string | string[] }[];
      };
      const cells = nb.cells
        .filter((c) => c.cell_type === "code")
        .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
      const own = session(false, cells, NOTEBOOKS);
      const reused = session(true, cells, NOTEBOOKS);
      for (let i = 0; i < cells.length; i++)
        assert.deepEqual(reused.results[i], own.results[i], `code cell ${i + 1}: ${cells[i].slice(0, 80)}`);
      assert.ok(reused.server.reuse.reused > 0, "some cells took the reused checker");
    });
});
