import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { figure, heatmap, imageGrid, RASTER_CELLS } from "./index";
import { colorAt, encodePng, rasterize } from "./raster";

/** Decodes what encodePng writes (8-bit RGBA, filter 0): the test's independent reader of the PNG layout. */
function decode(png: Buffer): { w: number; h: number; px: Uint8Array } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const w = png.readUInt32BE(16),
    h = png.readUInt32BE(20);
  let off = 8,
    idat = Buffer.alloc(0);
  while (off < png.length) {
    const len = png.readUInt32BE(off),
      type = png.toString("ascii", off + 4, off + 8);
    if (type === "IDAT") idat = Buffer.concat([idat, png.subarray(off + 8, off + 8 + len)]);
    off += 12 + len;
  }
  const raw = inflateSync(idat),
    px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    assert.equal(raw[y * (w * 4 + 1)], 0);
    px.set(raw.subarray(y * (w * 4 + 1) + 1, (y + 1) * (w * 4 + 1)), y * w * 4);
  }
  return { w, h, px };
}

describe("plot", () => {
  it("colours follow plotly's stops", () => {
    assert.deepEqual(colorAt("Viridis", 0), [0x44, 0x01, 0x54]);
    assert.deepEqual(colorAt("Viridis", 1), [0xfd, 0xe7, 0x25]);
    assert.deepEqual(colorAt("Greys", 0.5), [128, 128, 128]);
    assert.deepEqual(colorAt("Greys", 1, true), [0, 0, 0]);
    assert.throws(() => colorAt("Jet", 0), /unknown colorscale/);
  });
  it("PNG round trip: size, pixels, transparency of null cells", () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    assert.deepEqual(decode(encodePng(3, 2, rgba)).px, rgba);
    const url = rasterize(
      [
        [0, 1],
        [null, 0.5],
      ],
      { colorscale: "Greys", zmin: 0, zmax: 1 },
    );
    const { w, h, px } = decode(Buffer.from(url.replace(/^data:image\/png;base64,/, ""), "base64"));
    assert.deepEqual([w, h], [2, 2]);
    assert.deepEqual([...px.subarray(0, 8)], [0, 0, 0, 255, 255, 255, 255, 255], "row 0 = z[0]");
    assert.equal(px[11], 0, "null is transparent");
  });
  it("large heatmaps become a PNG image trace with a colour-bar carrier; small ones stay numbers", () => {
    const n = Math.ceil(Math.sqrt(RASTER_CELLS)) + 1;
    const z = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i + j));
    const big = heatmap(z, { x: z.map((_, j) => 2 * j), y: z.map((_, i) => i) });
    assert.deepEqual(
      big.data.map((t) => t.type),
      ["image", "heatmap"],
    );
    assert.match(String(big.data[0].source), /^data:image\/png;base64,/);
    assert.equal(big.data[0].dx, 2);
    assert.ok(JSON.stringify(big).length < JSON.stringify(z).length / 2);
    assert.deepEqual(
      heatmap([
        [1, 2],
        [3, 4],
      ]).data.map((t) => t.type),
      ["heatmap"],
    );
    assert.deepEqual(
      heatmap(z, { x: z.map((_, j) => `c${j}`) }).data.map((t) => t.type),
      ["heatmap"],
      "categorical axes keep numbers",
    );
  });
  it("image grids are one PNG; trace numbers keep 6 significant digits, integers exact", () => {
    const fig = imageGrid([new Float32Array(4).fill(1), new Float32Array(4)], 2, 2);
    assert.equal(fig.data[0].type, "image");
    const f = figure([{ type: "scatter", x: [123456789, 1], y: new Float64Array([1 / 3, 2e-9 / 3]) }]);
    assert.deepEqual(f.data[0].x, [123456789, 1]);
    assert.deepEqual(f.data[0].y, [0.333333, 6.66667e-10]);
  });
});
