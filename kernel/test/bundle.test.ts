/**
 * The kernel's start bundle (src/bundle.ts): the built kernel runs from it, a bundle listing a module that has
 * changed since is ignored (the modules load instead), and a code cache V8 rejects is replaced.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TestKernel } from "./client";

const BUNDLE_JS = path.resolve(__dirname, "..", "dist", "bundle.js");
const FIXTURES = path.join(__dirname, "fixtures");

/** Runs `code` in a fresh Node with `bundle` bound to dist/bundle.js; its stdout. */
function node(code: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ["-e", `const bundle = require(${JSON.stringify(BUNDLE_JS)});\n${code}`], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, `${r.signal ?? ""} ${r.error ?? ""} ${r.stderr}`);
  return r.stdout.trim();
}

describe("kernel start bundle", function () {
  this.timeout(60000);
  let tmp = "";
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "folio-bundle-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is current after npm run build, and the kernel runs from it (FOLIO_BUNDLE=0: from its modules)", async () => {
    assert.equal(node("process.stdout.write(typeof bundle.loadBundle()?.startKernel)"), "function");
    // the kernel's own module kernel.js is loaded as a file only when the bundle is not used
    const loaded = "Object.keys(require.cache).some((f) => f.endsWith(`${path.sep}dist${path.sep}kernel.js`))";
    for (const [env, expected] of [
      [{}, "false"],
      [{ FOLIO_BUNDLE: "0" }, "true"],
    ] as const) {
      const k = await TestKernel.start({ cwd: FIXTURES, env });
      try {
        const { reply, iopub } = await k.execute(`import * as path from "node:path";\n${loaded}`);
        assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
        const result = iopub.find((m) => m.header.msg_type === "execute_result");
        assert.equal(result?.content.data["text/plain"], expected, JSON.stringify(env));
      } finally {
        await k.stop();
      }
    }
  });

  it("is ignored when a module it holds has changed, and its code cache is replaced when V8 rejects it", () => {
    const out = path.join(tmp, "assets", "start.js");
    const cache = path.join(tmp, "cache");
    fs.mkdirSync(cache, { mode: 0o700 });
    const env = { FOLIO_CACHE_DIR: cache };
    node(`bundle.buildBundle(${JSON.stringify(out)}).catch((e) => { console.error(e); process.exit(1); });`);
    const text = fs.readFileSync(out, "utf8");
    const cacheFile = node(
      `process.stdout.write(bundle.codeCachePath(require("node:fs").readFileSync(${JSON.stringify(out)}, "utf8"), ${JSON.stringify(out)}))`,
      env,
    );
    // another install of the same bundle has a cache of its own (V8's cache names the files of its maker)
    const elsewhere = node(
      `process.stdout.write(bundle.codeCachePath(require("node:fs").readFileSync(${JSON.stringify(out)}, "utf8"), "/elsewhere/start.js"))`,
      env,
    );
    assert.notEqual(elsewhere, cacheFile);
    fs.writeFileSync(cacheFile, "not a V8 code cache");
    // loads (V8 rejects the cache), and writes a real cache once the kernel would have started
    assert.equal(
      node(
        `process.stdout.write(typeof bundle.loadBundle(${JSON.stringify(out)})?.startKernel); setTimeout(() => {}, 2500);`,
        env,
      ),
      "function",
    );
    assert.notEqual(fs.readFileSync(cacheFile, "utf8"), "not a V8 code cache");
    // one module's hash differs from the file's: the bundle is not used
    const first = text.slice(0, text.indexOf("\n"));
    const stale = first.replace(/"sha1":"(.)/, (_, c: string) => `"sha1":"${c === "0" ? "1" : "0"}`);
    assert.notEqual(stale, first);
    fs.writeFileSync(out, stale + text.slice(first.length));
    assert.equal(node(`process.stdout.write(String(bundle.loadBundle(${JSON.stringify(out)})))`, env), "undefined");
  });
});
