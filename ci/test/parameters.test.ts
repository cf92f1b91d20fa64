/** Papermill-compatible parameters: value typing, YAML, the Python translation, injection and the TypeScript check. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  PyFloat,
  injectParameters,
  mergeParams,
  parameterSource,
  pyFloatRepr,
  pythonValue,
  resolveType,
  textExpectedWarning,
  typedFromText,
  unknownParameters,
  type Params,
} from "../src/parameters";
import { notebook, tmpdir } from "./helpers";

const PY = "/usr/bin/python3";
const py = (code: string, ...args: string[]) => {
  const r = spawnSync(PY, ["-c", code, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

describe("ci parameters (papermill)", () => {
  it("translates values exactly as papermill's PythonTranslator (its own test table)", () => {
    // expected strings from papermill/tests/test_translators.py (test_translate_type_python, test_translate_codify_python)
    const table: [unknown, string][] = [
      ["foo", '"foo"'],
      ['{"foo": "bar"}', '"{\\"foo\\": \\"bar\\"}"'],
      [{ foo: "bar" }, '{"foo": "bar"}'],
      [{ foo: '"bar"' }, '{"foo": "\\"bar\\""}'],
      [{ foo: ["bar"] }, '{"foo": ["bar"]}'],
      [{ foo: { bar: "baz" } }, '{"foo": {"bar": "baz"}}'],
      [["foo", '"bar"'], '["foo", "\\"bar\\""]'],
      [12345, "12345"],
      [-54321, "-54321"],
      [new PyFloat(1.2345), "1.2345"],
      [new PyFloat(-5432.1), "-5432.1"],
      [new PyFloat(NaN), "float('nan')"],
      [new PyFloat(-Infinity), "float('-inf')"],
      [new PyFloat(Infinity), "float('inf')"],
      [true, "True"],
      [false, "False"],
      [null, "None"],
    ];
    for (const [v, want] of table) assert.equal(pythonValue(v as never), want, JSON.stringify(v));
    assert.equal(parameterSource({ foo: "bar", baz: ["buz"] }, "python"), '# Parameters\nfoo = "bar"\nbaz = ["buz"]\n');
    assert.equal(parameterSource({ foo: new PyFloat(1.1) }, "python"), "# Parameters\nfoo = 1.1\n");
  });

  it("prints floats as Python's repr and strings as unicode_escape does", () => {
    const xs = [
      0.1,
      1,
      1e-5,
      0.0001,
      123456789.5,
      1e16,
      1.5e16,
      9999999999999998,
      2.5e-300,
      -0.0,
      1 / 3,
      6.02214076e23,
      100,
    ];
    const want = py("import sys,json\nfor x in json.loads(sys.argv[1]): print(repr(float(x)))", JSON.stringify(xs))
      .trim()
      .split("\n");
    want[xs.indexOf(-0.0)] = "-0.0"; // JSON has no negative zero
    assert.deepEqual(xs.map(pyFloatRepr), want);
    const s = 'tab\t nl\n quote" back\\ é ü ☃ 😀 \x01 \x7f';
    assert.equal(
      pythonValue(s),
      py(
        "import sys\ns=sys.argv[1]\nprint('\"' + s.encode('unicode_escape').decode('utf-8').replace('\"', '\\\\\"') + '\"')",
        s,
      ).trimEnd(),
    );
  });

  it("types -p values as papermill's _resolve_type, reads YAML as PyYAML's SafeLoader without dates, merges in papermill's order", () => {
    assert.deepEqual(
      [resolveType("True"), resolveType("None"), resolveType("12"), resolveType("abc"), resolveType("true")],
      [true, null, 12, "abc", "true"],
    );
    assert.ok(
      resolveType("0.5") instanceof PyFloat
        && resolveType("1e3") instanceof PyFloat
        && resolveType("inf") instanceof PyFloat,
    );
    const d = tmpdir();
    const file = path.join(d, "p.yaml");
    const doc = "a: 1.0\nb: yes\nc: 2020-01-02\nd: 1e3\ne: [1, 2.5, ~]\nf: {k: v}\ng: hello\n";
    fs.writeFileSync(file, doc);
    const p = mergeParams([
      { file },
      { yaml: "g: from-y" },
      { name: "a", value: "7" },
      { name: "b", value: "7", raw: true },
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(p)), {
      a: 7,
      b: "7",
      c: "2020-01-02",
      d: "1e3",
      e: [1, 2.5, null],
      f: { k: "v" },
      g: "from-y",
    });
    // the same YAML through PyYAML with papermill's NoDatesSafeLoader, then our translation executed by Python: equal values
    const ours = mergeParams([{ file }]);
    const code = `import yaml, sys
class L(yaml.SafeLoader):
    yaml_implicit_resolvers = {k: [r for r in v if r[0] != 'tag:yaml.org,2002:timestamp'] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
want = yaml.load(open(sys.argv[1]).read(), Loader=L)
ns = {}
exec(sys.argv[2], ns)
got = {k: ns[k] for k in want}
print(got == want and all(type(got[k]) is type(want[k]) for k in want))`;
    assert.equal(py(code, file, parameterSource(ours, "python")!).trim(), "True");
  });

  it("says which -f file or -y text is wrong, where, and how", () => {
    const d = tmpdir();
    const f = (name: string, text: string) => {
      const file = path.join(d, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const missing = path.join(d, "nope.yaml");
    assert.throws(() => mergeParams([{ file: missing }]), {
      message: `-f ${missing}: cannot read ${missing}: no such file or directory`,
    });
    assert.throws(() => mergeParams([{ file: d }]), { message: `-f ${d}: cannot read ${d}: is a directory` });
    const indent = f("indent.yaml", "a: 1\n  b: 2\n");
    assert.throws(() => mergeParams([{ file: indent }]), {
      message: `-f ${indent}: malformed YAML at ${indent}:2:4: bad indentation of a mapping entry`,
    });
    const list = f("list.yaml", "- 1\n- 2\n");
    assert.throws(() => mergeParams([{ file: list }]), {
      message: `-f ${list}: parameters must be a mapping of names to values (name: value), not a list`,
    });
    assert.throws(() => mergeParams([{ yaml: "a: [1" }]), {
      message: '-y "a: [1": malformed YAML at line 1, column 6: unexpected end of the stream within a flow collection',
    });
    assert.throws(() => mergeParams([{ yaml: "5" }]), {
      message: '-y "5": parameters must be a mapping of names to values (name: value), not the number 5',
    });
  });

  it("injects a cell tagged injected-parameters after the parameters cell (or at the top), replacing an earlier one", () => {
    const nb = notebook(["import x", { source: "lr = 0.1", tags: ["parameters"] }, "print(lr)"]);
    const r = injectParameters(nb, { lr: new PyFloat(0.5) }, "python", "nb.ipynb");
    assert.ok("notebook" in r);
    assert.deepEqual(
      r.notebook.cells.map((c) => c.source),
      ["import x", "lr = 0.1", "# Parameters\nlr = 0.5\n", "print(lr)"],
    );
    assert.deepEqual(r.notebook.cells[2].metadata, { tags: ["injected-parameters"] });
    assert.deepEqual((r.notebook.metadata.papermill as { parameters: unknown }).parameters, { lr: 0.5 });
    const again = injectParameters(r.notebook, { lr: 2 }, "python", "nb.ipynb");
    assert.ok("notebook" in again);
    assert.deepEqual(
      again.notebook.cells.map((c) => c.source),
      ["import x", "lr = 0.1", "# Parameters\nlr = 2\n", "print(lr)"],
    );
    const top = injectParameters(notebook(["print(1)"]), { n: 1 }, "python", "nb.ipynb");
    assert.ok("notebook" in top && top.notebook.cells[0].id === "injected-parameters");
    assert.deepEqual(nb.cells.length, 3, "the input is not changed");
    const r2 = injectParameters(nb, { n: 1 }, "r", "nb.ipynb");
    assert.ok("problem" in r2 && /no parameter translator for language "r"/.test(r2.problem.message));
    const r3 = injectParameters(nb, { "a b": 1 }, "python", "nb.ipynb");
    assert.ok("problem" in r3 && /not an identifier/.test(r3.problem.message));
  });

  it("type-checks TypeScript parameters against the parameters cell before anything runs", function () {
    this.timeout(30_000);
    const d = tmpdir();
    const nb = notebook(
      [
        "const base = 2;",
        {
          source:
            'let lr = 0.1;\nconst epochs = 3;\nconst mode: "fast" | "slow" = "fast";\nconst names: string[] = [];',
          tags: ["parameters"],
        },
        "console.log(lr)",
      ],
      "folio",
    );
    const file = path.join(d, "p.ipynb");
    const ok = injectParameters(
      nb,
      { lr: new PyFloat(0.5), epochs: 10, mode: "slow", names: ["a"], extra: "x" } as Params,
      "typescript",
      file,
    );
    assert.ok("notebook" in ok, JSON.stringify(ok));
    // the declaration kind and type annotation the parameters cell wrote: `let` stays `let`; unknown names get `const`
    assert.equal(
      ok.notebook.cells[2].source,
      '// Parameters\nlet lr = 0.5;\nconst epochs = 10;\nconst mode: "fast" | "slow" = "slow";\nconst names: string[] = ["a"];\nconst extra = "x";\n',
    );
    assert.deepEqual([ok.unknown, ok.known], [["extra"], ["lr", "epochs", "mode", "names"]]);
    const bad = injectParameters(nb, { lr: "abc" }, "typescript", file);
    assert.ok("problem" in bad);
    assert.deepEqual(bad.problem.cell, { index: 1, id: "c1" });
    assert.equal(
      bad.problem.message,
      "parameter lr = \"abc\": Type 'string' is not assignable to type 'number'. (the parameters cell declares `let lr = 0.1`)",
    );
    const bad2 = injectParameters(nb, { mode: "medium" }, "typescript", file);
    assert.ok(
      "problem" in bad2 && /Type '"medium"' is not assignable to type '"fast" \| "slow"'/.test(bad2.problem.message),
      JSON.stringify(bad2),
    );
  });

  it("reports names the parameters cell does not declare, and suggests -r when a typed -p value was meant as text", function () {
    this.timeout(30_000);
    const py = injectParameters(
      notebook([{ source: "alpha = 1\nname: str = 'x'\nif alpha == 2: pass", tags: ["parameters"] }]),
      { alpha: 2, alhpa: 3 },
      "python",
      "nb.ipynb",
    );
    assert.ok("notebook" in py);
    assert.deepEqual([py.unknown, py.known], [["alhpa"], ["alpha", "name"]]);
    assert.equal(
      unknownParameters(py.unknown, py.known),
      "unknown parameter alhpa (injected, but the parameters cell declares alpha, name)",
    );
    // Python has no types: a typed -p value where the cell assigns text is warned of, with the -r to use
    const label = injectParameters(
      notebook([{ source: "name = 'x'\nalpha = 1", tags: ["parameters"] }]),
      { name: 7, alpha: 3 },
      "python",
      "nb.ipynb",
      { typedFromText: { name: "007", alpha: "3" } },
    );
    assert.ok("notebook" in label);
    assert.deepEqual(label.textExpected.map(textExpectedWarning), [
      "-p name 007 is typed as 7, but the parameters cell assigns text (name = 'x'); to pass it as text, use -r name 007",
    ]);
    const top = injectParameters(notebook(["print(1)"]), { n: 1, m: 2 }, "python", "nb.ipynb");
    assert.ok("notebook" in top && top.known === undefined);
    assert.equal(
      unknownParameters(top.unknown, top.known),
      "no cell is tagged parameters, so the parameters n, m went into a cell at the top",
    );

    // -p label 5 types 5 as a number; -r label 5 (or a later -r) keeps it text
    assert.deepEqual(
      typedFromText([
        { name: "label", value: "5" },
        { name: "n", value: "abc" },
        { name: "k", value: "1" },
        { name: "k", value: "2", raw: true },
        { name: "j", value: "abc" },
        { name: "j", value: "3" },
      ]),
      { label: "5", j: "3" },
    );
    const nb = notebook([{ source: 'let label = "base";\nlet n = 1;', tags: ["parameters"] }], "folio");
    const file = path.join(tmpdir(), "p.ipynb");
    const text = injectParameters(nb, { label: 5 }, "typescript", file, { typedFromText: { label: "5" } });
    assert.ok("problem" in text);
    assert.match(
      text.problem.message,
      /^parameter label = 5: Type 'number' is not assignable to type 'string'\..*; to pass it as text, use -r label 5$/,
    );
    const num = injectParameters(nb, { n: "x y" }, "typescript", file, { typedFromText: {} });
    assert.ok("problem" in num && !/-r/.test(num.problem.message), "no -r hint where text was given");
  });
});
