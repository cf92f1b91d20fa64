/**
 * Folio as a stranger gets it: `npm pack` the three packages (protocol, kernel, runner), `npm install` the
 * tarballs into a project outside this repository, and there install the kernelspec (no Python), start the
 * kernel through jupyter_client, and `npx folio test` a notebook that imports a package from the project's own
 * node_modules and a local `.ts` file, plus a Python notebook through ipykernel. A notebook whose stored output
 * is wrong must fail (the control). Prints the packed sizes and the time from `npm install` to a first executed
 * cell. Needs the packages built (`npm run build`, as `npm test` does first); skipped with FOLIO_SKIP_JUPYTER=1.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PYTHON, ROOT, discard, isolatedEnv, notebook, scratchDir, sh } from "./helpers";

const WORKSPACES = ["protocol", "kernel", "ci"];
const TS = { name: "folio", language: "typescript" };

interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** Starts the installed kernelspec through jupyter_client, runs one cell, prints its result and the clock. */
const CLIENT = String.raw`
import json, sys, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="folio", cwd=sys.argv[1], startup_timeout=120)
try:
    msg_id = kc.execute(sys.argv[2])
    reply = kc.get_shell_msg(timeout=120)
    done = time.time()
    result = None
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") != msg_id: continue
        if m["msg_type"] == "execute_result": result = m["content"]["data"]["text/plain"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle": break
    print(json.dumps({"status": reply["content"]["status"], "result": result, "argv": km.kernel_spec.argv, "at": done * 1000}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
`;

describe("packed packages installed into a project outside the repository", function () {
  this.timeout(600_000);
  let tmp = "",
    project = "",
    env: NodeJS.ProcessEnv = {},
    packed: Packed[] = [];

  before(function () {
    if (process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    for (const w of WORKSPACES)
      assert.ok(fs.existsSync(path.join(ROOT, w, "dist")), `${w}/dist is missing: run npm run build first`);
    tmp = scratchDir("folio-pack-");
    env = isolatedEnv(path.join(tmp, "home"));
    project = path.join(tmp, "project");
    fs.mkdirSync(project);
  });

  after(() => discard(tmp));

  it("packs each package without the machine-specific snapshot, sources or tests", () => {
    const r = sh(
      "npm",
      ["pack", ...WORKSPACES.flatMap((w) => ["--workspace", w]), "--pack-destination", tmp, "--json"],
      { cwd: ROOT, env },
    );
    packed = JSON.parse(r.stdout.slice(r.stdout.indexOf("[")));
    assert.deepEqual(packed.map((p) => p.name).sort(), ["@folio/kernel", "@folio/protocol", "@folio/runner"]);
    for (const p of packed) {
      const bad = p.files.map((f) => f.path).filter((f) => /\.blob|^src\/|^test\/|\.tsbuildinfo$|\.tmp/.test(f));
      assert.deepEqual(bad, [], `${p.name} packs ${bad.join(", ")}`);
      const dir = WORKSPACES.find(
        (w) => JSON.parse(fs.readFileSync(path.join(ROOT, w, "package.json"), "utf8")).name === p.name,
      )!;
      // dist/assets/ is built, not compiled: the report's widget bundle, so that the runner needs neither esbuild
      // nor the widget packages at run time
      const stale = p.files
        .map((f) => f.path)
        .filter((f) => /^dist\/.*\.(js|d\.ts)$/.test(f) && !f.startsWith("dist/assets/"))
        .filter(
          (f) => !fs.existsSync(path.join(ROOT, dir, f.replace(/^dist\//, "src/").replace(/(\.d\.ts|\.js)$/, ".ts"))),
        );
      assert.deepEqual(stale, [], `${p.name} packs compiled files whose source is gone`);
      assert.ok(p.size < (p.name === "@folio/runner" ? 1_500_000 : 1_000_000), `${p.name}: ${p.size} bytes packed`);
    }
    assert.ok(
      packed.find((p) => p.name === "@folio/runner")!.files.some((f) => f.path === "dist/assets/widgets/widgets.js"),
      "the runner packs its widget bundle",
    );
    const kernel = packed.find((p) => p.name === "@folio/kernel")!.files.map((f) => f.path);
    for (const f of [
      "bin/folio-kernel.js",
      "dist/cli.js",
      "dist/assets/start.js",
      "frontend/logo-64x64.png",
      "frontend/nbextension/extension.js",
      "frontend/labextension/remoteEntry.js",
    ])
      assert.ok(kernel.includes(f), f);
    console.log(
      `      packed: ${packed.map((p) => `${p.name} ${(p.size / 1024).toFixed(0)} kB (${(p.unpackedSize / 1024).toFixed(0)} kB unpacked, ${p.files.length} files)`).join("; ")}`,
    );
  });

  it("installs with plain npm install, installs the kernelspec without Python, runs a first cell through jupyter_client", () => {
    assert.ok(packed.length, "packed first");
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "outside-project", version: "1.0.0", private: true }, null, 2),
    );
    fs.writeFileSync(
      path.join(project, "helper.ts"),
      "export function twice(x: number): number {\n  return 2 * x;\n}\n",
    );
    const t0 = Date.now();
    const install = sh(
      "npm",
      ["install", "--prefer-offline", ...packed.map((p) => path.join(tmp, p.filename)), "is-path-inside@4.0.0"],
      { cwd: project, env },
    );
    const spec = sh("npx", ["--no", "folio", "kernel", "install", "--user"], { cwd: project, env });
    const kernelJson = JSON.parse(
      fs.readFileSync(path.join(env.JUPYTER_DATA_DIR!, "kernels", "folio", "kernel.json"), "utf8"),
    );
    assert.ok(
      path.isAbsolute(kernelJson.argv[0]) && fs.existsSync(kernelJson.argv[0]),
      `argv[0] ${kernelJson.argv[0]}`,
    );
    assert.equal(kernelJson.argv[1], path.join(project, "node_modules", "@folio", "kernel", "dist", "cli.js"));
    // the installed kernel starts from its bundle (every module it holds unchanged by packing and installing)
    const bundleJs = path.join(project, "node_modules", "@folio", "kernel", "dist", "bundle.js");
    const bundled = sh(
      process.execPath,
      ["-e", `process.stdout.write(typeof require(${JSON.stringify(bundleJs)}).loadBundle()?.startKernel)`],
      { cwd: project, env },
    );
    assert.equal(bundled.stdout.trim(), "function", "the installed kernel's start bundle is current");
    const code =
      'import isPathInside from "is-path-inside";\nimport { twice } from "./helper.ts";\n[isPathInside("/a/b", "/a"), twice(21)]';
    const client = sh(PYTHON, ["-c", CLIENT, project, code], { cwd: project, env });
    const out = JSON.parse(client.stdout.trim().split("\n").pop()!);
    assert.deepEqual({ status: out.status, result: out.result }, { status: "ok", result: "[ true, 42 ]" });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `      npm install → first executed cell: ${s(out.at - t0)} (npm install ${s(install.ms)}, kernelspec ${s(spec.ms)}, kernel start + first cell ${s(out.at - t0 - install.ms - spec.ms)})`,
    );
  });

  it("npx folio test passes the project's TypeScript notebook and a Python notebook, and fails a wrong stored output", () => {
    const write = (name: string, nb: object) => fs.writeFileSync(path.join(project, name), JSON.stringify(nb, null, 1));
    write(
      "demo.ipynb",
      notebook(TS, [
        {
          source:
            'import isPathInside from "is-path-inside";\nimport { twice } from "./helper.ts";\n[isPathInside("/a/b", "/a"), twice(21)]',
          outputs: [
            { output_type: "execute_result", execution_count: 1, metadata: {}, data: { "text/plain": "[ true, 42 ]" } },
          ],
        },
        {
          source: "console.log(`${twice(2)} ok`)",
          outputs: [{ output_type: "stream", name: "stdout", text: "4 ok\n" }],
        },
      ]),
    );
    write(
      "python.ipynb",
      notebook({ name: "python3", language: "python" }, [
        { source: "print(6 * 7)", outputs: [{ output_type: "stream", name: "stdout", text: "42\n" }] },
      ]),
    );
    write(
      "control.ipynb",
      notebook(TS, [
        {
          source: 'import { twice } from "./helper.ts";\ntwice(21)',
          outputs: [{ output_type: "execute_result", execution_count: 1, metadata: {}, data: { "text/plain": "43" } }],
        },
      ]),
    );
    const ok = sh("npx", ["--no", "folio", "test", "--no-cache", "--no-out", "demo.ipynb", "python.ipynb"], {
      cwd: project,
      env,
      allowFail: true,
    });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /2 passed, 0 failed/);
    const bad = sh("npx", ["--no", "folio", "test", "--no-cache", "--no-out", "control.ipynb"], {
      cwd: project,
      env,
      allowFail: true,
    });
    assert.notEqual(bad.status, 0, bad.stdout);
    assert.match(bad.stdout, /0 passed, 1 failed/);
    assert.match(bad.stdout, /43/, "the failure shows the stored output that differs");
  });
});
