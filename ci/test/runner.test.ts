/**
 * The runner end to end against a real kernel over real ZeroMQ: Debian's ipykernel (any Jupyter kernel must
 * work), so these tests do not depend on the Folio kernel.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { OUTPUT_MARKER, expandPaths } from "../src/discover";
import { kernelsOf, notebook, problems, readJson, run, tmpdir, until, writeJson } from "./helpers";

const PY = fs.existsSync("/usr/share/jupyter/kernels/python3/kernel.json");

(PY ? describe : describe.skip)("ci runner with ipykernel", function () {
  this.timeout(120_000);

  it("gives every kind of bad input a one-line reason naming file and cell, runs the rest, modifies nothing", async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, "a-bad-json.ipynb"), '{"nbformat": 4, "cells": [');
    writeJson(path.join(d, "b-v3.ipynb"), { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] });
    writeJson(path.join(d, "c-v9.ipynb"), { nbformat: 9, nbformat_minor: 0, metadata: {}, cells: [] });
    writeJson(path.join(d, "d-nokernel.ipynb"), notebook(["1"], "no-such-kernel"));
    writeJson(path.join(d, "e-hang.ipynb"), notebook(["1", "import time\ntime.sleep(60)", "print('never')"]));
    writeJson(
      path.join(d, "f-deaf.ipynb"),
      notebook(["import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)"]),
    );
    writeJson(path.join(d, "g-dies.ipynb"), notebook(["x = 1", "import os\nos._exit(3)"]));
    writeJson(
      path.join(d, "h-dup.ipynb"),
      notebook([
        "k = get_ipython().kernel\nm = k.session.msg('stream', {'name': 'stdout', 'text': 'dup\\n'}, parent=k.get_parent('shell'))\nk.session.send(k.iopub_socket, m)\nk.session.send(k.iopub_socket, m)\npass",
      ]),
    );
    writeJson(path.join(d, "i-good.ipynb"), notebook(["print('ok')"]));
    const dup = notebook(["x = 1", "y = 2"]);
    dup.cells[1].id = "c0";
    writeJson(path.join(d, "j-dup-ids.ipynb"), dup);
    const num = notebook(["x = 1", "y = 2"]);
    num.cells[1].source = 5;
    writeJson(path.join(d, "k-source-number.ipynb"), num);
    // no kernelspec, but language_info says python: the python3 kernelspec is found by its language
    const bare = notebook(["print('by language')"]);
    bare.metadata = { language_info: { name: "python" } };
    writeJson(path.join(d, "l-language-info.ipynb"), bare);
    const none = notebook(["print(1)"]);
    none.metadata = {};
    writeJson(path.join(d, "m-no-kernel.ipynb"), none);
    const before = new Map(fs.readdirSync(d).map((f) => [f, fs.readFileSync(path.join(d, f))]));
    const r = await run({ paths: [d], cellTimeout: 2, interruptGrace: 1 });
    const by = new Map(r.results.map((x) => [x.name, x]));
    const expect: [string, RegExp][] = [
      ["a-bad-json", /^malformed JSON at \S+\/a-bad-json\.ipynb:1:27: expected a value, found the end of the text$/],
      ["b-v3", /^unsupported nbformat 3: only nbformat 4 is supported/],
      ["c-v9", /^unsupported nbformat 9/],
      ["d-nokernel", /^kernel "no-such-kernel" \(from metadata.kernelspec\) not found: no kernelspec in /],
      ["e-hang", /^cell 2 \(id c1\): timed out after 2 s \(cell interrupted\)$/],
      ["f-deaf", /^cell 1 \(id c0\): timed out after 2 s; kernel killed \(it ignored the interrupt\)$/],
      ["g-dies", /^cell 2 \(id c1\): kernel died \(exit code 3\) while running cell 2$/],
      ["h-dup", /^cell 1 \(id c0\): the kernel sent iopub message stream \S+ twice \(counted once\)$/],
      [
        "j-dup-ids",
        /^cell 2 \(id c0\): invalid nbformat 4\.5: cell id "c0" is also the id of cell 1 \(ids must be unique\)$/,
      ],
      [
        "k-source-number",
        /^cell 2 \(id c1\): invalid nbformat 4\.5: source must be a string or an array \(got number\)$/,
      ],
      [
        "m-no-kernel",
        /^no kernel: it has no metadata\.kernelspec and no language_info; use --kernel NAME or --kernel-default NAME$/,
      ],
    ];
    for (const [name, re] of expect) {
      const res = by.get(name)!;
      // the actual problem in the message: a load-dependent mismatch once read as "e-hang passed" (stop 22)
      assert.notEqual(res.status, "passed", `${name} passed`);
      assert.match(problems(res)[0], re, `${name}: ${problems(res)[0]}`);
      const line = r.text.split("\n").find((l) => l.includes(`${name}.ipynb`))!;
      assert.match(
        line,
        new RegExp(`^✘ .*${name}\\.ipynb .*: ${re.source.slice(1).replace(/\$$/, "")}`),
        `printed line for ${name}`,
      );
    }
    assert.equal(by.get("i-good")!.status, "passed");
    assert.equal(by.get("l-language-info")!.status, "passed", problems(by.get("l-language-info")!).join());
    // the duplicate was counted once
    const dupOut = (by.get("h-dup")!.executed!.cells[0] as any).outputs as any[];
    assert.deepEqual(
      dupOut.map((o) => o.text),
      ["dup\n"],
    );
    assert.doesNotMatch(r.text, /^\s+at /m, "no stack trace from the runner");
    // pytest's count: an error is a notebook that could not run (unreadable, invalid, no kernel, the kernel died)
    assert.deepEqual(
      r.results.filter((x) => x.status === "error").map((x) => x.name),
      ["a-bad-json", "b-v3", "c-v9", "d-nokernel", "g-dies", "j-dup-ids", "k-source-number", "m-no-kernel"],
    );
    assert.equal(r.lastLine, "2 passed, 3 failed, 8 errors");
    assert.equal(r.code, 1);
    for (const [f, bytes] of before) assert.deepEqual(fs.readFileSync(path.join(d, f)), bytes, `${f} untouched`);
  });

  it("stops a notebook at its metadata timeout, and honours nbmake's execution.timeout and allow_errors", async () => {
    const d = tmpdir();
    writeJson(
      path.join(d, "slow.ipynb"),
      notebook(["import time\ntime.sleep(1.5)", "time.sleep(1.5)", "time.sleep(1.5)"], "python3", {
        folio: { timeout: 2.5 },
      }),
    );
    writeJson(
      path.join(d, "spin.ipynb"),
      notebook(["x = 1", "while True:\n    pass"], "python3", { execution: { timeout: 2 } }),
    );
    writeJson(
      path.join(d, "errors.ipynb"),
      notebook(["1/0", "print('after')"], "python3", { execution: { allow_errors: true } }),
    );
    const t0 = Date.now();
    const r = await run({ paths: [d], mode: "test" });
    const by = new Map(r.results.map((x) => [x.name, x]));
    assert.match(
      problems(by.get("slow")!)[0],
      /^cell 2 \(id c1\): notebook timed out after 2.5 s \(cell interrupted\)$/,
    );
    assert.match(problems(by.get("spin")!)[0], /^cell 2 \(id c1\): timed out after 2 s \(cell interrupted\)$/);
    assert.ok(Date.now() - t0 < 60_000, "not the 600 s default");
    const errors = by.get("errors")!;
    assert.equal(errors.status, "passed", problems(errors).join());
    assert.deepEqual(
      (errors.executed!.cells as any[]).map((c) => c.outputs[0].output_type),
      ["error", "stream"],
    );
  });

  it("collects update_display_data and clear_output(wait) from a real kernel as Jupyter stores them", async () => {
    const d = tmpdir();
    writeJson(
      path.join(d, "disp.ipynb"),
      notebook([
        "from IPython.display import display, clear_output\nh = display('v1', display_id=True)\nprint('a')\nprint('b')",
        "h.update('v2')\nfor i in range(3):\n    clear_output(wait=True)\n    print(f'step {i}')",
        "42",
      ]),
    );
    const r = await run({ paths: [d] });
    const cells = r.results[0].executed!.cells as any[];
    assert.deepEqual(cells[0].outputs, [
      { output_type: "display_data", data: { "text/plain": "'v2'" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
    ]);
    assert.deepEqual(cells[1].outputs, [{ output_type: "stream", name: "stdout", text: "step 2\n" }]);
    assert.deepEqual(cells[2].outputs, [
      { output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 3 },
    ]);
    assert.deepEqual(
      cells.map((c) => c.execution_count),
      [1, 2, 3],
    );
    for (const k of ["iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"]) {
      assert.match(cells[2].metadata.execution[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/, k);
    }
  });

  it("writes executed notebooks byte for byte as jupyter nbconvert --execute does (timings aside)", async function () {
    if (!fs.existsSync("/usr/bin/jupyter-nbconvert")) this.skip();
    const d = tmpdir();
    const src = writeJson(
      path.join(d, "same.ipynb"),
      notebook([
        "from IPython.display import display, clear_output, Markdown\nh = display('v1', display_id=True)\nprint('a')\nimport sys; print('e', file=sys.stderr); print('b')",
        "h.update('v2')\nfor i in range(3):\n    clear_output(wait=True)\n    print(f'step {i}')",
        "display(Markdown('**x**'))\n42",
        "print('10%\\r50%\\r100%')",
        { source: "1/0", tags: ["raises-exception"] },
      ]),
    );
    const nbc = spawnSync(
      "/usr/bin/jupyter-nbconvert",
      ["--to", "notebook", "--execute", "--output-dir", path.join(d, "nbc"), src],
      { encoding: "utf8" },
    );
    assert.equal(nbc.status, 0, nbc.stderr);
    await run({ paths: [src], outDir: path.join(d, "folio") });
    const strip = (f: string) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => !/^\s+"(iopub|shell)\./.test(l))
        .join("\n");
    assert.equal(strip(path.join(d, "folio", "same.ipynb")), strip(path.join(d, "nbc", "same.ipynb")));
  });

  it("--update rewrites the source atomically, keeps ids, and the mutation test: beyond tolerance fails, within passes", async () => {
    const d = tmpdir();
    const file = writeJson(
      path.join(d, "num.ipynb"),
      notebook([
        { source: "# Title", markdown: true, id: "md1" },
        "x = 2/3\nprint(f'x = {x:.6f}')",
        "from IPython.display import display\ndisplay({'application/vnd.plotly.v1+json': {'data': [{'type': 'scatter', 'y': [x, 2*x]}], 'layout': {}}, 'text/plain': 'Figure'}, raw=True)",
        { source: "import random\nprint(random.random())", tags: ["ignore-output"] },
        { source: "raise ValueError('expected')", tags: ["raises-exception"] },
        { source: "raise RuntimeError('not run')", tags: ["skip-execution"] },
      ]),
    );
    const ino = fs.statSync(file).ino;
    const u = await run({ paths: [file], update: true });
    assert.equal(u.lastLine, "1 passed, 0 failed");
    assert.notEqual(fs.statSync(file).ino, ino, "replaced by rename, not rewritten in place");
    assert.deepEqual(fs.readdirSync(d), ["num.ipynb"], "no temporary file left behind");
    const nb = readJson(file);
    assert.deepEqual(
      nb.cells.map((c: any) => c.id),
      ["md1", "c1", "c2", "c3", "c4", "c5"],
    );
    assert.deepEqual(nb.cells[1].outputs[0].text, ["x = 0.666667\n"], "stored as Jupyter does: a list of lines");
    assert.equal(nb.cells[4].outputs[0].ename, "ValueError");
    assert.equal(nb.cells[5].execution_count, null, "skip-execution cell not run");

    // a re-run rewrites only the cell whose output changed (the random one): the others keep their timestamps
    const again = await run({ paths: [file], update: true });
    assert.equal(again.lastLine, "1 passed, 0 failed");
    const nb2 = readJson(file);
    assert.notDeepEqual(nb2.cells[3], nb.cells[3], "the random cell changed");
    assert.notDeepEqual(nb2.cells[3].metadata.execution, nb.cells[3].metadata.execution);
    nb2.cells[3] = nb.cells[3];
    assert.deepEqual(nb2, nb, "every other cell is kept as stored, metadata.execution too");

    const t1 = await run({ paths: [file], mode: "test" });
    assert.equal(t1.lastLine, "1 passed, 0 failed", t1.text);

    const mutate = (f: (nb: any) => void) => {
      const m = readJson(file);
      f(m);
      writeJson(file, m);
    };
    const original = fs.readFileSync(file);
    const loose = { tolerance: { rel: 1e-4, abs: 1e-8 } };
    mutate((m) => {
      m.cells[1].outputs[0].text = ["x = 0.666700\n"];
    }); // 5e-5 relative: within 1e-4
    assert.equal((await run({ paths: [file], mode: "test" }, loose)).lastLine, "1 passed, 0 failed");
    assert.equal(
      (await run({ paths: [file], mode: "test" })).lastLine,
      "0 passed, 1 failed",
      "the default tolerance fails a changed printed digit",
    );
    mutate((m) => {
      m.cells[1].outputs[0].text = ["x = 0.667000\n"];
    }); // 5e-4 relative: beyond
    const t2 = await run({ paths: [file], mode: "test" }, loose);
    assert.equal(t2.lastLine, "0 passed, 1 failed");
    assert.equal(t2.code, 1);
    assert.match(problems(t2.results[0])[0], /^cell 2 \(id c1\): output 1 stdout: 0\.667000 became 0\.666667/);
    assert.match(t2.text, /FAIL .*num\.ipynb cell 2 \(id c1\)[^\n]*\n {2}source:\n {4}x = 2\/3\n/);
    assert.match(t2.text, /^\s+-x = 0\.667000$/m);
    assert.match(t2.text, /^\s+\+x = 0\.666667$/m);
    fs.writeFileSync(file, original);
    mutate((m) => {
      m.cells[2].outputs[0].data["application/vnd.plotly.v1+json"].data[0].y[1] = 1.34;
    });
    const t3 = await run({ paths: [file], mode: "test" });
    assert.match(
      problems(t3.results[0])[0],
      /^cell 3 \(id c2\): output 1 application\/vnd\.plotly\.v1\+json: figure\.data\[0\]\.y\[1\]: 1\.34 became 1\.333/,
    );

    // a failing notebook is not written back even with --update
    fs.writeFileSync(file, original);
    mutate((m) => {
      m.cells[4].source = "1 + 1";
    });
    const before = fs.readFileSync(file);
    const u2 = await run({ paths: [file], update: true });
    assert.match(problems(u2.results[0])[0], /^cell 5 \(id c4\): tagged raises-exception but did not raise$/);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it("writes JUnit XML per notebook and per cell (nbval's granularity), and shards", async () => {
    const d = tmpdir(),
      o = tmpdir();
    writeJson(path.join(d, "p1.ipynb"), notebook(["print(1)"]));
    writeJson(path.join(d, "p2.ipynb"), notebook(["print(2)"]));
    writeJson(path.join(d, "p3.ipynb"), notebook(["x = 1", "1/0", "print('never')"]));
    const junit = path.join(o, "junit.xml"),
      cells = path.join(o, "cells.xml");
    const r = await run({ paths: [d], junit });
    assert.equal(r.lastLine, "2 passed, 1 failed");
    const xml = fs.readFileSync(junit, "utf8");
    assert.match(xml, /<testsuite name="folio" tests="3" failures="1" errors="0" skipped="0"/);
    assert.match(
      xml,
      /<testcase classname="folio" name="[^"]*p3\.ipynb" time="[\d.]+">\n\s+<failure message="cell 2 \(id c1\): ZeroDivisionError: division by zero"/,
    );
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    await run({ paths: [d], junit: cells, junitCells: true });
    const cx = fs.readFileSync(cells, "utf8");
    assert.equal((cx.match(/<testsuite /g) ?? []).length, 3);
    assert.match(cx, /<testsuite name="[^"]*p3\.ipynb" tests="3" failures="1" errors="0" skipped="1"/);
    assert.match(cx, /<testcase classname="p3\.ipynb" name="cell 1 \(id c0\)" time="[\d.]+"\/>/);
    assert.match(
      cx,
      /<testcase classname="p3\.ipynb" name="cell 2 \(id c1\)" time="[\d.]+">\n\s+<failure message="cell 2 \(id c1\): ZeroDivisionError: division by zero"/,
    );
    assert.match(
      cx,
      /<testcase classname="p3\.ipynb" name="cell 3 \(id c2\)" time="[\d.]+">\n\s+<skipped message="not run: cell 2 \(id c1\) stopped the notebook"\/>/,
    );

    const s1 = await run({ paths: [d], shard: { index: 1, count: 2 } });
    const s2 = await run({ paths: [d], shard: { index: 2, count: 2 } });
    assert.deepEqual([...s1.results, ...s2.results].map((x) => x.name).sort(), ["p1", "p2", "p3"]);
    assert.deepEqual(
      s2.results.map((x) => x.name),
      ["p2"],
    );
  });

  it("caches another kernel's notebook only when asked to key it on its folder; a data file edit re-runs it; --update never takes the cache", async () => {
    const d = tmpdir(),
      cacheDir = path.join(tmpdir(), "cache");
    fs.writeFileSync(path.join(d, "data.txt"), "42\n");
    const file = writeJson(path.join(d, "reads.ipynb"), notebook(["print(open('data.txt').read().strip())"]));
    for (let i = 0; i < 2; i++) {
      const a = await run({ paths: [file], cache: "auto", cacheDir });
      assert.equal(a.results[0].cached, undefined);
      assert.match(
        a.text,
        /^\(not cached: kernel "python3" does not report the files its notebooks read; --cache=folder keys them on their folder instead\)$/m,
      );
    }
    assert.equal((await run({ paths: [file], cache: "folder", cacheDir })).results[0].cached, undefined);
    assert.equal((await run({ paths: [file], cache: "folder", cacheDir })).results[0].cached, true);
    fs.writeFileSync(path.join(d, "data.txt"), "43\n");
    const edited = await run({ paths: [file], cache: "folder", cacheDir });
    assert.equal(edited.results[0].cached, undefined, "the data file changed");
    assert.equal((edited.results[0].executed!.cells[0] as any).outputs[0].text, "43\n");
    assert.equal((await run({ paths: [file], cache: "folder", cacheDir })).results[0].cached, true);
    const u = await run({ paths: [file], cache: "folder", cacheDir, update: true });
    assert.equal(u.results[0].cached, undefined, "--update executes");
    assert.deepEqual(readJson(file).cells[0].outputs[0].text, ["43\n"]);
    assert.equal(
      (await run({ paths: [file], cache: "folder", cacheDir, mode: "test" })).lastLine,
      "1 passed, 0 failed",
    );
    fs.writeFileSync(path.join(d, "data.txt"), "44\n");
    const t = await run({ paths: [file], cache: "folder", cacheDir, mode: "test" });
    assert.match(
      problems(t.results[0])[0],
      /^cell 1 \(id c0\): output 1 stdout: 43 became 44 \(integers must match exactly\)$/,
    );
  });

  it("follows nbval's comment markers and tags and --lax, and counts cells stored without outputs as not recorded", async () => {
    const d = tmpdir();
    const file = writeJson(
      path.join(d, "markers.ipynb"),
      notebook([
        "# NBVAL_IGNORE_OUTPUT\nimport random\nprint(random.random())",
        "# NBVAL_SKIP\nraise SystemError('skipped')",
        "# NBVAL_RAISES_EXCEPTION\n1/0",
        { source: "raise SystemError('skipped')", tags: ["nbval-skip"] },
        { source: "raise KeyError('k')", tags: ["nbval-raises-exception"] },
        { source: "print(random.random())", tags: ["nbval-ignore-output"] },
        "print('checked')",
      ]),
    );
    assert.equal((await run({ paths: [file], update: true })).lastLine, "1 passed, 0 failed");
    const stored = readJson(file);
    assert.deepEqual(
      stored.cells.map((c: any) => c.outputs[0]?.ename ?? c.outputs[0]?.output_type ?? null),
      ["stream", null, "ZeroDivisionError", null, "KeyError", "stream", "stream"],
    );
    const mutate = (f: (nb: any) => void) => {
      const m = readJson(file);
      f(m);
      writeJson(file, m);
    };
    assert.equal((await run({ paths: [file], mode: "test" })).lastLine, "1 passed, 0 failed", "random outputs ignored");
    mutate((m) => {
      m.cells[6].outputs[0].text = ["changed\n"];
    });
    assert.match(
      problems((await run({ paths: [file], mode: "test" })).results[0])[0],
      /^cell 7 \(id c6\): output 1 stdout: text differs/,
    );
    assert.equal(
      (await run({ paths: [file], mode: "test", lax: true })).lastLine,
      "1 passed, 0 failed",
      "--lax compares only marked cells",
    );
    mutate((m) => {
      m.cells[6].source = ["# NBVAL_CHECK_OUTPUT\n", "print('checked')"];
    });
    assert.equal((await run({ paths: [file], mode: "test", lax: true })).lastLine, "0 passed, 1 failed");

    writeJson(path.join(d, "unrecorded.ipynb"), notebook(["print(1)", "x = 2", "print(x)"]));
    writeJson(path.join(d, "unrecorded-error.ipynb"), notebook(["print(1)", "1/0"]));
    const u = await run({
      paths: [path.join(d, "unrecorded.ipynb"), path.join(d, "unrecorded-error.ipynb")],
      mode: "test",
    });
    assert.deepEqual(
      u.results.map((r) => [r.name, r.status, r.notRecorded]),
      [
        ["unrecorded", "passed", 3],
        ["unrecorded-error", "failed", 1],
      ],
    );
    assert.match(problems(u.results[1])[0], /^cell 2 \(id c1\): ZeroDivisionError: division by zero$/);
    assert.match(
      u.text,
      /^\(4 cells not recorded: no stored outputs to compare with; executed and checked for errors only\)$/m,
    );
  });

  it("--update keeps the file's mode, writes through a symlink to its target, and stays atomic", async () => {
    const d = tmpdir();
    fs.mkdirSync(path.join(d, "real"));
    const target = writeJson(path.join(d, "real", "t.ipynb"), notebook(["print('through the link')"]));
    fs.chmodSync(target, 0o640);
    const link = path.join(d, "link.ipynb");
    fs.symlinkSync(path.join("real", "t.ipynb"), link);
    const ino = fs.statSync(target).ino;
    assert.equal((await run({ paths: [link], update: true })).lastLine, "1 passed, 0 failed");
    assert.ok(fs.lstatSync(link).isSymbolicLink(), "the link is still a link");
    assert.equal(fs.statSync(target).mode & 0o777, 0o640, "the mode is kept");
    assert.notEqual(fs.statSync(target).ino, ino, "replaced by rename");
    assert.deepEqual(readJson(target).cells[0].outputs[0].text, ["through the link\n"]);
    assert.deepEqual(fs.readdirSync(path.join(d, "real")), ["t.ipynb"], "no temporary file left");
  });

  it("finds kernelspecs as jupyter_client does: a virtualenv's and a conda env's, --kernel overrides, --kernel-default fills in", async () => {
    const env = tmpdir();
    fs.mkdirSync(path.join(env, "share", "jupyter", "kernels", "envpy"), { recursive: true });
    fs.mkdirSync(path.join(env, "bin"));
    fs.symlinkSync("/usr/bin/python3", path.join(env, "bin", "python3"));
    writeJson(path.join(env, "share", "jupyter", "kernels", "envpy", "kernel.json"), {
      argv: ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
      display_name: "env",
      language: "python",
    });
    const d = tmpdir();
    const file = writeJson(path.join(d, "env.ipynb"), notebook(["import sys\nprint(sys.executable)"], "envpy"));
    const saved = { ...process.env };
    try {
      assert.match(
        problems((await run({ paths: [file] })).results[0])[0],
        /^kernel "envpy" \(from metadata\.kernelspec\) not found/,
      );
      process.env.VIRTUAL_ENV = env;
      const v = await run({ paths: [file] });
      assert.equal(v.lastLine, "1 passed, 0 failed", v.text);
      assert.equal(
        (v.results[0].executed!.cells[0] as any).outputs[0].text,
        `${path.join(env, "bin", "python3")}\n`,
        "python in argv is the environment's",
      );
      delete process.env.VIRTUAL_ENV;
      Object.assign(process.env, { CONDA_PREFIX: env, CONDA_DEFAULT_ENV: "analysis" });
      assert.equal((await run({ paths: [file] })).lastLine, "1 passed, 0 failed");
    } finally {
      for (const k of ["VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    assert.equal(
      (await run({ paths: [file], kernelName: "python3" })).lastLine,
      "1 passed, 0 failed",
      "--kernel overrides the notebook's",
    );
    const bare = notebook(["print(1)"]);
    bare.metadata = {};
    const b = writeJson(path.join(d, "bare.ipynb"), bare);
    assert.equal(
      (await run({ paths: [b], kernelDefault: "python3" })).lastLine,
      "1 passed, 0 failed",
      "--kernel-default fills in",
    );
  });

  it("papermill parameters: -p, -r, -y and -f inject a cell after the parameters cell and record metadata.papermill", () => {
    const d = tmpdir(),
      out = path.join(tmpdir(), "out");
    writeJson(
      path.join(d, "params.ipynb"),
      notebook([
        { source: "alpha = 1\nname = 'x'\nratio = 0.5\nflags = []", tags: ["parameters"] },
        "print(alpha, name, ratio, flags, type(ratio).__name__)",
      ]),
    );
    fs.writeFileSync(path.join(d, "p.yaml"), "flags: [1, two]\n");
    const p = cli(
      [
        "run",
        "--no-cache",
        "--out",
        out,
        path.join(d, "params.ipynb"),
        "-p",
        "alpha",
        "3",
        "-r",
        "name",
        "007",
        "-y",
        "ratio: 1.0",
        "-f",
        path.join(d, "p.yaml"),
      ],
      d,
    );
    assert.equal(p.status, 0, p.stdout + p.stderr);
    const nb = readJson(path.join(out, "params.ipynb"));
    assert.deepEqual(nb.cells[1].metadata.tags, ["injected-parameters"]);
    assert.deepEqual(nb.cells[1].source, [
      "# Parameters\n",
      'flags = [1, "two"]\n',
      "ratio = 1.0\n",
      "alpha = 3\n",
      'name = "007"\n',
    ]);
    assert.deepEqual(nb.cells[2].outputs[0].text, ["3 007 1.0 [1, 'two'] float\n"]);
    assert.deepEqual(nb.metadata.papermill.parameters, { flags: [1, "two"], ratio: 1, alpha: 3, name: "007" });
    const u = cli(["run", "--update", path.join(d, "params.ipynb"), "-p", "alpha", "3"], d);
    assert.equal(u.status, 4);
    assert.equal(
      u.stderr,
      "folio: --update with parameters would write the injected parameters into the source notebooks\n",
    );
  });

  it("pytest habits: exit 5 on an empty selection, -k over notebooks and cells, -x, --lf, --durations, recursive folders, out/ mirroring", async () => {
    const root = tmpdir(),
      cacheDir = tmpdir();
    const nb = (rel: string, cells: Parameters<typeof notebook>[0]) => {
      fs.mkdirSync(path.dirname(path.join(root, "nb", rel)), { recursive: true });
      return writeJson(path.join(root, "nb", rel), notebook(cells));
    };
    nb("a/x.ipynb", ["print('ax')"]);
    nb("b/x.ipynb", ["print('bx')"]);
    const y = notebook(["print('y1')", "print('y2')"]);
    y.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "WRONG\n" }];
    y.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "y2\n" }];
    y.cells.forEach((c: any, i: number) => {
      c.execution_count = i + 1;
    });
    fs.mkdirSync(path.join(root, "nb", "b", "deep"), { recursive: true });
    writeJson(path.join(root, "nb", "b", "deep", "y.ipynb"), y);
    nb("c/fail.ipynb", ["1/0"]);
    nb("c/fail2.ipynb", ["1/0"]);
    for (const hidden of [".ipynb_checkpoints/x-checkpoint.ipynb", "node_modules/pkg/z.ipynb", ".hidden/h.ipynb"])
      nb(hidden, ["raise SystemError('must not run')"]);
    const all = path.join(root, "nb");

    // the process exits 5, as pytest does when it collects nothing
    const empty = cli(["test", tmpdir()], root, { FOLIO_CACHE_DIR: cacheDir });
    assert.equal(empty.status, 5);
    assert.match(empty.stdout, /^no notebooks selected: no notebooks found in /m);
    const none = await run({ paths: [all], mode: "test", select: "nothing-matches" });
    assert.equal(none.code, 5);
    assert.match(
      none.text,
      /^no notebooks selected: -k "nothing-matches" selects none of 5 notebooks\n0 passed, 0 failed, 5 deselected\n$/m,
    );

    // out/ inside the searched folder: marked, so the runs below (with no --out) do not find the executed copies
    const outDir = path.join(all, "out");
    const r = await run({ paths: [all], outDir, cache: "auto", cacheDir });
    assert.equal(r.lastLine, "3 passed, 2 failed", r.text);
    assert.doesNotMatch(r.text, /must not run|checkpoint|node_modules|\.hidden/);
    assert.deepEqual(readJson(path.join(outDir, "a", "x.ipynb")).cells[0].outputs[0].text, ["ax\n"]);
    assert.deepEqual(
      readJson(path.join(outDir, "b", "x.ipynb")).cells[0].outputs[0].text,
      ["bx\n"],
      "same names in two folders do not overwrite each other",
    );
    assert.ok(fs.existsSync(path.join(outDir, "b", "deep", "y.ipynb")));
    assert.ok(fs.existsSync(path.join(outDir, OUTPUT_MARKER)));
    assert.equal(expandPaths([all]).files.length, 5, "the marked folder is skipped when searching");
    assert.equal(expandPaths([outDir]).files.length, 5, "and searched when named");

    const k = await run({ paths: [all], mode: "test", select: "y and cell2", durations: 0 });
    assert.equal(k.lastLine, "1 passed, 0 failed, 4 deselected", k.text);
    assert.match(
      k.text,
      /^slowest durations\n\s+[\d.]+s {2}\S*nb\/b\/deep\/y\.ipynb cell (1|2) \(id c\d\)\n\s+[\d.]+s {2}\S*nb\/b\/deep\/y\.ipynb cell (1|2) \(id c\d\)$/m,
    );
    const ky = await run({ paths: [all], mode: "test", select: "deep" });
    assert.match(ky.text, /✘ \S*nb\/b\/deep\/y\.ipynb {2}failed .*: cell 1 \(id c0\): output 1 stdout: text differs/);

    const x = await run({ paths: [all], mode: "test", maxfail: 1, jobs: 1 });
    assert.equal(x.code, 1);
    assert.match(x.text, /^stopped after 1 failed notebook \(--maxfail 1\): 3 not run\n1 passed, 1 failed\n$/m);

    const lf = await run({ paths: [all], lastFailed: true, cacheDir });
    assert.equal(lf.lastLine, "0 passed, 2 failed", lf.text);
    assert.deepEqual(
      lf.results.map((res) => path.relative(all, res.path)),
      ["c/fail.ipynb", "c/fail2.ipynb"],
    );

    // folio test writes nothing unless asked: no out/, no cache, nothing in the working folder
    const cwd = tmpdir(),
      quiet = tmpdir();
    const t = cli(["test", path.join(root, "nb", "a")], cwd, { FOLIO_CACHE_DIR: quiet });
    assert.equal(t.status, 0, t.stdout);
    assert.deepEqual([fs.readdirSync(cwd), fs.readdirSync(quiet)], [[], []]);
  });

  it("exits as pytest does: 4 and one line for a usage error or a missing path, 0 for --help and --version", () => {
    const d = tmpdir();
    const unknown = cli(["run", "--frobnicate", d], d);
    assert.deepEqual(
      [unknown.status, unknown.stderr, unknown.stdout],
      [4, "folio: unknown option --frobnicate (folio --help lists the commands and options)\n", ""],
    );
    const missing = cli(["test", "nope.ipynb", d], d);
    assert.deepEqual(
      [missing.status, missing.stderr, missing.stdout],
      [4, "folio: file or directory not found: nope.ipynb\n", ""],
    );
    // after a command too (it was "unknown option --help")
    const h = cli(["test", d, "-h"], d);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, /^usage:\n {2}folio run /);
    const v = cli(["--version"], d);
    assert.deepEqual(
      [v.status, v.stdout],
      [0, `folio ${readJson(path.join(__dirname, "..", "package.json")).version}\n`],
    );
  });

  it("Ctrl-C stops the running kernel and starts no other, prints the summary so far, exits 2", async () => {
    const d = tmpdir(),
      started = path.join(d, "started");
    writeJson(path.join(d, "a-quick.ipynb"), notebook(["print('done')"]));
    writeJson(
      path.join(d, "b-slow.ipynb"),
      notebook([`open(${JSON.stringify(started)}, 'w').close()\nimport time\ntime.sleep(120)`]),
    );
    writeJson(path.join(d, "c-later.ipynb"), notebook(["print('never')"]));
    const child = spawn(process.execPath, cliArgv(["test", d, "-j", "1"]), {
      cwd: d,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (b) => {
      stdout += b;
    });
    child.stderr.on("data", (b) => {
      stderr += b;
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      assert.ok(await until(() => fs.existsSync(started), 60_000), `the slow cell never started: ${stdout}${stderr}`);
      const kernels = kernelsOf(child.pid!);
      assert.ok(kernels.length > 0, "its kernel is running");
      child.kill("SIGINT");
      assert.equal(await exited, 2, stdout + stderr);
      assert.match(stdout, /^! \S+b-slow\.ipynb {2}interrupted after [\d.]+ s$/m);
      assert.match(stdout, /\ninterrupted \(Ctrl-C\): 1 notebook stopped, 1 not run\n1 passed, 0 failed\n$/);
      assert.doesNotMatch(stdout, /c-later/, "no notebook starts after Ctrl-C");
      assert.match(stderr, /^\nfolio: interrupted: stopping the kernels \(Ctrl-C again quits at once\)\n$/);
      assert.ok(
        await until(
          () =>
            kernels.every(
              (pid) =>
                !fs.existsSync(`/proc/${pid}`) || /^[^)]*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "latin1")),
            ),
          10_000,
        ),
        "no kernel left running",
      );
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("the CLI exits non-zero on failure and its last line is the summary; a claims table in a pipe is not clipped", () => {
    const d = tmpdir();
    writeJson(path.join(d, "bad.ipynb"), notebook(["raise SystemError('boom')"]));
    writeJson(path.join(d, "skip.ipynb"), notebook([{ source: "x", tags: ["skip-execution"] }]));
    writeJson(
      path.join(d, "zz-off.ipynb"),
      notebook(["raise SystemError('not run')"], "python3", { folio: { skip: "needs a GPU" } }),
    );
    // a claim whose measured value is wider than any terminal: a pipe (a CI log) gets it whole
    const ours = `min p = ${"5".repeat(150)}`;
    const claim = {
      paper: "wide",
      id: "w",
      claim: "a wide claim",
      paperFigure: "x",
      ours,
      holds: true,
      kind: "identity",
      why: "by construction",
    };
    writeJson(
      path.join(d, "claim.ipynb"),
      notebook([
        `import json\nfrom IPython.display import display\ndisplay({'application/vnd.folio.claim+json': json.loads(${JSON.stringify(JSON.stringify(claim))}), 'text/plain': 'claim'}, raw=True)`,
      ]),
    );
    const p = cli(["test", d], path.join(__dirname, "..", ".."));
    const lines = p.stdout.trimEnd().split("\n");
    assert.equal(lines[lines.length - 1], "2 passed, 1 failed, 1 skipped", p.stdout);
    assert.ok(p.stdout.includes(ours), p.stdout);
    assert.ok(lines.includes(`- ${path.join(d, "zz-off.ipynb")}  skipped  0.0 s: skipped: needs a GPU`), p.stdout);
    assert.equal(p.status, 1);
  });
});

/** The runner's command line (from source): node's arguments to start it with `args`. */
function cliArgv(args: string[]): string[] {
  // tsx by file URL: `--import tsx` would be resolved from `cwd`
  const tsx = pathToFileURL(path.join(__dirname, "..", "..", "node_modules", "tsx", "dist", "loader.mjs")).href;
  return ["--import", tsx, path.join(__dirname, "..", "src", "cli.ts"), ...args];
}

/** The runner's command line (from source), in `cwd`, with extra environment. */
function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, cliArgv(args), { encoding: "utf8", cwd, env: { ...process.env, ...env } });
}
