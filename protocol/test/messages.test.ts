import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { endpoint, parseConnectionInfo, readConnectionFile } from "../src/connection";
import { notices, requests, replyType } from "../src/messages";
import * as shape from "../src/shape";

describe("protocol: Jupyter message shapes", () => {
  it("derives x_reply from x_request", () => {
    assert.equal(replyType("execute_request"), "execute_reply");
    assert.equal(replyType("kernel_info_request"), "kernel_info_reply");
    assert.equal(replyType("odd"), "odd_reply");
  });

  it("knows its request types and nothing from Object's prototype", () => {
    assert.ok(requests.has("execute_request"));
    assert.ok(notices.has("comm_msg"));
    for (const t of ["constructor", "__proto__", "toString", "hasOwnProperty", "comm_open", ""])
      assert.equal(requests.has(t), false, t);
  });

  it("parses valid requests, reads null as absent, and names the wrong field of an invalid one", () => {
    assert.deepEqual(
      requests.parse("execute_request", { code: "1", silent: false, user_expressions: { a: "x" }, extra: 1 }),
      { ok: true, value: { code: "1", silent: false, user_expressions: { a: "x" } } },
    );
    assert.deepEqual(requests.parse("history_request", { hist_access_type: "tail", n: 3, session: null }), {
      ok: true,
      value: { hist_access_type: "tail", n: 3 },
    });
    const bad: [Parameters<typeof requests.parse>[0], unknown, RegExp][] = [
      ["execute_request", {}, /^content\.code: expected a string, got nothing$/],
      ["execute_request", { code: 5 }, /content\.code: expected a string, got number 5/],
      ["execute_request", { code: "", silent: "no" }, /content\.silent: expected a boolean/],
      ["execute_request", { code: "", user_expressions: { a: 1 } }, /content\.user_expressions\.a: expected a string/],
      [
        "execute_request",
        { code: "", user_expressions: [] },
        /content\.user_expressions: expected an object, got an array/,
      ],
      ["complete_request", { code: "x", cursor_pos: -1 }, /cursor_pos: expected a non-negative integer/],
      ["complete_request", { code: "x", cursor_pos: 1.5 }, /cursor_pos: expected an integer/],
      ["complete_request", { code: "x", cursor_pos: 1e300 }, /cursor_pos: expected an integer/],
      ["inspect_request", { code: "x", detail_level: 2 }, /detail_level: expected one of 0, 1/],
      ["history_request", { hist_access_type: "all" }, /hist_access_type: expected one of "range", "tail", "search"/],
      ["shutdown_request", { restart: "yes" }, /restart: expected a boolean/],
    ];
    for (const [type, content, reason] of bad) {
      const r = requests.parse(type, content);
      assert.equal(r.ok, false, `${type} ${JSON.stringify(content)}`);
      assert.match(r.ok ? "" : r.reason, reason);
    }
  });

  it("keeps a record key named __proto__ as data", () => {
    const r = shape.record(shape.string).parse(JSON.parse('{"__proto__":"x","a":"b"}'));
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.value), ["__proto__", "a"]);
    assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  });
});

describe("protocol: connection files", () => {
  const base = {
    ip: "127.0.0.1",
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
    key: "k",
    signature_scheme: "hmac-sha256",
  };

  it("forms tcp and ipc endpoints as jupyter_client does", () => {
    const tcp = parseConnectionInfo(base);
    assert.ok(tcp.ok);
    assert.equal(tcp.value.transport, "tcp", "tcp by default");
    assert.equal(endpoint(tcp.value, "shell"), "tcp://127.0.0.1:1");
    const ipc = parseConnectionInfo({ ...base, transport: "ipc", ip: "/tmp/kernel-x" });
    assert.ok(ipc.ok);
    assert.equal(endpoint(ipc.value, "hb"), "ipc:///tmp/kernel-x-5");
  });

  it("refuses other signature schemes, bad ports and unreadable files with a reason naming the file", () => {
    const sha1 = parseConnectionInfo({ ...base, signature_scheme: "hmac-sha1" });
    assert.match(sha1.ok ? "" : sha1.reason, /unsupported signature scheme "hmac-sha1"/);
    assert.ok(parseConnectionInfo({ ...base, key: "", signature_scheme: "hmac-md5" }).ok, "no key: nothing is signed");
    const port = parseConnectionInfo({ ...base, hb_port: 70000 });
    assert.match(port.ok ? "" : port.reason, /hb_port: expected a port number/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-conn-"));
    const file = path.join(dir, "kernel.json");
    fs.writeFileSync(file, "{ not json");
    const r = readConnectionFile(file);
    assert.match(r.ok ? "" : r.reason, new RegExp(`cannot read connection file ${file}`));
    assert.match(((r) => (r.ok ? "" : r.reason))(readConnectionFile(path.join(dir, "missing.json"))), /ENOENT/);
    fs.rmSync(dir, { recursive: true });
  });
});
