import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { WireError, decode, encode, makeMessage, sign } from "../src/client";

describe("ci wire protocol", () => {
  it("signs the four JSON frames with HMAC-SHA256 exactly as Python's hmac does", () => {
    const frames = ["{\"a\":1}", "{}", "{}", "{\"code\":\"1+1\"}"].map((s) => Buffer.from(s));
    const py = spawnSync("python3", ["-c", "import hmac,hashlib,sys\nh=hmac.new(b'secret',digestmod=hashlib.sha256)\nfor p in sys.argv[1:]: h.update(p.encode())\nprint(h.hexdigest())", ...frames.map(String)]);
    assert.equal(sign("secret", frames), py.stdout.toString().trim());
    assert.equal(sign("", frames), "");
  });

  it("round-trips a message and rejects a tampered or wrongly keyed one", () => {
    const msg = makeMessage("execute_request", { code: "x = 1" }, "sess");
    const frames = encode(msg, "k1");
    const back = decode([Buffer.from("some-routing-id"), ...frames], "k1");
    assert.deepEqual(back.content, { code: "x = 1" });
    assert.equal(back.header.msg_type, "execute_request");
    assert.throws(() => decode(frames, "k2"), WireError);
    const tampered = [...frames];
    tampered[5] = Buffer.from("{\"code\":\"x = 2\"}");
    assert.throws(() => decode(tampered, "k1"), WireError);
    assert.throws(() => decode([Buffer.from("no delimiter")], "k1"), WireError);
  });
});
