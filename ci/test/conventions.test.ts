/** The conventions the runner reads: nbval's markers and tags, pytest's -k grammar, the nbformat schema. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cellDirectives, commentMarkers } from "../src/directives";
import { validateNotebook } from "../src/nbformat";
import { SelectError, matches, parseSelection } from "../src/select";
import { notebook } from "./helpers";

describe("ci conventions", () => {
  it("reads nbval's comment markers on a line of their own, with the notebook language's comment", () => {
    assert.deepEqual(
      commentMarkers("# NBVAL_SKIP\nx = 1  # NBVAL_IGNORE_OUTPUT\n  #  NBVAL_RAISES_EXCEPTION ", ["#"]),
      ["NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION"],
    );
    assert.deepEqual(commentMarkers("// NBVAL_CHECK_OUTPUT\n# NBVAL_SKIP", ["//"]), ["NBVAL_CHECK_OUTPUT"]);
    const cell = (source: string, tags?: string[]) => notebook([{ source, tags }]).cells[0];
    assert.deepEqual(cellDirectives(cell("// NBVAL_SKIP\nthrow 1"), "typescript"), {
      skip: true,
      raises: false,
      ignoreOutput: false,
      checkOutput: false,
    });
    assert.equal(cellDirectives(cell("# NBVAL_SKIP\nx"), "typescript").skip, false, "# is not a TypeScript comment");
    assert.deepEqual(
      cellDirectives(cell("x", ["nbval-raises-exception", "nbval-ignore-output", "nbval-check-output"]), "python"),
      { skip: false, raises: true, ignoreOutput: true, checkOutput: true },
    );
    assert.equal(cellDirectives(cell("x", ["skip-execution"]), "python").skip, true);
  });

  it("parses pytest's -k: words as case-insensitive substrings, not > and > or, parentheses", () => {
    const names = ["sub/03-graph.ipynb", "03-graph", "cell4", "ab12", "slow"];
    const t = (e: string) => matches(parseSelection(e), names);
    assert.equal(t("GRAPH"), true);
    assert.equal(t("graph and not slow"), false);
    assert.equal(t("nothing or cell4"), true);
    assert.equal(t("not (slow or fast) or ab12"), true);
    assert.equal(t("not slow and not ab12"), false);
    assert.throws(() => parseSelection("a and"), SelectError);
    assert.throws(() => parseSelection("(a"), /missing "\)"/);
  });

  it("every workbook notebook is valid nbformat 4.5 by the official schema", () => {
    const dir = path.join(__dirname, "..", "..", "notebooks");
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ipynb"))) {
      assert.equal(validateNotebook(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))), undefined, f);
    }
  });
});
