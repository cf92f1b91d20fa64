/**
 * The README's commands on a fresh clone: `git clone` this working tree (its uncommitted changes and untracked
 * files laid over HEAD, so a developer tests what they see), `npm ci` there (from npm's cache), then exactly
 * `npx folio kernel install --user | --prefix DIR | --sys-prefix`, `npx folio test …` and `npx folio run …`
 * through the bins npm linked: not `node ci/dist/cli.js`. Jupyter's locations are throw-away directories.
 * Skipped where this checkout is not a git repository, or with FOLIO_SKIP_JUPYTER=1.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PYTHON, ROOT, discard, isolatedEnv, notebook, scratchDir, sh } from "./helpers";

describe("the README's commands on a fresh clone", function () {
  this.timeout(900_000);
  let tmp = "",
    clone = "",
    env: NodeJS.ProcessEnv = {};
  const npx = (args: string[], extra: NodeJS.ProcessEnv = {}, allowFail = false) =>
    sh("npx", ["--no", ...args], { cwd: clone, env: { ...env, ...extra }, allowFail }); // --no: never fetch a "folio" from the registry

  before(function () {
    if (process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    if (sh("git", ["rev-parse", "--git-dir"], { cwd: ROOT, env: process.env, allowFail: true }).status !== 0)
      this.skip();
    tmp = scratchDir("folio-clone-");
    env = isolatedEnv(path.join(tmp, "home"));
    clone = path.join(tmp, "folio");
    const git = (args: string[], cwd: string, input?: string) => sh("git", args, { cwd, env, input });
    const head = git(["rev-parse", "HEAD"], ROOT).stdout.trim();
    git(["clone", "--quiet", "--no-checkout", ROOT, clone], tmp);
    git(["checkout", "--quiet", "--detach", head], clone);
    const diff = git(["diff", "HEAD", "--binary"], ROOT).stdout;
    if (diff.trim()) git(["apply", "--binary", "--whitespace=nowarn", "-"], clone, diff);
    for (const f of git(["ls-files", "--others", "--exclude-standard", "-z"], ROOT)
      .stdout.split("\0")
      .filter(Boolean)) {
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(clone, f));
    }
    const ci = sh("npm", ["ci", "--prefer-offline"], { cwd: clone, env });
    console.log(`      fresh clone: npm ci (with prepare's build) ${(ci.ms / 1000).toFixed(1)} s`);
  });

  after(() => discard(tmp));

  it("npm ci links the folio and folio-kernel bins", () => {
    for (const bin of ["folio", "folio-kernel"])
      assert.ok(fs.existsSync(path.join(clone, "node_modules", ".bin", bin)), `node_modules/.bin/${bin}`);
    assert.match(npx(["folio", "help"]).stdout, /folio test \[paths…\]/);
  });

  it("npx folio kernel install --user, --prefix DIR and --sys-prefix write kernelspecs Jupyter lists", () => {
    const t0 = Date.now();
    npx(["folio", "kernel", "install", "--user"]);
    const list = JSON.parse(
      sh(PYTHON, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { cwd: clone, env }).stdout,
    );
    assert.equal(list.kernelspecs.folio?.resource_dir, path.join(env.JUPYTER_DATA_DIR!, "kernels", "folio"));
    assert.equal(list.kernelspecs.folio.spec.argv[1], path.join(clone, "kernel", "dist", "cli.js"));
    const prefix = path.join(tmp, "prefix");
    npx(["folio", "kernel", "install", "--prefix", prefix]);
    assert.ok(fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", "folio", "kernel.json")));
    const venv = path.join(tmp, "venv");
    npx(["folio", "kernel", "install", "--sys-prefix"], { VIRTUAL_ENV: venv });
    assert.ok(fs.existsSync(path.join(venv, "share", "jupyter", "kernels", "folio", "kernel.json")));
    console.log(`      three kernelspec installs and a listing: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it("npx folio test and npx folio run execute a notebook of the clone that imports @folio/lib", () => {
    fs.mkdirSync(path.join(clone, "scratch"));
    fs.writeFileSync(
      path.join(clone, "scratch", "fresh.ipynb"),
      JSON.stringify(
        notebook({ name: "folio", language: "typescript" }, [
          {
            source: 'import { mean } from "@folio/lib/stats";\nmean([1, 2, 3, 6])',
            outputs: [{ output_type: "execute_result", execution_count: 1, metadata: {}, data: { "text/plain": "3" } }],
          },
        ]),
        null,
        1,
      ),
    );
    const test = npx(["folio", "test", "--no-cache", "scratch/fresh.ipynb"], {}, true);
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /1 passed, 0 failed/);
    const out = path.join(tmp, "out");
    const run = npx(["folio", "run", "--no-cache", "--out", out, "scratch/fresh.ipynb"]);
    console.log(`      npx folio test ${(test.ms / 1000).toFixed(1)} s, npx folio run ${(run.ms / 1000).toFixed(1)} s`);
    for (const f of ["index.html", "fresh.html", "fresh.ipynb"]) assert.ok(fs.existsSync(path.join(out, f)), f);
  });
});
