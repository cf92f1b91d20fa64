/** The runner with the Folio kernel (built in kernel/dist by `npm run build`). */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DepSet } from "../src/cache/index";
import { KernelClient, newConnection, writeConnectionFile } from "../src/client";
import { kernelPackages, localFolioKernel } from "../src/kernels";
import { kernelsOf, notebook, problems, readJson, run, tmpdir, until, writeJson } from "./helpers";

const PY = fs.existsSync("/usr/share/jupyter/kernels/python3/kernel.json");

const ROOT = path.join(__dirname, "..", "..");
const KERNEL = path.join(ROOT, "kernel", "dist", "cli.js");

describe("ci runner with the folio kernel", function () {
  this.timeout(120_000);

  before(async () => {
    // a kernel that cannot start fails this suite: it must never be skipped silently
    assert.ok(fs.existsSync(KERNEL), `${KERNEL} is missing: run npm run build`);
    const k = await KernelClient.launch({
      argv: [process.execPath, KERNEL, "--connection-file", "{connection_file}"],
      startTimeoutMs: 30_000,
      cwd: ROOT,
    });
    await k.shutdown();
  });

  it("runs a TypeScript notebook, then tests it against its stored outputs; a dying kernel fails its cell", async () => {
    const d = tmpdir();
    const good = writeJson(
      path.join(d, "ts.ipynb"),
      notebook(
        [
          "const x: number = 2 / 3;\nconsole.log(`x = ${x.toFixed(6)}`);",
          "x * 3",
          { source: 'throw new Error("expected");', tags: ["raises-exception"] },
        ],
        "folio",
      ),
    );
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

  it("caches a passing notebook until a file it read or a module it imports (even only for types) changes; --update never takes the cache", async () => {
    const d = tmpdir(),
      cacheDir = path.join(tmpdir(), "cache");
    const put = (f: string, text: string) => fs.writeFileSync(path.join(d, f), text);
    put("data.txt", "42\n");
    put("helper.ts", "export const k: number = 1;\n");
    put("types.ts", "export type Unit = number;\n");
    const file = writeJson(
      path.join(d, "deps.ipynb"),
      notebook(
        [
          'import { readFileSync } from "node:fs";\nconsole.log(readFileSync("data.txt", "utf8").trim());',
          'import { k } from "./helper.ts";\nconsole.log(k);',
          'import type { Unit } from "./types.ts";\nconst u: Unit = 1;\nconsole.log(u);',
        ],
        "folio",
      ),
    );
    const test = () => run({ paths: [file], mode: "test", root: ROOT, cache: "auto", cacheDir });
    assert.equal(
      (await run({ paths: [file], update: true, root: ROOT, cache: "auto", cacheDir })).lastLine,
      "1 passed, 0 failed",
    );
    assert.equal((await test()).results[0].cached, undefined);
    assert.equal((await test()).results[0].cached, true, "nothing changed");
    put("data.txt", "43\n");
    const data = await test();
    assert.equal(data.results[0].cached, undefined);
    assert.match(
      problems(data.results[0])[0],
      /^cell 1 \(id c0\): output 1 stdout: 42 became 43 \(integers must match exactly\)$/,
    );
    put("data.txt", "42\n");
    assert.equal((await test()).results[0].cached, true, "back as it was when it passed");
    put("helper.ts", "export const k: number = 2;\n");
    assert.match(problems((await test()).results[0])[0], /^cell 2 \(id c1\): output 1 stdout: 1 became 2/);
    put("helper.ts", "export const k: number = 1;\n");
    put("types.ts", "export type Unit = string;\n");
    const typed = await test();
    assert.equal(typed.results[0].status, "failed", "a module imported only for its types counts too");
    assert.match(problems(typed.results[0])[0], /^cell 3 \(id c2\): .*not assignable to type 'string'/);
    put("types.ts", "export type Unit = number;\n");
    assert.equal((await run({ paths: [file], root: ROOT, cache: "auto", cacheDir })).results[0].cached, true);
    const u = await run({ paths: [file], update: true, root: ROOT, cache: "auto", cacheDir });
    assert.equal(u.results[0].cached, undefined, "--update runs the notebook");
    assert.doesNotMatch(u.text, /cached/);
  });

  it("leaves the kernel's own code out of a notebook's dependencies: the cache keys on it as the kernel's version", () => {
    const own = kernelPackages(localFolioKernel()!);
    assert.deepEqual(
      own,
      [path.join(ROOT, "kernel", "dist"), path.join(ROOT, "protocol", "dist")].map((d) => fs.realpathSync(d)),
    );
    const deps = new DepSet(own);
    deps.scanSource(
      'import { IntSlider } from "@folio/kernel/widgets";\nimport { claimVerdict } from "@folio/protocol/claims";',
      ROOT,
    );
    deps.add("probe", path.join(ROOT, "protocol", "dist", "wire.js"));
    deps.add("file", path.join(ROOT, "README.md"));
    assert.deepEqual(
      deps.list().map((d) => path.relative(ROOT, d.path)),
      ["README.md"],
    );
    const all = new DepSet();
    all.scanSource('import "@folio/kernel/widgets";', ROOT);
    assert.ok(all.list().length > 1, "without the exclusion they are listed");
  });

  it("reads // NBVAL_ markers in TypeScript, and type-checks parameters against the parameters cell before anything runs", async () => {
    const d = tmpdir();
    const file = writeJson(
      path.join(d, "params.ipynb"),
      notebook(
        [
          { source: "let lr = 0.1;\nconst epochs = 2;", tags: ["parameters"] },
          '// NBVAL_SKIP\nthrow new Error("skipped");',
          '// NBVAL_RAISES_EXCEPTION\nthrow new Error("expected");',
          "console.log(lr * epochs);",
          "lr = lr / 2;\nconsole.log(lr);",
        ],
        "folio",
      ),
    );
    const bad = await run({ paths: [file], root: ROOT, parameters: [{ name: "lr", value: "abc" }] });
    assert.equal(bad.results[0].status, "error");
    assert.equal(bad.results[0].executed, undefined, "nothing ran");
    assert.equal(
      problems(bad.results[0])[0],
      "cell 1 (id c0): parameter lr = \"abc\": Type 'string' is not assignable to type 'number'. (the parameters cell declares `let lr = 0.1`)",
    );
    const ok = await run({
      paths: [file],
      root: ROOT,
      parameters: [{ name: "lr", value: "0.5" }, { yaml: "epochs: 4" }],
    });
    assert.equal(ok.lastLine, "1 passed, 0 failed", ok.text);
    const cells = ok.results[0].executed!.cells as any[];
    // `let lr` stays `let`, so the last cell may assign to it
    assert.equal(cells[1].source, "// Parameters\nconst epochs = 4;\nlet lr = 0.5;\n");
    assert.equal(cells[2].execution_count, null, "NBVAL_SKIP");
    assert.equal(cells[3].outputs[0].ename, "Error");
    assert.deepEqual(cells[4].outputs, [{ output_type: "stream", name: "stdout", text: "2\n" }]);
    assert.deepEqual(cells[5].outputs, [{ output_type: "stream", name: "stdout", text: "0.25\n" }]);
    const typo = await run({ paths: [file], root: ROOT, parameters: [{ name: "epochz", value: "4" }] });
    assert.equal(typo.lastLine, "1 passed, 0 failed", typo.text);
    assert.match(
      typo.text,
      /warning: unknown parameter epochz \(injected, but the parameters cell declares lr, epochs\)/,
    );
  });

  it("the Folio kernel exits when its JPY_PARENT_PID process is gone", async () => {
    const conn = await newConnection();
    const { file, dir } = writeConnectionFile(conn);
    // a parent that starts the kernel the way a Jupyter client does, then dies by SIGKILL (no watchdog here)
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const k = require("child_process").spawn(process.execPath, [${JSON.stringify(KERNEL)}, "--connection-file", ${JSON.stringify(file)}], { env: { ...process.env, JPY_PARENT_PID: String(process.pid) }, stdio: "ignore", detached: true }); k.unref(); console.log(k.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const kernel = await new Promise<number>((resolve) =>
      parent.stdout!.once("data", (b) => resolve(Number(String(b).trim()))),
    );
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !/^[^)]*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "latin1"));
      } catch {
        return false;
      }
    };
    // started: the kernel has spawned its language process
    assert.ok(
      await until(() => {
        try {
          return fs.readFileSync(`/proc/${kernel}/task/${kernel}/children`, "utf8").trim() !== "";
        } catch {
          return false;
        }
      }, 30_000),
      "kernel started",
    );
    parent.kill("SIGKILL");
    assert.ok(await until(() => !alive(kernel), 15_000), "the kernel exited after its parent died");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("kernels exit when the runner is killed with SIGKILL, the Folio kernel and ipykernel alike", async () => {
    const d = tmpdir();
    writeJson(path.join(d, "a-folio.ipynb"), notebook(["await new Promise((r) => setTimeout(r, 120_000));"], "folio"));
    if (PY) writeJson(path.join(d, "b-python.ipynb"), notebook(["import time\ntime.sleep(120)"]));
    const tsx = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
    const runner = spawn(
      process.execPath,
      ["--import", tsx, path.join(ROOT, "ci", "src", "cli.ts"), "run", "--no-out", "--no-cache", "-j", "2", d],
      { stdio: "ignore", cwd: d },
    );
    const want = PY ? 2 : 1;
    // each kernel (and the Folio kernel's language process) carries the runner's pid in JPY_PARENT_PID
    assert.ok(await until(() => kernelsOf(runner.pid!).length >= want + 1, 60_000), "kernels started");
    runner.kill("SIGKILL");
    assert.ok(
      await until(() => kernelsOf(runner.pid!).length === 0, 20_000),
      `left running: ${kernelsOf(runner.pid!).join(", ")}`,
    );
  });
});
