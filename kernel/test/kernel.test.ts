/**
 * The kernel driven over real ZeroMQ sockets by an independent test client (test/client.ts), as Jupyter
 * would drive it. Expected values are written by hand.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { TestKernel, ofType, streamText, type Msg } from "./client";

const FIXTURES = path.resolve(__dirname, "fixtures");
const result = (iopub: Msg[]) => ofType(iopub, "execute_result").map((m) => m.content.data["text/plain"]);

describe("kernel over ZeroMQ", function () {
  this.timeout(60000);
  let k: TestKernel;
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES });
  });
  after(async () => {
    await k?.stop();
  });

  it("answers kernel_info on shell and control", async () => {
    for (const channel of ["shell", "control"] as const) {
      const r = await k.request(channel, "kernel_info_request", {});
      assert.equal(r.header.msg_type, "kernel_info_reply");
      assert.equal(r.content.status, "ok");
      assert.equal(r.content.protocol_version, "5.4");
      assert.equal(r.content.implementation, "folio");
      assert.equal(r.content.language_info.name, "typescript");
      assert.equal(r.content.language_info.file_extension, ".ts");
    }
    assert.equal(await k.heartbeat(), true);
  });

  it("executes: busy, execute_input, stream, execute_result, idle", async () => {
    const code = 'console.log("hello, world"); console.error("oops"); 6 * 7';
    const { reply, iopub } = await k.execute(code);
    assert.equal(reply.content.status, "ok");
    const types = iopub.map((m) => m.header.msg_type);
    assert.equal(types[0], "status");
    assert.equal(iopub[0].content.execution_state, "busy");
    assert.equal(types[types.length - 1], "status");
    assert.equal(iopub[iopub.length - 1].content.execution_state, "idle");
    assert.equal(ofType(iopub, "execute_input")[0].content.code, code);
    assert.equal(streamText(iopub, "stdout"), "hello, world\n");
    assert.equal(streamText(iopub, "stderr"), "oops\n");
    assert.deepEqual(result(iopub), ["42"]);
    assert.equal(ofType(iopub, "execute_result")[0].content.execution_count, reply.content.execution_count);
  });

  it("publishes stdout and stderr in the order the cell wrote them (an untyped import's warning before the cell's output)", async () => {
    const { iopub } = await k.execute(
      'console.error("e1"); console.log("o1"); console.log("o2"); console.error("e2"); process.stderr.write("e3\\n")',
    );
    assert.deepEqual(
      ofType(iopub, "stream").map((m) => [m.content.name, m.content.text]),
      [
        ["stderr", "e1\n"],
        ["stdout", "o1\no2\n"],
        ["stderr", "e2\ne3\n"],
      ],
    );
    for (let i = 0; i < 5; i++) {
      const r = await k.execute('import Papa from "papaparse"; console.log(typeof Papa.parse)');
      const order = ofType(r.iopub, "stream").map((m) => m.content.name);
      assert.deepEqual(order, i === 0 ? ["stderr", "stdout"] : ["stdout"], `run ${i}: ${order}`);
    }
  });

  it("keeps state across cells, including through functions and closures", async () => {
    await k.execute("let counter = 0;\nfunction bump() { counter += 1; }\nconst items: number[] = [];");
    await k.execute("bump(); bump(); items.push(counter);");
    const { iopub } = await k.execute("counter * 10 + items.length");
    assert.deepEqual(result(iopub), ["21"]);
  });

  it("re-runs a cell that declares a const, even with a new type", async () => {
    for (const code of ["const rerun = 1;", "const rerun = 1;", 'const rerun = "abc";']) {
      const { reply } = await k.execute(code);
      assert.equal(reply.content.status, "ok", code);
    }
    const { reply, iopub } = await k.execute("rerun.length");
    assert.equal(reply.content.status, "ok");
    assert.deepEqual(result(iopub), ["3"]);
  });

  it("reports a type error with the cell's line and column and does not run the cell", async () => {
    const { reply, iopub } = await k.execute("let ran = 0;\nconst s: string = 5;\nran = 1;");
    assert.equal(reply.content.status, "error");
    assert.equal(reply.content.ename, "TSError");
    assert.match(
      reply.content.evalue,
      /^Cell In\[\d+\]:2:7 - error TS2322: Type 'number' is not assignable to type 'string'\./,
    );
    assert.equal(ofType(iopub, "error").length, 1);
    const after = await k.execute("typeof ran");
    assert.equal(after.reply.content.status, "error", "`ran` was never declared: the cell did not run");
  });

  it("maps a traceback to the cell's own lines and columns when earlier cells' declarations precede it in the check", async () => {
    // the cell is emitted from the checked layout (prelude + cell with `export ` inserted): cell-emit.ts maps back
    await k.execute("const preludeBase = 40;\ntype PreludeT = { n: number };");
    const code =
      'const local: PreludeT = { n: preludeBase };\nconst again = 1; function blow(): never { throw new Error("x" + again); }\nblow();';
    const { reply } = await k.execute(code);
    assert.equal(reply.content.status, "error");
    const tb: string[] = reply.content.traceback.map((l: string) => l.replace(/\x1b\[[\d;]*m/g, ""));
    const col = code.split("\n")[1].indexOf("new Error") + 1; // V8 places the frame at the `new`
    assert.ok(
      tb.some((l) => new RegExp(`at blow \\(Cell In\\[\\d+\\]:2:${col}\\)`).test(l)),
      tb.join("\n"),
    );
    assert.ok(
      tb.some((l) => /at Cell In\[\d+\]:3:1/.test(l)),
      tb.join("\n"),
    );
  });

  it("maps a runtime error's traceback to the cell's own lines and keeps earlier assignments", async () => {
    const code = 'const keptBefore = 7;\nfunction explode(): never {\n  throw new RangeError("boom");\n}\nexplode();';
    const { reply, iopub } = await k.execute(code);
    assert.equal(reply.content.status, "error");
    assert.equal(reply.content.ename, "RangeError");
    assert.equal(reply.content.evalue, "boom");
    const tb: string[] = reply.content.traceback.map((l: string) => l.replace(/\x1b\[[\d;]*m/g, ""));
    assert.ok(
      tb.some((l) => /at explode \(Cell In\[\d+\]:3:9\)/.test(l)),
      tb.join("\n"),
    );
    assert.ok(
      tb.some((l) => /at Cell In\[\d+\]:5:1/.test(l)),
      tb.join("\n"),
    );
    assert.ok(!tb.some((l) => /dist\/|node:internal|node:vm/.test(l)), `kernel frames removed: ${tb.join("\n")}`);
    assert.deepEqual(ofType(iopub, "error")[0].content.traceback, reply.content.traceback);
    const kept = await k.execute("keptBefore");
    assert.deepEqual(result(kept.iopub), ["7"]);
  });

  it("imports a local .ts file and @folio/lib/rng", async () => {
    const { reply, iopub } = await k.execute(
      'import { twice, GREETING } from "./helper.ts";\nimport { rng } from "@folio/lib/rng";\nconsole.log(GREETING);\nconst r1 = rng(7).uniform(), r2 = rng(7).uniform();\n[twice(21), r1 === r2, r1 >= 0 && r1 < 1]',
    );
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    assert.equal(streamText(iopub), "hello from helper.ts\n");
    assert.deepEqual(result(iopub), ["[ 42, true, true ]"]);
    const typed = await k.execute("const notNum: string = twice(1);");
    assert.equal(typed.reply.content.ename, "TSError", "imported names are typed in later cells");
  });

  it("imports an ES-module-only package (default and named exports)", async () => {
    const { reply, iopub } = await k.execute(
      'import isPathInside from "is-path-inside";\nimport { findUpSync } from "find-up-simple";\n[isPathInside("/a/b", "/a"), isPathInside("/a", "/a/b"), typeof findUpSync]',
    );
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    assert.deepEqual(result(iopub), ["[ true, false, 'function' ]"]);
  });

  it("routes output of async callbacks started by the cell to the cell", async () => {
    const { iopub } = await k.execute(
      'setTimeout(() => console.log("late"), 20);\nawait new Promise((r) => setTimeout(r, 80));',
    );
    assert.equal(streamText(iopub), "late\n");
  });

  it("displays: display.html, display with id + update, clearOutput", async () => {
    const { reply, iopub } = await k.execute(
      'display.html("<b>hi</b>");\nconst h = display.markdown("*a*", { id: "d1" });\nh.update("*b*");\nclearOutput(true);',
    );
    assert.equal(reply.content.status, "ok");
    const dd = ofType(iopub, "display_data");
    assert.equal(dd[0].content.data["text/html"], "<b>hi</b>");
    assert.equal(dd[1].content.transient.display_id, "d1");
    const up = ofType(iopub, "update_display_data");
    assert.equal(up.length, 1);
    assert.equal(up[0].content.transient.display_id, "d1");
    assert.equal(up[0].content.data["text/markdown"], "*b*");
    assert.equal(ofType(iopub, "clear_output")[0].content.wait, true);
    assert.deepEqual(result(iopub), [], "a display handle is not echoed as the cell's value");
  });

  it("progress() redraws one display in place", async () => {
    const { iopub } = await k.execute(
      'const bar = progress(4, "train");\nfor (let i = 0; i < 4; i++) bar.tick();\nbar.done("ok");',
    );
    const first = ofType(iopub, "display_data");
    const updates = ofType(iopub, "update_display_data");
    assert.equal(first.length, 1);
    assert.ok(updates.length >= 1);
    const id = first[0].content.transient.display_id;
    assert.ok(updates.every((u) => u.content.transient.display_id === id));
    assert.match(updates[updates.length - 1].content.data["text/plain"], /^train \|█{30}\| 4\/4 .* ok$/);
  });

  it("delivers every display sent in one synchronous stretch (no 'socket busy' drops)", async () => {
    const { reply, iopub } = await k.execute(
      'const pad = "x".repeat(300000);\nfor (let i = 0; i < 40; i++) display.html(`<b>${i}</b>${pad}`);\nconsole.log("end");',
    );
    assert.equal(reply.content.status, "ok");
    const html = ofType(iopub, "display_data").map((m) =>
      (m.content.data["text/html"] as string).slice(0, 12).replace(/x+$/, ""),
    );
    assert.deepEqual(
      html,
      Array.from({ length: 40 }, (_, i) => `<b>${i}</b>`),
    );
    assert.equal(streamText(iopub, "stdout"), "end\n");
  });

  it("renders a plotly figure as plotly's MIME type and a summary, small enough to store (no plotly.js inlined)", async () => {
    const fig = '({ data: [{ x: [1, 2], y: [3, 4], type: "scatter" }], layout: { title: "demo" } })';
    const a = (await k.execute(fig)).iopub;
    const ra = ofType(a, "execute_result")[0].content.data;
    assert.deepEqual(ra["application/vnd.plotly.v1+json"], {
      data: [{ x: [1, 2], y: [3, 4], type: "scatter" }],
      layout: { title: "demo" },
    });
    assert.equal(ra["text/plain"], 'Plotly figure "demo": 1 trace (scatter)');
    assert.deepEqual(Object.keys(ra).sort(), ["application/vnd.plotly.v1+json", "text/plain"]);
    assert.ok(JSON.stringify(ra).length < 200, `${JSON.stringify(ra).length} bytes`);
  });

  it("renders objects with Symbol.for('Jupyter.display') through their bundle", async () => {
    const { iopub } = await k.execute(
      '({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>mine</i>", "text/plain": "mine" }; } })',
    );
    assert.equal(ofType(iopub, "execute_result")[0].content.data["text/html"], "<i>mine</i>");
  });

  it("drops a message with a bad signature and logs it", async () => {
    const bad = k.send(
      "shell",
      "execute_request",
      {
        code: "globalThis.pwned = 1",
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: true,
      },
      { badSignature: true },
    );
    await assert.rejects(k.reply(bad, 1500));
    assert.equal(k.iopubLog.filter((m) => m.parent_header.msg_id === bad).length, 0);
    const { iopub } = await k.execute("typeof (globalThis as any).pwned");
    assert.deepEqual(result(iopub), ["'undefined'"]);
    assert.match(k.stderr, /invalid HMAC signature/);
  });

  it("interrupts an infinite synchronous loop and a pending await (control message and SIGINT); variables survive", async () => {
    await k.execute("const survivor = 41;");
    const cases: [string, "control" | "signal"][] = [
      ["while (true) {}", "control"],
      ["await new Promise(() => {});", "control"],
      ["await new Promise((r) => setTimeout(r, 5));\nwhile (true) {}", "control"],
      ["while (true) {}", "signal"],
      ["await new Promise(() => {});", "signal"],
    ];
    for (const [code, how] of cases) {
      const id = k.send("shell", "execute_request", {
        code,
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: true,
      });
      await k.waitIopub((m) => m.parent_header.msg_id === id && m.header.msg_type === "execute_input");
      await new Promise((r) => setTimeout(r, 400));
      if (how === "control") assert.equal((await k.request("control", "interrupt_request", {})).content.status, "ok");
      else k.proc.kill("SIGINT");
      const reply = await k.reply(id, 10000);
      assert.equal(reply.content.status, "error", `${how}: ${code}`);
      assert.equal(reply.content.ename, "Interrupt");
      const { iopub } = await k.execute("survivor + 1");
      assert.deepEqual(result(iopub), ["42"], `${how}: ${code}`);
    }
  });

  it("a failing cell keeps what it did to its own top-level variables, as a later cell sees them", async () => {
    const { reply } = await k.execute(
      "const xs = [1, 3, 5, 7, 9];\nlet seen = 0, lastSeen = -1;\nfor (const x of xs) { seen++; lastSeen = x; if (x > 5) throw new Error(`too big: ${x}`); }",
    );
    assert.equal(reply.content.evalue, "too big: 7");
    assert.deepEqual(result((await k.execute("[seen, lastSeen]")).iopub), ["[ 4, 7 ]"]);
    // an initializer that changes an earlier variable, and a last expression that throws after changing one
    await k.execute('let a = 1;\nlet b = a++;\nconst fail = (): number => { throw new Error("x"); };\na++ + fail()');
    assert.deepEqual(result((await k.execute("[a, b]")).iopub), ["[ 3, 1 ]"]);
  });

  it("aborts queued executes after an error (stop_on_error) and honours silent", async () => {
    const first = k.send("shell", "execute_request", {
      code: 'await new Promise((r) => setTimeout(r, 200));\nthrow new Error("stop");',
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const second = k.send("shell", "execute_request", {
      code: "globalThis.ranAfter = 1",
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    assert.equal((await k.reply(first)).content.status, "error");
    const aborted = await k.reply(second);
    assert.equal(aborted.content.status, "aborted");
    assert.equal("execution_count" in aborted.content, false, "an aborted cell keeps `In [ ]` (issue 13.5)");
    const before = (await k.execute("1")).reply.content.execution_count;
    const silent = await k.execute('console.log("quiet"); 5', { silent: true });
    assert.equal(ofType(silent.iopub, "execute_input").length, 0);
    assert.equal(ofType(silent.iopub, "execute_result").length, 0);
    assert.equal(ofType(silent.iopub, "stream").length, 0);
    const after = (await k.execute("(globalThis as any).ranAfter")).reply;
    assert.equal(after.content.execution_count, before + 1);
  });

  it("evaluates user_expressions", async () => {
    const { reply } = await k.execute("const ue = 20;", { user_expressions: { a: "ue + 1", b: "nope(" } });
    assert.equal(reply.content.user_expressions.a.status, "ok");
    assert.equal(reply.content.user_expressions.a.data["text/plain"], "21");
    assert.equal(reply.content.user_expressions.b.status, "error");
  });

  it("completes names from the language and from earlier cells", async () => {
    await k.execute("const alphaBetaGamma = 1;");
    let r = await k.request("shell", "complete_request", { code: "Math.ma", cursor_pos: 7 });
    assert.equal(r.content.status, "ok");
    assert.deepEqual(r.content.matches, ["max"]);
    assert.equal(r.content.cursor_start, 5);
    assert.equal(r.content.cursor_end, 7);
    r = await k.request("shell", "complete_request", { code: "alphaBe", cursor_pos: 7 });
    assert.deepEqual(r.content.matches, ["alphaBetaGamma"]);
  });

  it("inspects with the type and the doc comment", async () => {
    const r = await k.request("shell", "inspect_request", { code: "Math.max", cursor_pos: 8, detail_level: 0 });
    assert.equal(r.content.status, "ok");
    assert.equal(r.content.found, true);
    assert.match(r.content.data["text/plain"], /max\(\.\.\.values: number\[\]\): number/);
    assert.match(r.content.data["text/plain"], /Returns the larger of a set of supplied numeric expressions/);
  });

  it("answers is_complete", async () => {
    const cases: [string, string][] = [
      ["1 + 1", "complete"],
      ["function f() {", "incomplete"],
      ["[1, 2", "incomplete"],
      ["`a ${1", "incomplete"],
      ["}", "invalid"],
      ["const = 5", "invalid"],
      ["x = a / b", "complete"],
    ];
    for (const [code, status] of cases) {
      const r = await k.request("shell", "is_complete_request", { code });
      assert.equal(r.content.status, status, code);
    }
    const r = await k.request("shell", "is_complete_request", { code: "if (x) {\n  while (y) {" });
    assert.equal(r.content.indent, "    ");
  });

  it("answers history (tail, range, search) and comm_info", async () => {
    await k.execute("const h1 = 1;");
    await k.execute("const h2 = 2;");
    const tail = await k.request("shell", "history_request", {
      output: false,
      raw: true,
      hist_access_type: "tail",
      n: 2,
    });
    assert.deepEqual(
      tail.content.history.map((h: unknown[]) => h[2]),
      ["const h1 = 1;", "const h2 = 2;"],
    );
    const [session, line] = tail.content.history[1];
    const range = await k.request("shell", "history_request", {
      output: false,
      raw: true,
      hist_access_type: "range",
      session,
      start: line,
      stop: line + 1,
    });
    assert.deepEqual(range.content.history, [[session, line, "const h2 = 2;"]]);
    const search = await k.request("shell", "history_request", {
      output: false,
      raw: true,
      hist_access_type: "search",
      pattern: "const h? = *",
      unique: true,
    });
    assert.deepEqual(
      search.content.history.map((h: unknown[]) => h[2]),
      ["const h1 = 1;", "const h2 = 2;"],
    );
    const comm = await k.request("shell", "comm_info_request", {});
    assert.deepEqual(comm.content, { status: "ok", comms: {} });
  });
});

describe("kernel shutdown", function () {
  this.timeout(60000);
  it("replies, echoes restart, and exits", async () => {
    const k = await TestKernel.start({ cwd: FIXTURES });
    const exited = new Promise<number | string | null>((r) => k.proc.once("exit", (code, signal) => r(code ?? signal)));
    const r = await k.request("control", "shutdown_request", { restart: true });
    assert.equal(r.content.status, "ok");
    assert.equal(r.content.restart, true);
    assert.equal(await exited, 0);
    await k.stop();
  });
});

describe("kernel robustness", function () {
  this.timeout(60000);

  it("exits with the code a cell passes to process.exit (not SIGABRT from ZeroMQ teardown)", async () => {
    for (let i = 0; i < 3; i++) {
      const k = await TestKernel.start({ cwd: FIXTURES });
      const exited = new Promise<number | string | null>((r) =>
        k.proc.once("exit", (code, signal) => r(code ?? signal)),
      );
      try {
        void k
          .request(
            "shell",
            "execute_request",
            { code: "process.exit(3)", silent: false, store_history: true, user_expressions: {}, allow_stdin: false },
            10000,
          )
          .catch(() => undefined);
        assert.equal(await exited, 3, k.stderr.slice(-2000));
      } finally {
        await k.stop(); // also after a failed assertion: a kernel left running keeps mocha from exiting
      }
    }
  });
  it("survives an unhandled rejection and a throw in a timer, reporting them on stderr", async () => {
    const k = await TestKernel.start({ cwd: FIXTURES });
    try {
      const { reply, iopub } = await k.execute(
        'const stays = 3;\nPromise.reject(new Error("nobody listens"));\nsetTimeout(() => { throw new Error("in a timer"); }, 10);\nawait new Promise((r) => setTimeout(r, 100));',
      );
      assert.equal(reply.content.status, "ok");
      const err = streamText(iopub, "stderr");
      assert.match(err, /Uncaught \(in promise\): Error: nobody listens/);
      assert.match(err, /Uncaught: Error: in a timer/);
      const again = await k.execute("stays");
      assert.deepEqual(result(again.iopub), ["3"]);
    } finally {
      await k.stop();
    }
  });
});
