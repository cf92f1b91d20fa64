import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CONFIG, findRoot, loadConfig, notebookTimeouts } from "../src/config";
import { tmpdir } from "./helpers";

describe("ci config", () => {
  it("is found at the project root and merged over the defaults", () => {
    const root = tmpdir();
    fs.mkdirSync(path.join(root, "notebooks", "sub"), { recursive: true });
    fs.writeFileSync(
      path.join(root, "folio.config.json"),
      JSON.stringify({
        tolerance: { rel: 0.01 },
        sanitizers: [{ regex: "id-\\d+", replace: "id-N" }],
        cellTimeout: 30,
      }),
    );
    assert.equal(findRoot(path.join(root, "notebooks", "sub")), root);
    const c = loadConfig(root);
    assert.deepEqual(c.tolerance, { rel: 0.01, abs: DEFAULT_CONFIG.tolerance.abs });
    assert.equal(c.sanitizers[0].replace, "id-N");
    assert.equal(c.cellTimeout, 30);
    assert.equal(c.timeout, DEFAULT_CONFIG.timeout);
  });

  it("rejects a malformed config or a bad regex in one line", () => {
    const root = tmpdir();
    fs.writeFileSync(path.join(root, "folio.config.json"), "{ nope");
    assert.throws(
      () => loadConfig(root),
      /^Error: config .*folio\.config\.json: malformed JSON at line 1, column 3: expected a property name in double quotes, found "n"$/,
    );
    fs.writeFileSync(path.join(root, "folio.config.json"), JSON.stringify({ sanitizers: ["(unclosed"] }));
    assert.throws(() => loadConfig(root), /sanitizer 1: Invalid regular expression/);
    assert.throws(() => loadConfig(root, path.join(root, "missing.json")), /no such file/);
  });

  it("takes timeouts from the CLI, then notebook metadata, then the config", () => {
    const md = { folio: { timeout: 100, cell_timeout: 10 } };
    assert.deepEqual(notebookTimeouts(DEFAULT_CONFIG, md, {}), { timeout: 100, cellTimeout: 10 });
    assert.deepEqual(notebookTimeouts(DEFAULT_CONFIG, md, { cellTimeout: 5 }), { timeout: 100, cellTimeout: 5 });
    assert.deepEqual(notebookTimeouts(DEFAULT_CONFIG, {}, {}), {
      timeout: DEFAULT_CONFIG.timeout,
      cellTimeout: DEFAULT_CONFIG.cellTimeout,
    });
  });
});
