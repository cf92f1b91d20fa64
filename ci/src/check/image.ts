/**
 * Images compared as pictures, not as base64 text: PNGs are decoded to RGBA pixels (every colour type, bit
 * depth and Adam7 interlacing of the PNG specification, with Node's zlib), then compared pixel by pixel with a
 * per-channel tolerance; optionally a difference is forgiven when the mean structural similarity (SSIM, Wang
 * et al. 2004, "Image quality assessment: from error visibility to structural similarity", IEEE TIP 13(4)) of
 * the two pictures' luminance reaches a threshold. Other raster formats are compared byte for byte.
 * @see https://www.w3.org/TR/png/
 */
import { inflateSync } from "node:zlib";

export interface Picture {
  width: number;
  height: number /** RGBA, 8 bits per channel, row-major. */;
  rgba: Uint8Array;
}

export interface ImageTolerance {
  /** Largest difference allowed in any channel of any pixel (0–255). */
  pixel: number;
  /** Optional: pass when the mean SSIM of the luminance is at least this (0–1). */
  similarity?: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes a PNG file's bytes to RGBA pixels. Throws on a malformed file. */
export function decodePng(buf: Buffer): Picture {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let width = 0,
    height = 0,
    depth = 0,
    type = 0,
    interlace = 0;
  let palette: Buffer | undefined, trns: Buffer | undefined;
  const idat: Buffer[] = [];
  for (let p = 8; p + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(p),
      kind = buf.toString("latin1", p + 4, p + 8),
      data = buf.subarray(p + 8, p + 8 + len);
    if (kind === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      type = data[9];
      interlace = data[12];
    } else if (kind === "PLTE") palette = data;
    else if (kind === "tRNS") trns = data;
    else if (kind === "IDAT") idat.push(data);
    else if (kind === "IEND") break;
    p += 12 + len;
  }
  if (!width || !height) throw new Error("PNG without IHDR");
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
  if (!channels) throw new Error(`PNG colour type ${type} is not valid`);
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  const bpp = Math.max(1, (channels * depth) >> 3); // bytes per complete pixel, for the filters
  const max = (1 << depth) - 1;
  let offset = 0;
  // Adam7 passes: (x0, y0, dx, dy); one pass covering everything when not interlaced
  const passes = interlace
    ? [
        [0, 0, 8, 8],
        [4, 0, 8, 8],
        [0, 4, 4, 8],
        [2, 0, 4, 4],
        [0, 2, 2, 4],
        [1, 0, 2, 2],
        [0, 1, 1, 2],
      ]
    : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx),
      h = Math.ceil((height - y0) / dy);
    if (w <= 0 || h <= 0) continue;
    const stride = Math.ceil((w * channels * depth) / 8);
    let prev = new Uint8Array(stride);
    for (let y = 0; y < h; y++) {
      const filter = raw[offset];
      const line = Uint8Array.from(raw.subarray(offset + 1, offset + 1 + stride));
      offset += 1 + stride;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? line[i - bpp] : 0,
          b = prev[i],
          c = i >= bpp ? prev[i - bpp] : 0;
        if (filter === 1) line[i] += a;
        else if (filter === 2) line[i] += b;
        else if (filter === 3) line[i] += (a + b) >> 1;
        else if (filter === 4) {
          const pa = Math.abs(b - c),
            pb = Math.abs(a - c),
            pc = Math.abs(a + b - 2 * c);
          line[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
      }
      prev = line;
      const sample = (k: number): number => {
        if (depth === 8) return line[k];
        if (depth === 16) return line[2 * k]; // the high byte: 16-bit pictures compare at 8 bits
        const bit = k * depth;
        return (line[bit >> 3] >> (8 - depth - (bit & 7))) & max;
      };
      const scale = (v: number) => (depth === 16 || depth === 8 ? v : Math.round((v * 255) / max));
      for (let x = 0; x < w; x++) {
        const o = ((y0 + y * dy) * width + (x0 + x * dx)) * 4;
        const s = (ch: number) => sample(x * channels + ch);
        let r: number,
          g: number,
          bl: number,
          al = 255;
        if (type === 3) {
          const i = s(0);
          r = palette?.[3 * i] ?? 0;
          g = palette?.[3 * i + 1] ?? 0;
          bl = palette?.[3 * i + 2] ?? 0;
          al = trns && i < trns.length ? trns[i] : 255;
        } else if (type === 0 || type === 4) {
          r = g = bl = scale(s(0));
          if (type === 4) al = scale(s(1));
          else if (trns && trns.readUInt16BE(0) === (depth === 16 ? (line[2 * x] << 8) | line[2 * x + 1] : s(0)))
            al = 0;
        } else {
          r = scale(s(0));
          g = scale(s(1));
          bl = scale(s(2));
          if (type === 6) al = scale(s(3));
        }
        rgba[o] = r;
        rgba[o + 1] = g;
        rgba[o + 2] = bl;
        rgba[o + 3] = al;
      }
    }
  }
  return { width, height, rgba };
}

/** Luminance of every pixel, composited over white (Rec. 601 weights). */
function luminance(p: Picture): Float64Array {
  const y = new Float64Array(p.width * p.height);
  for (let i = 0; i < y.length; i++) {
    const a = p.rgba[4 * i + 3] / 255;
    const over = (v: number) => v * a + 255 * (1 - a);
    y[i] = 0.299 * over(p.rgba[4 * i]) + 0.587 * over(p.rgba[4 * i + 1]) + 0.114 * over(p.rgba[4 * i + 2]);
  }
  return y;
}

/** Mean SSIM over 8×8 windows (step 4) of the two pictures' luminance; 1 means identical. */
export function ssim(a: Picture, b: Picture): number {
  const ya = luminance(a),
    yb = luminance(b);
  const C1 = (0.01 * 255) ** 2,
    C2 = (0.03 * 255) ** 2;
  const win = Math.min(8, a.width, a.height),
    step = Math.max(1, win >> 1);
  let total = 0,
    n = 0;
  for (let y = 0; y + win <= a.height; y += step) {
    for (let x = 0; x + win <= a.width; x += step) {
      let ma = 0,
        mb = 0;
      for (let j = 0; j < win; j++)
        for (let i = 0; i < win; i++) {
          const k = (y + j) * a.width + x + i;
          ma += ya[k];
          mb += yb[k];
        }
      const m = win * win;
      ma /= m;
      mb /= m;
      let va = 0,
        vb = 0,
        cov = 0;
      for (let j = 0; j < win; j++)
        for (let i = 0; i < win; i++) {
          const k = (y + j) * a.width + x + i,
            da = ya[k] - ma,
            db = yb[k] - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      va /= m - 1 || 1;
      vb /= m - 1 || 1;
      cov /= m - 1 || 1;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      n++;
    }
  }
  return n ? total / n : 1;
}

/** Where two pictures differ beyond the tolerance (one line), or undefined. */
export function pictureMismatch(a: Picture, b: Picture, tol: ImageTolerance): string | undefined {
  if (a.width !== b.width || a.height !== b.height) return `size ${a.width}×${a.height} became ${b.width}×${b.height}`;
  let over = 0,
    largest = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    // two fully transparent pixels look alike whatever their colour channels hold
    if (a.rgba[i + 3] === 0 && b.rgba[i + 3] === 0) continue;
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a.rgba[i + c] - b.rgba[i + c]));
    if (d > tol.pixel) over++;
    largest = Math.max(largest, d);
  }
  if (over === 0) return undefined;
  const what = `${over} of ${a.width * a.height} pixels differ by more than ${tol.pixel} (largest difference ${largest})`;
  if (tol.similarity === undefined) return what;
  const s = ssim(a, b);
  return s >= tol.similarity ? undefined : `${what}; SSIM ${s.toFixed(4)} below ${tol.similarity}`;
}

const b64 = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "base64");

/** Compares two base64 payloads of `mime` (PNG decoded, other formats byte for byte); undefined when they match. */
export function imageMismatch(mime: string, expected: string, actual: string, tol: ImageTolerance): string | undefined {
  const e = b64(expected),
    a = b64(actual);
  if (e.equals(a)) return undefined;
  if (mime !== "image/png") return `${mime} bytes differ (only PNG is decoded; other formats must match byte for byte)`;
  let pe: Picture, pa: Picture;
  try {
    pe = decodePng(e);
  } catch (err) {
    return `stored PNG cannot be decoded (${(err as Error).message})`;
  }
  try {
    pa = decodePng(a);
  } catch (err) {
    return `new PNG cannot be decoded (${(err as Error).message})`;
  }
  return pictureMismatch(pe, pa, tol);
}

const DATA_URL = /^data:(image\/[a-z+.-]+);base64,(.*)$/s;

/** The MIME type and base64 payload of an image data URL (plotly image traces carry them), or undefined. */
export function dataUrlImage(s: string): { mime: string; base64: string } | undefined {
  const m = DATA_URL.exec(s);
  return m ? { mime: m[1], base64: m[2] } : undefined;
}
