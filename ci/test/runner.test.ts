/**
 * The runner end to end against a real kernel over real ZeroMQ: Debian's ipykernel (any Jupyter kernel must
 * work), so these tests do not depend on the Folio kernel.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { notebook, problems, readJson, run, tmpdir, writeJson } from "./helpers";

const PY = fs.existsSync("/usr/share/jupyter/kernels/python3/kernel.json");

(PY ? describe : describe.skip)("ci runner with ipykernel", function () {
  this.timeout(120_000);

  it("gives every kind of bad input a one-line reason naming file and cell, runs the rest, modifies nothing", async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, "a-bad-json.ipynb"), "{\"nbformat\": 4, \"cells\": [");
    writeJson(path.join(d, "b-v3.ipynb"), { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] });
    writeJson(path.join(d, "c-v9.ipynb"), { nbformat: 9, nbformat_minor: 0, metadata: {}, cells: [] });
    writeJson(path.join(d, "d-nokernel.ipynb"), notebook(["1"], "no-such-kernel"));
    writeJson(path.join(d, "e-hang.ipynb"), notebook(["1", "import time\ntime.sleep(60)", "print('never')"]));
    writeJson(path.join(d, "f-deaf.ipynb"), notebook(["import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)"]));
    writeJson(path.join(d, "g-dies.ipynb"), notebook(["x = 1", "import os\nos._exit(3)"]));
    writeJson(path.join(d, "h-dup.ipynb"), notebook([
      "k = get_ipython().kernel\nm = k.session.msg('stream', {'name': 'stdout', 'text': 'dup\\n'}, parent=k.get_parent('shell'))\nk.session.send(k.iopub_socket, m)\nk.session.send(k.iopub_socket, m)\npass"]));
    writeJson(path.join(d, "i-good.ipynb"), notebook(["print('ok')"]));
    const before = new Map(fs.readdirSync(d).map((f) => [f, fs.readFileSync(path.join(d, f))]));
    const r = await run({ paths: [d], cellTimeout: 2, interruptGrace: 1 });
    const by = new Map(r.results.map((x) => [x.name, x]));
    const expect: [string, RegExp][] = [
      ["a-bad-json", /^malformed JSON: /],
      ["b-v3", /^unsupported nbformat 3: only nbformat 4 is supported/],
      ["c-v9", /^unsupported nbformat 9/],
      ["d-nokernel", /^kernel "no-such-kernel" \(from metadata.kernelspec\) not found: no kernelspec in /],
      ["e-hang", /^cell 2 \(id c1\): timed out after 2 s \(cell interrupted\)$/],
      ["f-deaf", /^cell 1 \(id c0\): timed out after 2 s; kernel killed \(it ignored the interrupt\)$/],
      ["g-dies", /^cell 2 \(id c1\): kernel died \(exit code 3\) while running cell 2$/],
      ["h-dup", /^cell 1 \(id c0\): the kernel sent iopub message stream \S+ twice \(counted once\)$/],
    ];
    for (const [name, re] of expect) {
      const res = by.get(name)!;
      assert.notEqual(res.status, "passed", name);
      assert.match(problems(res)[0], re, name);
      const line = r.text.split("\n").find((l) => l.includes(`${name}.ipynb`))!;
      assert.match(line, new RegExp(`^✘ .*${name}\\.ipynb .*: ${re.source.slice(1).replace(/\$$/, "")}`), `printed line for ${name}`);
    }
    assert.equal(by.get("i-good")!.status, "passed");
    // the duplicate was counted once
    const dupOut = (by.get("h-dup")!.executed!.cells[0] as any).outputs as any[];
    assert.deepEqual(dupOut.map((o) => o.text), ["dup\n"]);
    assert.doesNotMatch(r.text, /^\s+at /m, "no stack trace from the runner");
    assert.equal(r.lastLine, "1 passed, 8 failed");
    assert.equal(r.code, 1);
    for (const [f, bytes] of before) assert.deepEqual(fs.readFileSync(path.join(d, f)), bytes, `${f} untouched`);
  });

  it("stops a notebook at its metadata timeout", async () => {
    const d = tmpdir();
    writeJson(path.join(d, "slow.ipynb"), notebook(["import time\ntime.sleep(1.5)", "time.sleep(1.5)", "time.sleep(1.5)"], "python3", { folio: { timeout: 2.5 } }));
    const r = await run({ paths: [d] });
    assert.match(problems(r.results[0])[0], /^cell 2 \(id c1\): notebook timed out after 2.5 s \(cell interrupted\)$/);
  });

  it("collects update_display_data and clear_output(wait) from a real kernel as Jupyter stores them", async () => {
    const d = tmpdir();
    writeJson(path.join(d, "disp.ipynb"), notebook([
      "from IPython.display import display, clear_output\nh = display('v1', display_id=True)\nprint('a')\nprint('b')",
      "h.update('v2')\nfor i in range(3):\n    clear_output(wait=True)\n    print(f'step {i}')",
      "42",
    ]));
    const r = await run({ paths: [d] });
    const cells = r.results[0].executed!.cells as any[];
    assert.deepEqual(cells[0].outputs, [
      { output_type: "display_data", data: { "text/plain": "'v2'" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
    ]);
    assert.deepEqual(cells[1].outputs, [{ output_type: "stream", name: "stdout", text: "step 2\n" }]);
    assert.deepEqual(cells[2].outputs, [{ output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 3 }]);
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3]);
    for (const k of ["iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"]) {
      assert.match(cells[2].metadata.execution[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/, k);
    }
  });

  it("writes executed notebooks byte for byte as jupyter nbconvert --execute does (timings aside)", async function () {
    if (!fs.existsSync("/usr/bin/jupyter-nbconvert")) this.skip();
    const d = tmpdir();
    const src = writeJson(path.join(d, "same.ipynb"), notebook([
      "from IPython.display import display, clear_output, Markdown\nh = display('v1', display_id=True)\nprint('a')\nimport sys; print('e', file=sys.stderr); print('b')",
      "h.update('v2')\nfor i in range(3):\n    clear_output(wait=True)\n    print(f'step {i}')",
      "display(Markdown('**x**'))\n42",
      "print('10%\\r50%\\r100%')",
      { source: "1/0", tags: ["raises-exception"] },
    ]));
    const nbc = spawnSync("/usr/bin/jupyter-nbconvert", ["--to", "notebook", "--execute", "--output-dir", path.join(d, "nbc"), src], { encoding: "utf8" });
    assert.equal(nbc.status, 0, nbc.stderr);
    await run({ paths: [src], outDir: path.join(d, "folio") });
    const strip = (f: string) => fs.readFileSync(f, "utf8").split("\n").filter((l) => !/^\s+"(iopub|shell)\./.test(l)).join("\n");
    assert.equal(strip(path.join(d, "folio", "same.ipynb")), strip(path.join(d, "nbc", "same.ipynb")));
  });

  it("--update rewrites the source atomically, keeps ids, and the mutation test: beyond tolerance fails, within passes", async () => {
    const d = tmpdir();
    const file = writeJson(path.join(d, "num.ipynb"), notebook([
      { source: "# Title", markdown: true, id: "md1" },
      "x = 2/3\nprint(f'x = {x:.6f}')",
      "from IPython.display import display\ndisplay({'application/vnd.plotly.v1+json': {'data': [{'type': 'scatter', 'y': [x, 2*x]}], 'layout': {}}, 'text/plain': 'Figure'}, raw=True)",
      { source: "import random\nprint(random.random())", tags: ["ignore-output"] },
      { source: "raise ValueError('expected')", tags: ["raises-exception"] },
      { source: "raise RuntimeError('not run')", tags: ["skip-execution"] },
    ]));
    const ino = fs.statSync(file).ino;
    const u = await run({ paths: [file], update: true });
    assert.equal(u.lastLine, "1 passed, 0 failed");
    assert.notEqual(fs.statSync(file).ino, ino, "replaced by rename, not rewritten in place");
    assert.deepEqual(fs.readdirSync(d), ["num.ipynb"], "no temporary file left behind");
    const nb = readJson(file);
    assert.deepEqual(nb.cells.map((c: any) => c.id), ["md1", "c1", "c2", "c3", "c4", "c5"]);
    assert.deepEqual(nb.cells[1].outputs[0].text, ["x = 0.666667\n"], "stored as Jupyter does: a list of lines");
    assert.equal(nb.cells[4].outputs[0].ename, "ValueError");
    assert.equal(nb.cells[5].execution_count, null, "skip-execution cell not run");

    const t1 = await run({ paths: [file], mode: "test" });
    assert.equal(t1.lastLine, "1 passed, 0 failed", t1.text);

    const mutate = (f: (nb: any) => void) => { const m = readJson(file); f(m); writeJson(file, m); };
    const original = fs.readFileSync(file);
    mutate((m) => { m.cells[1].outputs[0].text = ["x = 0.666700\n"]; }); // 5e-5 relative: within 1e-4
    assert.equal((await run({ paths: [file], mode: "test" })).lastLine, "1 passed, 0 failed");
    mutate((m) => { m.cells[1].outputs[0].text = ["x = 0.667000\n"]; }); // 5e-4 relative: beyond
    const t2 = await run({ paths: [file], mode: "test" });
    assert.equal(t2.lastLine, "0 passed, 1 failed");
    assert.equal(t2.code, 1);
    assert.match(problems(t2.results[0])[0], /^cell 2 \(id c1\): output 1 stdout: 0\.667000 became 0\.666667/);
    assert.match(t2.text, /FAIL .*num\.ipynb cell 2 \(id c1\)[^\n]*\n  source:\n    x = 2\/3\n/);
    assert.match(t2.text, /^\s+-x = 0\.667000$/m);
    assert.match(t2.text, /^\s+\+x = 0\.666667$/m);
    fs.writeFileSync(file, original);
    mutate((m) => { m.cells[2].outputs[0].data["application/vnd.plotly.v1+json"].data[0].y[1] = 1.34; });
    const t3 = await run({ paths: [file], mode: "test" });
    assert.match(problems(t3.results[0])[0], /^cell 3 \(id c2\): output 1 application\/vnd\.plotly\.v1\+json: traces\[0\]\.y\[1\]: 1\.34 became 1\.333/);

    // a failing notebook is not written back even with --update
    fs.writeFileSync(file, original);
    mutate((m) => { m.cells[4].source = "1 + 1"; });
    const before = fs.readFileSync(file);
    const u2 = await run({ paths: [file], update: true });
    assert.match(problems(u2.results[0])[0], /^cell 5 \(id c4\): tagged raises-exception but did not raise$/);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it("writes JUnit XML, shards, caches passing notebooks, and prints 0 passed for an empty directory", async () => {
    const d = tmpdir();
    const root = tmpdir();
    fs.mkdirSync(path.join(root, "lib"));
    fs.writeFileSync(path.join(root, "lib", "x.ts"), "export const a = 1;\n");
    writeJson(path.join(d, "p1.ipynb"), notebook(["print(1)"]));
    writeJson(path.join(d, "p2.ipynb"), notebook(["print(2)"]));
    writeJson(path.join(d, "p3.ipynb"), notebook(["1/0"]));
    const junit = path.join(root, "junit.xml");
    const cacheDir = path.join(root, "cache");
    const r = await run({ paths: [d], mode: "run", junit, cache: true, cacheDir, root });
    assert.equal(r.lastLine, "2 passed, 1 failed");
    const xml = fs.readFileSync(junit, "utf8");
    assert.match(xml, /<testsuite name="folio" tests="3" failures="1" errors="0" skipped="0"/);
    assert.match(xml, /<testcase classname="folio" name="[^"]*p3\.ipynb" time="[\d.]+">\n\s+<failure message="cell 1 \(id c0\): ZeroDivisionError: division by zero"/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);

    const again = await run({ paths: [d], cache: true, cacheDir, root });
    assert.deepEqual(again.results.map((x) => !!x.cached), [true, true, false]);
    assert.match(again.text, /^\(2 cached: /m);
    fs.writeFileSync(path.join(root, "lib", "x.ts"), "export const a = 2;\n");
    const changed = await run({ paths: [d], cache: true, cacheDir, root });
    assert.deepEqual(changed.results.map((x) => !!x.cached), [false, false, false], "a lib/ change invalidates the cache");

    const s1 = await run({ paths: [d], shard: { index: 1, count: 2 } });
    const s2 = await run({ paths: [d], shard: { index: 2, count: 2 } });
    assert.deepEqual([...s1.results, ...s2.results].map((x) => x.name).sort(), ["p1", "p2", "p3"]);
    assert.deepEqual(s2.results.map((x) => x.name), ["p2"]);

    const empty = await run({ paths: [tmpdir()], mode: "test" });
    assert.equal(empty.lastLine, "0 passed, 0 failed");
    assert.equal(empty.code, 0);
  });

  it("the CLI exits non-zero on failure and its last line is the summary", () => {
    const d = tmpdir();
    writeJson(path.join(d, "bad.ipynb"), notebook(["raise SystemError('boom')"]));
    writeJson(path.join(d, "skip.ipynb"), notebook([{ source: "x", tags: ["skip-execution"] }]));
    writeJson(path.join(d, "zz-off.ipynb"), notebook(["raise SystemError('not run')"], "python3", { folio: { skip: "needs a GPU" } }));
    const cli = path.join(__dirname, "..", "src", "cli.ts");
    const p = spawnSync(process.execPath, ["--import", "tsx", cli, "test", "--no-out", "--no-cache", d], { encoding: "utf8", cwd: path.join(__dirname, "..", "..") });
    const lines = p.stdout.trimEnd().split("\n");
    assert.equal(lines[lines.length - 1], "1 passed, 1 failed, 1 skipped");
    assert.ok(lines.includes(`- ${path.join(d, "zz-off.ipynb")}  skipped  0.0 s: skipped: needs a GPU`), p.stdout);
    assert.equal(p.status, 1);
    const z = spawnSync(process.execPath, ["--import", "tsx", cli, "test", "--no-out", tmpdir()], { encoding: "utf8" });
    assert.equal(z.stdout.trimEnd(), "0 passed, 0 failed");
    assert.equal(z.status, 0);
  });
});
