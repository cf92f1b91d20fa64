/** renderPlotlyPng: plotly figures to PNG files in one headless Chromium (skipped with FOLIO_SKIP_BROWSER=1). */
import assert from "node:assert/strict";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import { renderPlotlyPng } from "../src/report";

/** Width, height and the inflated pixel stream of a PNG, read from its chunks by hand. */
function readPng(buf: Buffer): { width: number; height: number; pixels: Buffer } {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature");
  let off = 8, width = 0, height = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString("latin1", off + 4, off + 8), body = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") { width = body.readUInt32BE(0); height = body.readUInt32BE(4); }
    if (type === "IDAT") idat.push(body);
    off += 12 + len;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe("report: plotly figures to PNG", function () {
  let dir = "";
  before(async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1") this.skip();
    assert.ok(existsSync("/usr/bin/chromium"), "/usr/bin/chromium is missing: apt-get install chromium (or set FOLIO_SKIP_BROWSER=1)");
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "folio-png-"));
  });
  after(async () => { if (dir) await fs.rm(dir, { recursive: true, force: true }); });

  it("draws every figure at its layout size (times the scale) with one browser, under safe unique names", async () => {
    const line = { data: [{ type: "scatter", mode: "lines", x: [0, 1, 2], y: [0, 2, 1], line: { color: "#d62728", width: 6 } }], layout: { width: 400, height: 300, title: { text: "line" } } };
    const bars = { data: [{ type: "bar", x: ["a", "b"], y: [3, 5] }], layout: {} };
    const files = await renderPlotlyPng([{ name: "01 loss/curve", figure: line }, { name: "bars", figure: bars }, { name: "bars", figure: bars }], dir, { scale: 1 });
    assert.deepEqual(files.map((f) => path.basename(f)), ["01-loss-curve.png", "bars.png", "bars-2.png"]);
    const a = readPng(await fs.readFile(files[0])), b = readPng(await fs.readFile(files[1]));
    assert.deepEqual([a.width, a.height], [400, 300]);
    assert.deepEqual([b.width, b.height], [720, 420]);
    // a blank image would inflate to a handful of byte values (filter types and white); a drawn plot to many
    assert.ok(new Set(a.pixels).size > 30, `distinct bytes: ${new Set(a.pixels).size}`);
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp")), []);
    const twice = await renderPlotlyPng([{ name: "x", figure: line }], dir, { scale: 2 });
    const c = readPng(await fs.readFile(twice[0]));
    assert.deepEqual([c.width, c.height], [800, 600]);
  });

  it("says how to install Chromium when it is missing, and needs no browser for no figures", async () => {
    assert.deepEqual(await renderPlotlyPng([], dir, { executablePath: "/nonexistent/chromium" }), []);
    await assert.rejects(renderPlotlyPng([{ name: "f", figure: { data: [] } }], dir, { executablePath: "/nonexistent/chromium" }), /apt-get install chromium/);
  });
});
