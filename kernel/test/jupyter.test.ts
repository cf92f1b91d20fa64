/**
 * Jupyter's own tools against the installed kernelspec: Debian's jupyter_kernel_test suite and
 * `jupyter nbconvert --execute` on a sample notebook. The kernelspec goes to a temporary prefix (JUPYTER_PATH).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { installKernelspec } from "../src/install";

const PY = "/usr/bin/python3";
const HERE = __dirname;

describe("Jupyter tools against the folio kernelspec", function () {
  this.timeout(180000);
  let env: NodeJS.ProcessEnv;
  let prefix: string;

  before(() => {
    prefix = mkdtempSync(path.join(os.tmpdir(), "folio-spec-"));
    // installKernelspec points argv at the compiled cli beside install.js: use the built one.
    const { installKernelspec: installBuilt } = require("../dist/install") as {
      installKernelspec: typeof installKernelspec;
    };
    installBuilt({ prefix });
    env = {
      ...process.env,
      JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
      FOLIO_PLOTLY_HTML: "none",
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
  });

  it("installs a kernelspec that jupyter lists", () => {
    const dir = path.join(prefix, "share", "jupyter", "kernels", "folio");
    const spec = JSON.parse(readFileSync(path.join(dir, "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "TypeScript (Folio)");
    assert.equal(spec.language, "typescript");
    assert.deepEqual(spec.argv, [
      process.execPath,
      path.resolve(HERE, "..", "dist", "cli.js"),
      "--connection-file",
      "{connection_file}",
    ]);
    if (process.env.FOLIO_SKIP_JUPYTER === "1") return;
    const r = spawnSync(PY, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).kernelspecs.folio.resource_dir, dir);
  });

  it("passes every test of jupyter_kernel_test", function () {
    if (process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    const probe = spawnSync(PY, ["-c", "import jupyter_kernel_test"], { encoding: "utf8" });
    assert.equal(
      probe.status,
      0,
      `python3 cannot import jupyter_kernel_test: install the Debian package python3-jupyter-kernel-test (apt-get install python3-jupyter-kernel-test), or set FOLIO_SKIP_JUPYTER=1.\n${probe.stderr}`,
    );
    // By path from the repo root, so that `import jupyter_kernel_test` inside finds Debian's package, not this file.
    const root = path.resolve(HERE, "..", "..");
    const r = spawnSync(PY, ["-m", "unittest", "-v", path.relative(root, path.join(HERE, "jupyter_kernel_test.py"))], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 170000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.match(out, /Ran 12 tests/);
    assert.doesNotMatch(out, /skipped|FAIL|ERROR/, out);
  });

  it("executes a sample notebook with jupyter nbconvert --execute", function () {
    if (process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    const nbconvert = "/usr/bin/jupyter-nbconvert";
    const probe = spawnSync(nbconvert, ["--version"], { encoding: "utf8" });
    assert.equal(
      probe.status,
      0,
      `${nbconvert} missing: install the Debian package jupyter-nbconvert, or set FOLIO_SKIP_JUPYTER=1`,
    );
    const outDir = mkdtempSync(path.join(os.tmpdir(), "folio-nb-"));
    const r = spawnSync(
      nbconvert,
      [
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.timeout=120",
        "--output-dir",
        outDir,
        "--output",
        "sample.out.ipynb",
        path.join(HERE, "fixtures", "sample.ipynb"),
      ],
      { env, encoding: "utf8", timeout: 170000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const nb = JSON.parse(readFileSync(path.join(outDir, "sample.out.ipynb"), "utf8"));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    const text = (x: string | string[]) => (Array.isArray(x) ? x.join("") : x);
    assert.deepEqual(
      code.map((c: { execution_count: number }) => c.execution_count),
      [1, 2, 3, 4],
    );
    assert.deepEqual(code[0].outputs, []);
    assert.equal(code[1].outputs[0].output_type, "stream");
    assert.equal(text(code[1].outputs[0].text), "x = 20\n");
    assert.equal(code[1].outputs[1].output_type, "execute_result");
    assert.equal(text(code[1].outputs[1].data["text/plain"]), "42");
    assert.equal(code[2].outputs[0].output_type, "display_data");
    assert.equal(text(code[2].outputs[0].data["text/html"]), "<b>rich</b>");
    const plot = code[3].outputs[0];
    assert.deepEqual(plot.data["application/vnd.plotly.v1+json"].data, [
      { x: [1, 2, 3], y: [2, 4, 8], type: "scatter" },
    ]);
    assert.equal(plot.data["text/html"], undefined, "FOLIO_PLOTLY_HTML=none omits the HTML fallback");
  });
});
