/**
 * `folio-kernel install|uninstall` (through the committed bin shim, as npm links it): where each mode writes, the
 * kernelspec's stable absolute argv, the PNG logos' sizes, and the front-end extensions beside the kernelspec.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "..", "bin", "folio-kernel.js");

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(1, 4).toString("latin1"), "PNG", `${file} is a PNG`);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe("folio-kernel install", function () {
  this.timeout(60_000);
  let tmp = "";
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "folio-install-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("--prefix: kernelspec with absolute node and CLI paths, PNG logos, nbextension enabled, JupyterLab extension", () => {
    const r = run(["install", "--prefix", tmp]);
    assert.equal(r.status, 0, r.stderr);
    const spec = path.join(tmp, "share", "jupyter", "kernels", "folio");
    const kernel = JSON.parse(fs.readFileSync(path.join(spec, "kernel.json"), "utf8"));
    assert.equal(kernel.argv[0], process.execPath);
    assert.ok(
      path.isAbsolute(kernel.argv[1])
        && fs.existsSync(kernel.argv[1])
        && kernel.argv[1].endsWith(path.join("dist", "cli.js")),
      kernel.argv[1],
    );
    assert.deepEqual(kernel.argv.slice(2), ["--connection-file", "{connection_file}"]);
    assert.equal(kernel.interrupt_mode, "message");
    assert.deepEqual(pngSize(path.join(spec, "logo-32x32.png")), [32, 32]);
    assert.deepEqual(pngSize(path.join(spec, "logo-64x64.png")), [64, 64]);
    assert.ok(fs.existsSync(path.join(spec, "logo-svg.svg")));

    const nbext = path.join(tmp, "share", "jupyter", "nbextensions", "folio");
    assert.deepEqual(fs.readdirSync(nbext).sort(), ["extension.js", "plotly.min.js"]);
    assert.deepEqual(
      JSON.parse(fs.readFileSync(path.join(tmp, "etc", "jupyter", "nbconfig", "notebook.d", "folio.json"), "utf8")),
      { load_extensions: { "folio/extension": true } },
    );

    const lab = path.join(tmp, "share", "jupyter", "labextensions", "@folio", "jupyterlab");
    const pkg = JSON.parse(fs.readFileSync(path.join(lab, "package.json"), "utf8"));
    assert.equal(pkg.name, "@folio/jupyterlab");
    assert.match(pkg.version, /^\d+\.\d+\.\d+/);
    assert.equal(pkg.jupyterlab._build.mimeExtension, "./mimeExtension");
    assert.ok(fs.existsSync(path.join(lab, pkg.jupyterlab._build.load)), pkg.jupyterlab._build.load);
    assert.ok(fs.statSync(path.join(lab, "static", "plotly.min.js")).size > 1_000_000);
    assert.match(r.stdout, /installed kernelspec folio in .*kernels\/folio/);
  });

  it("--user writes to JUPYTER_DATA_DIR and JUPYTER_CONFIG_DIR; --no-extensions writes the kernelspec alone", () => {
    const env = { JUPYTER_DATA_DIR: path.join(tmp, "data"), JUPYTER_CONFIG_DIR: path.join(tmp, "config") };
    assert.equal(
      run(["install", "--user", "--no-extensions", "--name", "folio-ts", "--display-name", "TS"], env).status,
      0,
    );
    assert.deepEqual(fs.readdirSync(path.join(tmp, "data")), ["kernels"]);
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(tmp, "data", "kernels", "folio-ts", "kernel.json"), "utf8")).display_name,
      "TS",
    );
    assert.equal(run(["install", "--user"], env).status, 0);
    assert.ok(fs.existsSync(path.join(tmp, "config", "nbconfig", "notebook.d", "folio.json")));
    assert.ok(fs.existsSync(path.join(tmp, "data", "nbextensions", "folio", "extension.js")));
  });

  it("--sys-prefix writes into the active environment, and says so when there is none", () => {
    assert.equal(run(["install", "--sys-prefix"], { VIRTUAL_ENV: tmp, CONDA_PREFIX: "" }).status, 0);
    assert.ok(fs.existsSync(path.join(tmp, "share", "jupyter", "kernels", "folio", "kernel.json")));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.VIRTUAL_ENV;
    delete env.CONDA_PREFIX;
    const r = spawnSync(process.execPath, [BIN, "install", "--sys-prefix"], { env, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr.trim(),
      "folio-kernel install: --sys-prefix: no active Python environment (set VIRTUAL_ENV or CONDA_PREFIX), use --user or --prefix",
    );
  });

  it("refuses unknown or conflicting options in one line, and uninstall removes everything install wrote", () => {
    assert.match(run(["install", "--prefx", tmp]).stderr, /^folio-kernel install: unknown option --prefx/);
    assert.match(run(["install", "--user", "--prefix", tmp]).stderr, /choose one of --user, --prefix, --sys-prefix/);
    assert.equal(run(["install", "--prefix", tmp]).status, 0);
    const r = run(["uninstall", "--prefix", tmp]);
    assert.equal(r.status, 0, r.stderr);
    const left = (d: string): string[] =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? left(path.join(d, e.name)) : [path.join(d, e.name)]));
    assert.deepEqual(left(tmp), []);
    const scope = path.join(tmp, "share", "jupyter", "labextensions", "@folio");
    assert.equal(fs.existsSync(scope), false, "the empty labextensions/@folio folder was left behind");
    // another extension of the scope is not ours to remove
    assert.equal(run(["install", "--prefix", tmp]).status, 0);
    fs.mkdirSync(path.join(scope, "other"));
    assert.equal(run(["uninstall", "--prefix", tmp]).status, 0);
    assert.deepEqual(fs.readdirSync(scope), ["other"]);
  });
});
