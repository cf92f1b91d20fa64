/**
 * stdin, comms and every message of the widgets protocol, driven by Debian's jupyter_client (Python) against
 * the installed kernelspec: `interactive_jupyter_client.py` beside this file, one kernel for all of its tests.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const PY = "/usr/bin/python3";

describe("stdin, comms and widgets over jupyter_client", function () {
  this.timeout(240000);

  it("passes interactive_jupyter_client.py", function () {
    if (process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    const probe = spawnSync(PY, ["-c", "import jupyter_client"], { encoding: "utf8" });
    assert.equal(
      probe.status,
      0,
      `python3 cannot import jupyter_client: install the Debian package python3-jupyter-client, or set FOLIO_SKIP_JUPYTER=1.\n${probe.stderr}`,
    );
    const prefix = mkdtempSync(path.join(os.tmpdir(), "folio-spec-"));
    const { installKernelspec } = require("../dist/install") as typeof import("../src/install");
    installKernelspec({ prefix });
    const root = path.resolve(__dirname, "..", "..");
    const env = {
      ...process.env,
      JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
    const r = spawnSync(
      PY,
      ["-m", "unittest", "-v", path.relative(root, path.join(__dirname, "interactive_jupyter_client.py"))],
      { cwd: root, env, encoding: "utf8", timeout: 230000 },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.match(out, /Ran 18 tests/);
    assert.doesNotMatch(out, /skipped|FAIL|ERROR/, out);
  });
});
