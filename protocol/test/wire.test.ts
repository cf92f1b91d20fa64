/**
 * The shared wire codec against hand-written frames and against jupyter_client's own Session (Debian's
 * python3-jupyter-client): what one side signs, the other accepts, and nothing malformed ever throws.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { DELIMITER, ReplayGuard, Signer, decode, encode, makeMessage, type Decoded } from "../src/wire";

const PY = "/usr/bin/python3";
const frames = (...xs: string[]) => xs.map((s) => Buffer.from(s));
const expectFailure = (d: Decoded, kind: string): string => {
  assert.equal(d.ok, false, "decoded");
  if (d.ok) throw new Error("unreachable");
  assert.equal(d.kind, kind, d.reason);
  return d.reason;
};

describe("protocol: Jupyter wire format", () => {
  it("signs the four JSON frames with HMAC-SHA256 exactly as Python's hmac does; an empty key signs nothing", () => {
    const body = frames('{"a":1}', "{}", "{}", '{"code":"1+1"}');
    const py = spawnSync(PY, [
      "-c",
      "import hmac,hashlib,sys\nh=hmac.new(b'secret',digestmod=hashlib.sha256)\nfor p in sys.argv[1:]: h.update(p.encode())\nprint(h.hexdigest())",
      ...body.map(String),
    ]);
    assert.equal(py.status, 0, String(py.stderr));
    assert.equal(new Signer("secret").sign(body), py.stdout.toString().trim());
    assert.equal(new Signer("").sign(body), "");
  });

  it("round-trips a message with routing ids and buffers", () => {
    const signer = new Signer("k1");
    const msg = makeMessage("execute_request", { code: "x = 1" }, "sess", {
      ids: [Buffer.from("route")],
      buffers: [Buffer.from([0, 1, 2])],
    });
    const enc = encode(msg, signer);
    assert.ok(enc.ok);
    const back = decode(enc.frames, signer);
    assert.ok(back.ok);
    assert.deepEqual(back.msg.content, { code: "x = 1" });
    assert.equal(back.msg.header.msg_type, "execute_request");
    assert.equal(back.msg.header.version, "5.4");
    assert.deepEqual(back.msg.ids, [Buffer.from("route")]);
    assert.deepEqual(back.msg.buffers, [Buffer.from([0, 1, 2])]);
  });

  it("refuses a wrong key, a tampered frame, missing frames and a missing delimiter, as values", () => {
    const enc = encode(makeMessage("kernel_info_request", {}, "s"), new Signer("k1"));
    assert.ok(enc.ok);
    expectFailure(decode(enc.frames, new Signer("k2")), "signature");
    const tampered = [...enc.frames];
    tampered[5] = Buffer.from('{"code":"x = 2"}');
    expectFailure(decode(tampered, new Signer("k1")), "signature");
    expectFailure(decode(enc.frames.slice(0, 4), new Signer("k1")), "frames");
    expectFailure(decode(frames("no delimiter"), new Signer("k1")), "frames");
    expectFailure(decode([], new Signer("k1")), "frames");
  });

  it("checks the envelope: header fields, and parent/metadata/content objects (with the header kept to answer)", () => {
    const s = new Signer("key");
    const signed = (h: string, p = "{}", m = "{}", c = "{}") => [
      Buffer.from(DELIMITER),
      Buffer.from(s.sign(frames(h, p, m, c))),
      ...frames(h, p, m, c),
    ];
    const good = JSON.stringify({
      msg_id: "1",
      msg_type: "execute_request",
      session: "s",
      username: "u",
      date: "d",
      version: "5.3",
    });
    for (const h of [
      "null",
      "{}",
      "[]",
      "5",
      '"x"',
      '{"msg_id":"1"}',
      '{"msg_type":"x"}',
      '{"msg_id":1,"msg_type":"x"}',
      '{"msg_id":"1","msg_type":"x","session":7}',
    ]) {
      expectFailure(decode(signed(h), s), "header");
    }
    expectFailure(decode(signed("{not json"), s), "json");
    const deep = JSON.stringify({ msg_id: "1", msg_type: "x", extra: JSON.parse("[".repeat(40) + "]".repeat(40)) });
    assert.match(expectFailure(decode(signed(deep), s), "header"), /nested deeper/);
    for (const [p, m, c] of [
      ["null", "{}", "{}"],
      ["{}", "[1]", "{}"],
      ["{}", "{}", "null"],
      ["{}", "{}", "{oops"],
      ['{"msg_id":3}', "{}", "{}"],
    ]) {
      const d = decode(signed(good, p, m, c), s);
      expectFailure(d, "envelope");
      assert.ok(!d.ok && d.header?.msg_id === "1", "the header is kept so that the request can be answered");
    }
    const ok = decode(signed('{"msg_id":"1","msg_type":"kernel_info_request","subshell_id":null}'), s);
    assert.ok(ok.ok);
    assert.equal(ok.msg.header.session, "", "absent standard fields read as empty strings");
    assert.equal(ok.msg.header.subshell_id, null, "fields of later protocol versions are carried");
    const proto = decode(signed('{"msg_id":"1","msg_type":"x","__proto__":{"polluted":1}}'), s);
    assert.ok(proto.ok);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "a __proto__ field pollutes nothing");
  });

  it("refuses a repeated signature (replay), bounded in memory", () => {
    const s = new Signer("key");
    const guard = new ReplayGuard(3);
    const enc = encode(makeMessage("execute_request", { code: "1" }, "s"), s);
    assert.ok(enc.ok);
    assert.ok(decode(enc.frames, s, guard).ok);
    expectFailure(decode(enc.frames, s, guard), "replay");
    for (let i = 0; i < 10; i++) guard.admit(`sig${i}`);
    assert.equal(guard.size, 3, "oldest signatures forgotten past the limit");
    const unsigned = encode(makeMessage("execute_request", { code: "1" }, "s"), new Signer(""));
    assert.ok(unsigned.ok);
    const open = new ReplayGuard();
    assert.ok(
      decode(unsigned.frames, new Signer(""), open).ok && decode(unsigned.frames, new Signer(""), open).ok,
      "unsigned messages have no signature to compare",
    );
  });

  it("fails to encode what JSON cannot hold, as a value", () => {
    const r = encode(makeMessage("display_data", { data: { big: 1n } }, "s"), new Signer("k"));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : "", /display_data cannot be sent as JSON/);
  });

  it("interoperates with jupyter_client's Session both ways", function () {
    const probe = spawnSync(PY, ["-c", "import jupyter_client"]);
    if (probe.status !== 0) this.skip();
    const key = "0123456789abcdef";
    const script = `
import sys, json
from jupyter_client.session import Session
s = Session(key=b"${key}", session="py")
ours = [bytes.fromhex(x) for x in json.loads(sys.stdin.read())]
idents, rest = s.feed_identities(ours)
m = s.deserialize(rest)
reply = s.msg("execute_reply", content={"status": "ok", "echo": m["content"]["code"]}, parent=m["header"])
out = s.serialize(reply, ident=idents)
print(json.dumps([bytes(f).hex() for f in out]))
`;
    const signer = new Signer(key);
    const enc = encode(
      makeMessage("execute_request", { code: "π + 1" }, "ts", { ids: [Buffer.from("client")] }),
      signer,
    );
    assert.ok(enc.ok);
    const r = spawnSync(PY, ["-c", script], { input: JSON.stringify(enc.frames.map((f) => f.toString("hex"))) });
    assert.equal(r.status, 0, String(r.stderr));
    const back = decode(
      (JSON.parse(String(r.stdout)) as string[]).map((h) => Buffer.from(h, "hex")),
      signer,
    );
    assert.ok(back.ok, back.ok ? "" : back.reason);
    assert.equal(back.msg.header.msg_type, "execute_reply");
    assert.deepEqual(back.msg.content, { status: "ok", echo: "π + 1" });
    assert.deepEqual(back.msg.ids, [Buffer.from("client")]);
  });
});
