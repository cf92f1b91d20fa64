/** The Jupyter client alone, against ipykernel over real ZeroMQ. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { KernelClient, KernelDied, findKernelspec, substituteArgv } from "../src/client";

const spec = findKernelspec("python3");

(spec ? describe : describe.skip)("ci Jupyter client with ipykernel", function () {
  this.timeout(60_000);

  it("handshakes, answers the heartbeat, executes, interrupts over control, and notices the kernel's death", async () => {
    const k = await KernelClient.launch({ spec: spec!, interruptMode: "message" });
    try {
      assert.equal(k.info.language_info.name, "python");
      assert.equal(await k.ping(), true);
      const seen: string[] = [];
      const r = await k.execute("print('hi')\n6*7", { onIopub: (m) => seen.push(m.header.msg_type) });
      assert.equal(r.reply.content.status, "ok");
      assert.deepEqual(seen, ["status", "execute_input", "stream", "execute_result", "status"]);
      const t0 = Date.now();
      // stopOnError false: after an error ipykernel aborts requests that arrive within a short window, which a loaded machine can hit
      const hung = await k.execute("import time\ntime.sleep(30)", {
        timeoutMs: 500,
        graceMs: 10_000,
        stopOnError: false,
      });
      assert.equal(hung.timedOut, true);
      assert.equal(hung.reply.content.ename, "KeyboardInterrupt");
      assert.ok(Date.now() - t0 < 8000);
      await assert.rejects(
        k.execute("import os\nos._exit(7)"),
        (e: unknown) => e instanceof KernelDied && e.exit.code === 7,
      );
      assert.equal(fs.existsSync(k.connDir), true, "connection file kept until shutdown");
    } finally {
      await k.shutdown();
    }
    assert.equal(fs.existsSync(k.connDir), false, "connection file removed");
  });

  it("substitutes {connection_file} in a kernelspec's argv", () => {
    assert.deepEqual(substituteArgv(["py", "-f", "{connection_file}", "--res={resource_dir}"], "/c.json", "/r"), [
      "py",
      "-f",
      "/c.json",
      "--res=/r",
    ]);
  });
});
