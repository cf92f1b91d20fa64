/** The runner with the Folio kernel (built in kernel/dist by `npm run build`). */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { KernelClient } from "../src/client";
import { notebook, problems, readJson, run, tmpdir, writeJson } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const KERNEL = path.join(ROOT, "kernel", "dist", "cli.js");

describe("ci runner with the folio kernel", function () {
  this.timeout(120_000);

  before(async function () {
    // a kernel that cannot start fails this suite: it must never be skipped silently
    assert.ok(fs.existsSync(KERNEL), `${KERNEL} is missing: run npm run build`);
    const k = await KernelClient.launch({ argv: [process.execPath, KERNEL, "--connection-file", "{connection_file}"], startTimeoutMs: 30_000, cwd: ROOT });
    await k.shutdown();
  });

  it("runs a TypeScript notebook, then tests it against its stored outputs; a dying kernel fails its cell", async () => {
    const d = tmpdir();
    const good = writeJson(path.join(d, "ts.ipynb"), notebook([
      "const x: number = 2 / 3;\nconsole.log(`x = ${x.toFixed(6)}`);",
      "x * 3",
      { source: "throw new Error(\"expected\");", tags: ["raises-exception"] },
    ], "folio"));
    writeJson(path.join(d, "exit.ipynb"), notebook(["let y = 1;", "process.exit(3);", "y"], "folio"));
    const r = await run({ paths: [d], update: true, root: ROOT });
    const by = new Map(r.results.map((x) => [x.name, x]));
    assert.equal(by.get("ts")!.status, "passed", problems(by.get("ts")!).join("\n"));
    assert.match(problems(by.get("exit")!)[0], /^cell 2 \(id c1\): kernel died \(exit code 3\) while running cell 2$/);
    const nb = readJson(good);
    assert.deepEqual(nb.cells[0].outputs, [{ name: "stdout", output_type: "stream", text: ["x = 0.666667\n"] }]);
    assert.equal(nb.cells[2].outputs[0].output_type, "error");
    const t = await run({ paths: [good], mode: "test", root: ROOT });
    assert.equal(t.lastLine, "1 passed, 0 failed", t.text);
    assert.ok(fs.existsSync(good));
  });
});
