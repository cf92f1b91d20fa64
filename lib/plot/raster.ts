/**
 * Raster figures: a large heatmap stored as a PNG inside a plotly `image` trace instead of a matrix of numbers.
 * A 90×180 coverage map is 50 kB of JSON (five times that once a notebook is indented) but about 2 kB as PNG, and
 * stored notebooks are regression references that people clone, diff and open offline. The colours follow
 * plotly's own colorscales (linear RGB interpolation between their stops), and an invisible two-cell heatmap
 * carries the colour bar, so the figure reads as before.
 */
import { deflateSync } from "node:zlib";

/** Plotly's colorscales used by the workbook, as [position, "#rrggbb"] stops (plotly.js `scales.js`). */
export const COLORSCALES: Record<string, [number, string][]> = {
  Viridis: [
    [0, "#440154"],
    [0.06274509803921569, "#48186a"],
    [0.12549019607843137, "#472d7b"],
    [0.18823529411764706, "#424086"],
    [0.25098039215686274, "#3b528b"],
    [0.3137254901960784, "#33638d"],
    [0.3764705882352941, "#2c728e"],
    [0.4392156862745098, "#26828e"],
    [0.5019607843137255, "#21918c"],
    [0.5647058823529412, "#1fa088"],
    [0.6274509803921569, "#28ae80"],
    [0.6901960784313725, "#3fbc73"],
    [0.7529411764705882, "#5ec962"],
    [0.8156862745098039, "#84d44b"],
    [0.8784313725490196, "#addc30"],
    [0.9411764705882353, "#d8e219"],
    [1, "#fde725"],
  ],
  Greys: [
    [0, "#000000"],
    [1, "#ffffff"],
  ],
};

const hex = (h: string): [number, number, number] => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
];

/** The colour of t ∈ [0, 1] on a colorscale: linear interpolation in RGB between the two surrounding stops. */
export function colorAt(scale: string, t: number, reverse = false): [number, number, number] {
  const stops = COLORSCALES[scale];
  if (!stops) throw new Error(`unknown colorscale "${scale}" (known: ${Object.keys(COLORSCALES).join(", ")})`);
  let u = Math.min(1, Math.max(0, reverse ? 1 - t : t));
  if (Number.isNaN(u)) u = 0;
  let k = 1;
  while (k < stops.length - 1 && stops[k][0] < u) k++;
  const [p0, c0] = stops[k - 1],
    [p1, c1] = stops[k];
  const a = hex(c0),
    b = hex(c1),
    w = p1 > p0 ? (u - p0) / (p1 - p0) : 0;
  return [0, 1, 2].map((i) => Math.round(a[i] + w * (b[i] - a[i]))) as [number, number, number];
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encodes an RGBA image (row-major, top row first) as PNG (ISO/IEC 15948: IHDR, one zlib IDAT, IEND). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4)
    throw new Error(`encodePng: ${rgba.length} bytes for ${width}×${height} RGBA`);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter type 0 (none) per scanline
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0; // 8-bit RGBA, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A matrix z[row][col] as a PNG data URL coloured by `colorscale` over [zmin, zmax]; null cells are transparent.
 * PNG row r is z[r]: a plotly image trace with `y0 = y[0]`, `dy > 0` and a y axis that increases upward draws
 * row 0 at the bottom, as a heatmap does (checked in Chromium against a heatmap trace).
 */
export function rasterize(
  z: (number | null)[][],
  opts: { colorscale: string; zmin: number; zmax: number; reversescale?: boolean },
): string {
  const h = z.length,
    w = h ? z[0].length : 0,
    rgba = new Uint8Array(w * h * 4);
  const span = opts.zmax - opts.zmin || 1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const v = z[r][c],
        o = (r * w + c) * 4;
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      const [R, G, B] = colorAt(opts.colorscale, (v - opts.zmin) / span, opts.reversescale);
      rgba[o] = R;
      rgba[o + 1] = G;
      rgba[o + 2] = B;
      rgba[o + 3] = 255;
    }
  }
  return `data:image/png;base64,${encodePng(w, h, rgba).toString("base64")}`;
}
