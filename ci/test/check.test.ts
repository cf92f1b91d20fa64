import assert from "node:assert/strict";
import * as os from "node:os";
import { deflateSync } from "node:zlib";
import * as zlib from "node:zlib";
import {
  compareNotebook,
  decodePng,
  imageMismatch,
  jsonMismatch,
  parseSanitizeFile,
  sanitize,
  compileSanitizers,
  textMismatch,
  unifiedDiff,
} from "../src/check";
import {
  DEFAULT_CONFIG,
  cellTolerance,
  notebookTolerance,
  parseBuiltinSanitizers,
  withoutSanitizers,
  type Config,
} from "../src/config";
import { formatFailure } from "../src/failure";
import { notebook } from "./helpers";

const tol = { rel: 1e-4, abs: 1e-8 };
const strict = DEFAULT_CONFIG.tolerance;

describe("ci sanitizers", () => {
  it("replace timestamps, temp paths, addresses and durations, and say which did", () => {
    assert.equal(sanitize("at 2024-05-01T12:34:56.789Z ok"), "at <TIMESTAMP> ok");
    assert.equal(sanitize("2024-05-01 12:34:56+02:00"), "<TIMESTAMP>");
    assert.equal(sanitize(`wrote ${os.tmpdir()}/folio-x1/a.json done`), "wrote <TMPPATH> done");
    assert.equal(sanitize("<object at 0x7f3a2c1b9e40>"), "<object at <ADDR>>");
    assert.equal(sanitize("took 1.23s, then 45 ms and [3.2s]"), "took <DURATION>, then <DURATION> and [<DURATION>]");
    // not durations: a plain count, a variable name
    assert.equal(sanitize("12 samples, x1s"), "12 samples, x1s");
    const used = new Set<string>();
    sanitize("at 0x7f3a2c1b9e40 in 3 s", [], used);
    assert.deepEqual([...used].sort(), ["duration", "hex-address"]);
  });

  it("apply the user's regexes from the config after the built-ins", () => {
    const user = compileSanitizers([{ regex: "run-[a-z0-9]+", replace: "run-ID" }]);
    assert.equal(sanitize("saved run-8f3a at 2024-01-01T00:00:00Z", user), "saved run-ID at <TIMESTAMP>");
  });

  it("each built-in can be turned off, by config or --no-sanitize, and unknown names are refused", () => {
    assert.deepEqual(withoutSanitizers(DEFAULT_CONFIG.builtinSanitizers, ["duration"]), [
      "iso-timestamp",
      "temp-path",
      "hex-address",
    ]);
    assert.deepEqual(withoutSanitizers(DEFAULT_CONFIG.builtinSanitizers, ["all"]), []);
    assert.throws(
      () => withoutSanitizers(DEFAULT_CONFIG.builtinSanitizers, ["dates"]),
      /unknown built-in sanitizer "dates"/,
    );
    assert.deepEqual(parseBuiltinSanitizers(false, "x"), []);
    assert.deepEqual(parseBuiltinSanitizers(["temp-path"], "x"), ["temp-path"]);
    assert.throws(
      () => parseBuiltinSanitizers(["nope"], "config f"),
      /^Error: config f: unknown built-in sanitizer "nope"/,
    );
  });

  it("reads nbval sanitize files (INI sections with regex and replace, Python named groups)", () => {
    const s = parseSanitizeFile(
      "[regex1]\nregex: \\d{1,2}/\\d{1,2}/\\d{2,4}\nreplace: DATE-STAMP\n\n# comment\n[named]\nregex: id=(?P<n>\\d+)\nreplace: id=N\n",
      "sanitize.cfg",
    );
    assert.deepEqual(
      s.map((x) => x.name),
      ["regex1", "named"],
    );
    assert.equal(sanitize("on 1/2/2024, id=42", s, undefined, []), "on DATE-STAMP, id=N");
    assert.throws(() => parseSanitizeFile("regex: x\n", "bad.cfg"), /^Error: bad\.cfg:1: expected \[section\]/);
  });
});

describe("ci numeric tolerance", () => {
  it("by default passes floating-point noise but fails a changed integer or significant digit", () => {
    assert.equal(0.1 + 0.2, 0.30000000000000004);
    assert.equal(textMismatch("x = 0.30000000000000004", `x = ${0.3}`, strict), undefined);
    assert.equal(textMismatch("[0.1, 0.7000000000000001]", "[0.1, 0.7]", strict), undefined);
    assert.match(
      textMismatch("n = 100000", "n = 100009", strict)!,
      /100000 became 100009 \(integers must match exactly\)/,
    );
    assert.match(textMismatch("n = 200019", "n = 200000", strict)!, /200019 became 200000/);
    assert.match(textMismatch("acc 0.91", "acc 0.92", strict)!, /0\.91 became 0\.92 \(beyond rel 1e-12, abs 0\)/);
    assert.match(textMismatch("e = 1.602e-19", "e = 1.603e-19", strict)!, /became/);
    assert.match(jsonMismatch({ n: 3 }, { n: 4 }, strict)!, /\$\.n: 3 became 4 \(integers must match exactly\)/);
    assert.equal(jsonMismatch([0.30000000000000004], [0.3], strict), undefined);
  });

  it("accepts numbers inside text within a chosen rel/abs and rejects beyond; integers only when asked", () => {
    assert.equal(textMismatch("acc 0.30000000000000004", "acc 0.3", tol), undefined);
    assert.equal(textMismatch("loss = 1.00000", "loss = 1.00005", tol), undefined); // 5e-5 relative
    assert.match(textMismatch("loss = 1.0000", "loss = 1.0002", tol)!, /1\.0000 became 1\.0002/);
    assert.match(textMismatch("acc 0.91", "acc: 0.91", tol)!, /text differs/);
    assert.equal(textMismatch("tiny 1e-12", "tiny 3e-12", tol), undefined); // under abs 1e-8
    assert.match(textMismatch("a 1 2", "a 1 2 3", tol)!, /numbers/);
    assert.match(textMismatch("n 100000", "n 100009", tol)!, /integers must match exactly/);
    assert.equal(textMismatch("n 100000", "n 100009", { ...tol, integers: true }), undefined);
  });

  it("compares JSON structurally with the same tolerance", () => {
    assert.equal(
      jsonMismatch({ a: [1, 2.0000001], s: "x 0.5" }, { a: [1, 2.0000000001], s: "x 0.50000001" }, tol),
      undefined,
    );
    assert.match(jsonMismatch({ a: [1, 2.5] }, { a: [1, 2.6] }, tol)!, /\$\.a\[1\]: 2\.5 became 2\.6/);
    assert.match(jsonMismatch({ a: 1 }, { a: 1, b: 2 }, tol)!, /unexpected key "b"/);
    assert.match(jsonMismatch([1, 2], [1], tol)!, /length 2 became 1/);
  });

  it("takes the tolerance from config, then notebook metadata, then cell tags", () => {
    const nbTol = notebookTolerance(DEFAULT_CONFIG, { folio: { tolerance: { rel: 0.01 } } });
    assert.deepEqual(nbTol, { rel: 0.01, abs: DEFAULT_CONFIG.tolerance.abs });
    assert.deepEqual(cellTolerance(nbTol, ["tolerance=0.1", "atol=0.5"]), { rel: 0.1, abs: 0.5 });
    assert.deepEqual(notebookTolerance(DEFAULT_CONFIG, { folio: { tolerance: 0.2 } }), {
      rel: 0.2,
      abs: DEFAULT_CONFIG.tolerance.abs,
    });
  });
});

describe("ci diff", () => {
  it("shows a unified diff, aligning lines whose numbers agree within tolerance", () => {
    const d = unifiedDiff("a 1.0\nb 2\nc 3", "a 1.0000001\nb 2.5\nc 3", {
      equal: (x, y) => textMismatch(x, y, tol) === undefined,
    });
    assert.equal(
      d,
      ["--- stored", "+++ executed", "@@ -1,3 +1,3 @@", " a 1.0000001", "-b 2", "+b 2.5", " c 3"].join("\n"),
    );
    assert.equal(unifiedDiff("same", "same"), "");
    assert.match(unifiedDiff("x", "y", { color: true }), /\x1b\[31m-x\x1b\[0m/);
  });
});

// ---- images: a small PNG encoder (RGBA/RGB/grey/palette, every filter, Adam7), so no image library is needed
type Px = [number, number, number, number];
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((zlib as unknown as { crc32(b: Buffer): number }).crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}
function filterRows(rows: Buffer[], bpp: number, filter: number): Buffer {
  return Buffer.concat(
    rows.map((row, y) => {
      const prev = y ? rows[y - 1] : Buffer.alloc(row.length);
      const out = Buffer.alloc(row.length + 1);
      out[0] = filter;
      for (let i = 0; i < row.length; i++) {
        const a = i >= bpp ? row[i - bpp] : 0,
          b = prev[i],
          c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
        out[i + 1] = (row[i] - pred) & 255;
      }
      return out;
    }),
  );
}
function png(
  w: number,
  h: number,
  px: (x: number, y: number) => Px,
  opts: { type?: 2 | 6 | 0 | 3; depth?: 8 | 16; filter?: number; interlace?: boolean; palette?: Px[] } = {},
): string {
  const type = opts.type ?? 6,
    depth = opts.depth ?? 8,
    ch = { 0: 1, 2: 3, 3: 1, 6: 4 }[type],
    bpp = (ch * depth) / 8;
  const sample = (x: number, y: number): number[] => {
    const [r, g, b, a] = px(x, y);
    if (type === 3) return [opts.palette!.findIndex((p) => p.join() === [r, g, b, a].join())];
    const v = type === 0 ? [r] : type === 2 ? [r, g, b] : [r, g, b, a];
    return depth === 16 ? v.flatMap((s) => [s, s]) : v;
  };
  const rowsOf = (xs: number[], ys: number[]) => ys.map((y) => Buffer.from(xs.flatMap((x) => sample(x, y))));
  const range = (n: number, start = 0, step = 1) =>
    Array.from({ length: Math.max(0, Math.ceil((n - start) / step)) }, (_, i) => start + i * step);
  const passes = opts.interlace
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
  const raw = Buffer.concat(
    passes.map(([x0, y0, dx, dy]) => {
      const xs = range(w, x0, dx),
        ys = range(h, y0, dy);
      return xs.length && ys.length ? filterRows(rowsOf(xs, ys), bpp, opts.filter ?? 0) : Buffer.alloc(0);
    }),
  );
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = depth;
  ihdr[9] = type;
  ihdr[12] = opts.interlace ? 1 : 0;
  const extra =
    type === 3
      ? [
          chunk("PLTE", Buffer.from(opts.palette!.flatMap((p) => p.slice(0, 3)))),
          chunk("tRNS", Buffer.from(opts.palette!.map((p) => p[3]))),
        ]
      : [];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    ...extra,
    chunk("IDAT", deflateSync(raw, { level: opts.filter ?? 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]).toString("base64");
}
const gradient = (x: number, y: number): Px => [(x * 37) & 255, (y * 53) & 255, (x * y * 7) & 255, 255];

describe("ci image comparison", () => {
  it("decodes every filter, RGB, grey 16-bit, palette with transparency and Adam7 interlacing to the same pixels", () => {
    const want = decodePng(Buffer.from(png(13, 11, gradient), "base64"));
    assert.equal(want.width, 13);
    assert.deepEqual([...want.rgba.slice(4 * (2 * 13 + 3), 4 * (2 * 13 + 3) + 4)], gradient(3, 2));
    for (const filter of [1, 2, 3, 4])
      assert.deepEqual(
        decodePng(Buffer.from(png(13, 11, gradient, { filter }), "base64")).rgba,
        want.rgba,
        `filter ${filter}`,
      );
    assert.deepEqual(
      decodePng(Buffer.from(png(13, 11, gradient, { interlace: true, filter: 4 }), "base64")).rgba,
      want.rgba,
      "Adam7",
    );
    const rgb = decodePng(Buffer.from(png(13, 11, gradient, { type: 2 }), "base64"));
    assert.deepEqual(rgb.rgba, want.rgba);
    const grey = (x: number, y: number): Px => [(x * 20 + y) & 255, (x * 20 + y) & 255, (x * 20 + y) & 255, 255];
    assert.deepEqual(
      decodePng(Buffer.from(png(9, 5, grey, { type: 0, depth: 16 }), "base64")).rgba,
      decodePng(Buffer.from(png(9, 5, grey), "base64")).rgba,
    );
    const palette: Px[] = [
      [255, 0, 0, 255],
      [0, 0, 255, 128],
      [0, 0, 0, 0],
    ];
    const pal = (x: number, y: number) => palette[(x + y) % 3];
    assert.deepEqual(
      decodePng(Buffer.from(png(6, 4, pal, { type: 3, palette }), "base64")).rgba,
      decodePng(Buffer.from(png(6, 4, pal), "base64")).rgba,
    );
  });

  it("compares pixels, not base64: another encoding of the same picture passes, one changed pixel fails unless tolerated", () => {
    const a = png(16, 16, gradient),
      sameOtherBytes = png(16, 16, gradient, { filter: 2 });
    assert.notEqual(a, sameOtherBytes);
    assert.equal(imageMismatch("image/png", a, sameOtherBytes, { pixel: 0 }), undefined);
    const nudged = png(16, 16, (x, y) =>
      x === 5 && y === 7 ? [gradient(x, y)[0] + 1, gradient(x, y)[1], gradient(x, y)[2], 255] : gradient(x, y),
    );
    assert.match(
      imageMismatch("image/png", a, nudged, { pixel: 0 })!,
      /^1 of 256 pixels differ by more than 0 \(largest difference 1\)$/,
    );
    assert.equal(imageMismatch("image/png", a, nudged, { pixel: 1 }), undefined);
    assert.match(imageMismatch("image/png", a, png(16, 15, gradient), { pixel: 255 })!, /size 16×16 became 16×15/);
    // a perceptual threshold forgives a faint change that a strict pixel test does not
    const faint = png(16, 16, (x, y) => {
      const p = gradient(x, y);
      return [Math.min(255, p[0] + 3), p[1], p[2], 255];
    });
    assert.match(imageMismatch("image/png", a, faint, { pixel: 0 })!, /pixels differ/);
    assert.equal(imageMismatch("image/png", a, faint, { pixel: 0, similarity: 0.99 }), undefined);
    const inverted = png(16, 16, (x, y) => {
      const p = gradient(x, y);
      return [255 - p[0], 255 - p[1], 255 - p[2], 255];
    });
    assert.match(
      imageMismatch("image/png", a, inverted, { pixel: 0, similarity: 0.99 })!,
      /SSIM -?\d\.\d{4} below 0\.99/,
    );
    assert.match(imageMismatch("image/jpeg", "AAAA", "AAAB", { pixel: 255 })!, /only PNG is decoded/);
  });
});

/** A one-cell stored/executed pair whose outputs are `stored` and `executed`. */
function pair(
  stored: unknown[],
  executed: unknown[],
  tags?: string[],
  metadata: Record<string, unknown> = {},
  config: Partial<Config> = {},
  compareImages = false,
) {
  const a = notebook([{ source: "x", tags }], "python3", metadata),
    b = notebook([{ source: "x", tags }], "python3", metadata);
  a.cells[0].outputs = stored;
  a.cells[0].execution_count = 1;
  b.cells[0].outputs = executed;
  return compareNotebook(a, b, { config: { ...DEFAULT_CONFIG, ...config }, compareImages }).failures;
}
const figure = (
  y: number[],
  layout: Record<string, unknown> = { title: { text: "t" } },
  extra: Record<string, unknown> = {},
) => ({
  output_type: "display_data",
  metadata: {},
  data: {
    "application/vnd.plotly.v1+json": { data: [{ type: "scatter", x: [0, 1, 2], y, ...extra }], layout },
    "text/plain": "Figure",
  },
});
const text = (t: string, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  output_type: "display_data",
  metadata,
  data: { "text/plain": t, ...extra },
});

describe("ci output comparison", () => {
  it("compares plotly figures on data and layout (titles, axes) within tolerance, ignoring random trace ids", () => {
    assert.deepEqual(
      pair(
        [figure([1, 2.5, 3], undefined, { uid: "a1b2" })],
        [figure([1, 2.5 + 1e-15, 3], undefined, { uid: "ffee" })],
      ),
      [],
    );
    const f = pair([figure([1, 2.5, 3])], [figure([1, 2.6, 3])]);
    assert.equal(f.length, 1);
    assert.match(
      formatFailure(f[0]),
      /cell 1 \(id c0\): output 1 application\/vnd\.plotly\.v1\+json: figure\.data\[0\]\.y\[1\]: 2\.5 became 2\.6/,
    );
    assert.match(
      formatFailure(pair([figure([1])], [figure([1], { title: { text: "other" } })])[0]),
      /figure\.layout\.title\.text: text differs/,
    );
    assert.match(
      formatFailure(
        pair(
          [figure([1], { xaxis: { title: { text: "epoch" } } })],
          [figure([1], { xaxis: { title: { text: "step" } } })],
        )[0],
      ),
      /figure\.layout\.xaxis\.title\.text/,
    );
  });

  it("compares a plotly image trace's PNG as pixels", () => {
    const img = (b64: string) => figure([0], {}, { type: "image", source: `data:image/png;base64,${b64}` });
    assert.deepEqual(pair([img(png(8, 8, gradient))], [img(png(8, 8, gradient, { filter: 1 }))]), []);
    const f = pair([img(png(8, 8, gradient))], [img(png(8, 8, (x, y) => (x ? gradient(x, y) : [200, 0, 0, 255])))]);
    assert.match(formatFailure(f[0]), /figure\.data\[0\]\.source: 8 of 64 pixels differ/);
    assert.match(
      f[0].detail!.diff!,
      /<image\/png, \d+ bytes, sha1 [0-9a-f]{10}>/,
      "the diff names the image, not its base64",
    );
  });

  it("compares image/png outputs as pixels when asked, and skips them otherwise", () => {
    const out = (b64: string) => text("<Figure>", { "image/png": b64 });
    const changed = png(8, 8, (x, y) => (x === 1 && y === 1 ? [9, 9, 9, 255] : gradient(x, y)));
    assert.deepEqual(pair([out(png(8, 8, gradient))], [out(changed)]), []);
    assert.match(
      formatFailure(pair([out(png(8, 8, gradient))], [out(changed)], undefined, {}, {}, true)[0]),
      /image\/png: 1 of 64 pixels differ/,
    );
    assert.deepEqual(
      pair([out(png(8, 8, gradient))], [out(changed)], undefined, {}, { imageTolerance: 255 }, true),
      [],
    );
  });

  it("skips HTML beside text/plain, ignores progress outputs, merges streams", () => {
    const s = [text("a", { "text/html": "<b>a</b>" }), { output_type: "stream", name: "stdout", text: "1\n2\n" }];
    const e = [
      text("bar 3/3 [1.0s]", {}, { folio: { progress: true } }),
      text("a", { "text/html": "<i>a</i>" }),
      { output_type: "stream", name: "stdout", text: "1\n" },
      { output_type: "stream", name: "stdout", text: "2\n" },
    ];
    assert.deepEqual(pair(s, e), []);
    assert.equal(pair([text("a")], [text("b")]).length, 1);
  });

  it("honours ignore-output (and nbval's marker and tag) and cell tolerance tags", () => {
    assert.deepEqual(pair([text("0.5")], [text("0.9")], ["ignore-output"]), []);
    assert.deepEqual(pair([text("0.5")], [text("0.9")], ["nbval-ignore-output"]), []);
    assert.deepEqual(pair([text("0.500")], [text("0.505")], ["tolerance=1e-2"]), []);
    assert.equal(pair([text("0.500")], [text("0.505")]).length, 1);
    assert.deepEqual(pair([text("0.500")], [text("0.505")], undefined, { folio: { tolerance: 0.05 } }), []);
  });

  it("lists the sanitizers that rewrote a failing cell, and compares raw text when they are off", () => {
    const four = (s: string, t: string, d: string, n: string) => [
      { output_type: "stream", name: "stdout", text: `took ${s}\nsaved ${t}\non ${d}\ncount ${n}\n` },
    ];
    const stored = four("15 s", "/tmp/run-a/x.csv", "2024-05-01T10:00:00Z", "200019");
    const changedAll = four("1.5 s", "/tmp/run-b/x.csv", "2025-01-02T11:30:00Z", "200000");
    const f = pair(stored, changedAll);
    assert.equal(f.length, 1);
    assert.match(formatFailure(f[0]), /200019 became 200000/);
    assert.deepEqual(f[0].detail!.sanitizers!.sort(), ["duration", "iso-timestamp", "temp-path"]);
    const raw = { builtinSanitizers: [] };
    for (const [i, change] of [
      four("1.5 s", "/tmp/run-a/x.csv", "2024-05-01T10:00:00Z", "200019"),
      four("15 s", "/tmp/run-b/x.csv", "2024-05-01T10:00:00Z", "200019"),
      four("15 s", "/tmp/run-a/x.csv", "2025-01-02T11:30:00Z", "200019"),
      four("15 s", "/tmp/run-a/x.csv", "2024-05-01T10:00:00Z", "200000"),
    ].entries()) {
      assert.equal(pair(stored, change, undefined, {}, raw).length, 1, `change ${i + 1} fails without sanitizers`);
      assert.equal(pair(stored, change).length, i === 3 ? 1 : 0, `change ${i + 1} with the built-ins`);
    }
  });

  it("reports a changed number of outputs and an error's name and message, not its traceback", () => {
    const err = (v: string, tb: string) => ({ output_type: "error", ename: "ValueError", evalue: v, traceback: [tb] });
    assert.deepEqual(pair([err("bad 1", "line 3")], [err("bad 1", "line 4")]), []);
    const f = pair([text("a")], [text("a"), text("b")]);
    assert.match(formatFailure(f[0]), /1 output stored, 2 produced/);
    assert.match(f[0].detail!.diff!, /^\+\[display_data text\/plain\]$/m);
  });

  it("counts a cell stored without outputs or execution count as not recorded, and does not compare it", () => {
    const a = notebook(["print(1)", "print(2)"]),
      b = notebook(["print(1)", "print(2)"]);
    b.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "1\n" }];
    b.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "2\n" }];
    a.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "3\n" }];
    a.cells[1].execution_count = 2;
    const r = compareNotebook(a, b, { config: DEFAULT_CONFIG });
    assert.equal(r.notRecorded, 1);
    assert.deepEqual(
      r.failures.map((f) => f.cell!.index),
      [1],
    );
  });

  it("under --lax compares only the cells marked for checking (nbval's NBVAL_CHECK_OUTPUT and nbval-check-output)", () => {
    const mk = (out: string) => {
      const nb = notebook([
        "print(1)",
        "# NBVAL_CHECK_OUTPUT\nprint(2)",
        { source: "print(3)", tags: ["nbval-check-output"] },
      ]);
      nb.cells.forEach((c: any, i: number) => {
        c.outputs = [{ output_type: "stream", name: "stdout", text: `${out}${i}\n` }];
        c.execution_count = i + 1;
      });
      return nb;
    };
    assert.equal(compareNotebook(mk("a"), mk("b"), { config: DEFAULT_CONFIG }).failures.length, 3);
    assert.deepEqual(
      compareNotebook(mk("a"), mk("b"), { config: DEFAULT_CONFIG, lax: true }).failures.map((f) => f.cell!.index),
      [1, 2],
    );
  });
});
