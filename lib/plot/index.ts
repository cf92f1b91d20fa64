/**
 * Plotly figures as plain data. A figure is `{data, layout}`; the Folio kernel renders any such object as
 * `application/vnd.plotly.v1+json` (with an HTML fallback), and the runner's report draws it with the locally
 * bundled plotly.js. Helpers here only build figures: they never touch a DOM.
 */
import { show } from "../display";
import { COLORSCALES, rasterize } from "./raster";

export type Trace = Record<string, unknown> & { type?: string };
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

const BASE_LAYOUT = { template: undefined, margin: { l: 60, r: 20, t: 50, b: 50 }, width: 720, height: 420 };

/** Numbers in traces keep 6 significant digits (integers stay exact): plots look the same, stored notebooks shrink. */
function compact(v: unknown): unknown {
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(6));
  if (Array.isArray(v)) return v.map(compact);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => compact(x));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

/** A figure from traces and layout, with Folio's default margins and size; trace numbers keep 6 significant digits. */
export function figure(data: Trace[], layout: Record<string, unknown> = {}): Figure {
  return { data: data.map((t) => compact(t) as Trace), layout: { ...BASE_LAYOUT, ...layout } };
}

/** Line plot of several named series sharing an x axis (or each with its own x). */
export function lines(
  series: { name: string; x: ArrayLike<number>; y: ArrayLike<number>; dash?: string; mode?: string }[],
  layout: { title?: string; xaxis?: string; yaxis?: string; logx?: boolean; logy?: boolean } & Record<
    string,
    unknown
  > = {},
): Figure {
  const { title, xaxis, yaxis, logx, logy, ...rest } = layout;
  return figure(
    series.map((s) => ({
      type: "scatter",
      mode: s.mode ?? "lines+markers",
      name: s.name,
      x: Array.from(s.x),
      y: Array.from(s.y),
      line: s.dash ? { dash: s.dash } : undefined,
    })),
    {
      title: title ? { text: title } : undefined,
      xaxis: { title: { text: xaxis ?? "" }, type: logx ? "log" : undefined },
      yaxis: { title: { text: yaxis ?? "" }, type: logy ? "log" : undefined },
      ...rest,
    },
  );
}

/** Grouped bar chart: one trace per group, categories on the x axis. */
export function bars(
  categories: string[],
  groups: { name: string; y: ArrayLike<number> }[],
  layout: { title?: string; yaxis?: string } & Record<string, unknown> = {},
): Figure {
  const { title, yaxis, ...rest } = layout;
  return figure(
    groups.map((g) => ({ type: "bar", name: g.name, x: categories, y: Array.from(g.y) })),
    { barmode: "group", title: title ? { text: title } : undefined, yaxis: { title: { text: yaxis ?? "" } }, ...rest },
  );
}

/** Matrices with more cells than this are stored as a PNG image trace (see ./raster.ts), smaller ones as numbers. */
export const RASTER_CELLS = 1500;

const isEven = (v: number[]) =>
  v.length < 2
  || v.every((x, i) => i === 0 || Math.abs(x - v[i - 1] - (v[1] - v[0])) < 1e-9 * Math.max(1, Math.abs(x)));

/**
 * Heatmap of z[rows][cols] (row 0 at the bottom). Large matrices on evenly spaced numeric axes are drawn as a PNG
 * `image` trace in plotly's colours with an invisible two-cell heatmap carrying the colour bar, so a 90×180 map
 * costs about 2 kB in a stored notebook instead of 50 kB of numbers; hovering then shows colours, not values.
 */
export function heatmap(
  z: number[][],
  opts: {
    x?: ArrayLike<number | string>;
    y?: ArrayLike<number | string>;
    title?: string;
    xaxis?: string;
    yaxis?: string;
    colorscale?: string;
    zmin?: number;
    zmax?: number;
  } = {},
): Figure {
  const colorscale = opts.colorscale ?? "Viridis";
  const layout = {
    title: opts.title ? { text: opts.title } : undefined,
    xaxis: { title: { text: opts.xaxis ?? "" } },
    yaxis: { title: { text: opts.yaxis ?? "" } },
  };
  const x = opts.x ? Array.from(opts.x) : (z[0]?.map((_, j) => j) ?? []),
    y = opts.y ? Array.from(opts.y) : z.map((_, i) => i);
  const numeric = (v: (number | string)[]): v is number[] => v.every((t) => typeof t === "number");
  const cells = z.length * (z[0]?.length ?? 0);
  if (cells <= RASTER_CELLS || !(colorscale in COLORSCALES) || !numeric(x) || !numeric(y) || !isEven(x) || !isEven(y))
    return figure(
      [
        {
          type: "heatmap",
          z,
          x: opts.x ? x : undefined,
          y: opts.y ? y : undefined,
          colorscale,
          zmin: opts.zmin,
          zmax: opts.zmax,
        },
      ],
      layout,
    );
  const finite = z.flat().filter((v) => Number.isFinite(v));
  const zmin = opts.zmin ?? Math.min(...finite),
    zmax = opts.zmax ?? Math.max(...finite);
  const dx = x.length > 1 ? x[1] - x[0] : 1,
    dy = y.length > 1 ? y[1] - y[0] : 1;
  return figure(
    [
      { type: "image", source: rasterize(z, { colorscale, zmin, zmax }), x0: x[0], dx, y0: y[0], dy, hoverinfo: "x+y" },
      {
        type: "heatmap",
        z: [[zmin, zmax]],
        x: [x[0], x[0]],
        y: [y[0], y[0]],
        colorscale,
        zmin,
        zmax,
        opacity: 0,
        hoverinfo: "skip",
      },
    ],
    { ...layout, yaxis: { ...layout.yaxis, autorange: true } },
  );
}

/** Grayscale images (each h×w, values in [0,1], 1 = ink) side by side in one grid, stored as one PNG. */
export function imageGrid(
  images: ArrayLike<number>[],
  h: number,
  w: number,
  opts: { cols?: number; title?: string; labels?: string[] } = {},
): Figure {
  const cols = opts.cols ?? images.length,
    rows = Math.ceil(images.length / cols),
    gap = 1;
  const H = rows * (h + gap) - gap,
    W = cols * (w + gap) - gap;
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array<number | null>(W).fill(null));
  images.forEach((img, k) => {
    const r0 = Math.floor(k / cols) * (h + gap),
      c0 = (k % cols) * (w + gap);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) z[r0 + i][c0 + j] = img[i * w + j];
  });
  const scale = Math.max(2, Math.floor(720 / W));
  // PNG rows run top to bottom like the images' own rows: with the image trace's default reversed y axis, row 0 is on top
  return figure(
    [
      {
        type: "image",
        source: rasterize(z, { colorscale: "Greys", zmin: 0, zmax: 1, reversescale: true }),
        hoverinfo: "skip",
      },
    ],
    {
      title: opts.title ? { text: opts.title } : undefined,
      width: Math.max(300, W * scale + 80),
      height: H * scale + 90,
      xaxis: { visible: false },
      yaxis: { visible: false },
    },
  );
}

/** Shows a figure in the notebook (or prints a summary outside one). */
export function plot(fig: Figure): void {
  show(fig);
}
