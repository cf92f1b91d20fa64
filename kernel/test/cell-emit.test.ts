/**
 * A checked cell's JavaScript comes from the program that checked it (executor/cell-emit.ts), no longer from a
 * `transpileModule` of its own: for the same cells both must give the same script and a source map that points
 * into the cell as the user wrote it, whatever prelude of earlier cells' declarations preceded it in the check.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { createLanguageServer, newShared } from "../src/executor/language-server";
import { typeRoots } from "../src/executor/language-worker";
import { GLOBALS_DTS } from "../src/display/globals";
import { transpileCell } from "../src/executor/transform";
import { decodeMappings, encodeMappings, lookup } from "../src/executor/sourcemap";
import type { CompileResult, LanguageRequest } from "../src/executor/language-protocol";

describe("a checked cell is emitted by its own program", function () {
  this.timeout(60000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-emit-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const handle = createLanguageServer(ts, { dir, globalsDts: GLOBALS_DTS, shared: newShared(ts, typeRoots()) });
  let seq = 0;
  const compile = (code: string): CompileResult => {
    const id = ++seq;
    const r = handle({ seq: id, kind: "compile", id, code, fileName: `c${id}.ts`, check: true } as LanguageRequest);
    handle({ seq: id, kind: "commit", id } as LanguageRequest);
    return r as CompileResult;
  };
  // Earlier cells' names enter the prelude of later checks; none is captured by a function (that would make the
  // two paths' local/global choice differ only because transpileCell is called here without the session's names).
  const cells = [
    "const base = 2; let s = 'x';",
    "const y = base * 2;\ny + 1",
    "class A { x = 1; static n = base; constructor(public p: number) {} }\nnew A(2).x",
    "import * as fs from 'node:fs';\nimport { join } from 'node:path';\ntype T = { a: number };\nconst t: T = { a: 1 };\njoin('a', 'b')",
    "fs.existsSync('/') && t.a",
    "for (let i = 0; i < 3; i++) { s += i; }\nawait Promise.resolve(s)",
    "export const ex = 1;\nex",
    "namespace NS { export const v = 1; }\nNS.v",
    "declare const g: number;\n// a comment\n/** doc */\nconst z = 1 satisfies number;\nz",
    "const m = import.meta.url; const d = await import('node:os'); d.platform()",
  ];

  it("gives the script transpileModule gave, cell after cell", () => {
    for (const code of cells) {
      const r = compile(code);
      assert.ok(r.ok, `${code}: ${JSON.stringify(r)}`);
      const t = transpileCell(ts, code, "x.ts", new Set());
      const norm = (s: string) => s.replace(/\n+/g, "\n").trim();
      assert.equal(norm(r.js), norm(t.js), code);
    }
  });

  it("maps the script back to the cell's own lines and columns past a prelude and inserted exports", () => {
    compile("const preludeA = 1;\ninterface PreludeI { k: number }");
    const code = "const v: PreludeI = { k: preludeA }; const w = 2;\nfunction f() {\n  return missing();\n}";
    const r = compile(`declare function missing(): number;\n${code}`);
    assert.ok(r.ok);
    const js = r.js.split("\n");
    const line = js.findIndex((l) => l.includes("missing()"));
    const map = decodeMappings((JSON.parse(r.map) as { mappings: string }).mappings);
    // the cell sent was `declare …` + code: `missing()` is on its line 4 (0-based 3), column 9 (0-based)
    assert.deepEqual(lookup(map, line, js[line].indexOf("missing")), { line: 3, col: 9 });
    const w = js.findIndex((l) => l.includes("w = 2"));
    assert.deepEqual(lookup(map, w, js[w].indexOf("w = 2")), { line: 1, col: 43 }, "after an inserted `export `");
  });

  it("encodes source-map segments as it decodes them", () => {
    const lines: [number, number, number][][] = [
      [
        [0, 0, 0],
        [4, 0, 6],
        [30, 2, 1],
      ],
      [],
      [
        [2, 3, 0],
        [40, 1, 17],
      ],
    ];
    assert.deepEqual(decodeMappings(encodeMappings(lines)), lines);
  });
});
