/**
 * Plotly figures as plain data. A figure is `{data, layout}`; the Folio kernel renders any such object as
 * `application/vnd.plotly.v1+json` (with an HTML fallback), and the runner's report draws it with the locally
 * bundled plotly.js. Helpers here only build figures: they never touch a DOM.
 */
import { show } from "../display";

export type Trace = Record<string, unknown> & { type?: string };
export interface Figure { data: Trace[]; layout: Record<string, unknown> }

const BASE_LAYOUT = { template: undefined, margin: { l: 60, r: 20, t: 50, b: 50 }, width: 720, height: 420 };

/** A figure from traces and layout, with Folio's default margins and size. */
export function figure(data: Trace[], layout: Record<string, unknown> = {}): Figure {
  return { data, layout: { ...BASE_LAYOUT, ...layout } };
}

/** Line plot of several named series sharing an x axis (or each with its own x). */
export function lines(
  series: { name: string; x: ArrayLike<number>; y: ArrayLike<number>; dash?: string; mode?: string }[],
  layout: { title?: string; xaxis?: string; yaxis?: string; logx?: boolean; logy?: boolean } & Record<string, unknown> = {},
): Figure {
  const { title, xaxis, yaxis, logx, logy, ...rest } = layout;
  return figure(
    series.map((s) => ({ type: "scatter", mode: s.mode ?? "lines+markers", name: s.name, x: Array.from(s.x), y: Array.from(s.y), line: s.dash ? { dash: s.dash } : undefined })),
    { title: title ? { text: title } : undefined, xaxis: { title: { text: xaxis ?? "" }, type: logx ? "log" : undefined }, yaxis: { title: { text: yaxis ?? "" }, type: logy ? "log" : undefined }, ...rest },
  );
}

/** Grouped bar chart: one trace per group, categories on the x axis. */
export function bars(categories: string[], groups: { name: string; y: ArrayLike<number> }[], layout: { title?: string; yaxis?: string } & Record<string, unknown> = {}): Figure {
  const { title, yaxis, ...rest } = layout;
  return figure(groups.map((g) => ({ type: "bar", name: g.name, x: categories, y: Array.from(g.y) })), { barmode: "group", title: title ? { text: title } : undefined, yaxis: { title: { text: yaxis ?? "" } }, ...rest });
}

/** Heatmap of a row-major matrix z[rows][cols]. */
export function heatmap(z: number[][], opts: { x?: ArrayLike<number | string>; y?: ArrayLike<number | string>; title?: string; xaxis?: string; yaxis?: string; colorscale?: string; zmin?: number; zmax?: number } = {}): Figure {
  return figure([{ type: "heatmap", z, x: opts.x ? Array.from(opts.x) : undefined, y: opts.y ? Array.from(opts.y) : undefined, colorscale: opts.colorscale ?? "Viridis", zmin: opts.zmin, zmax: opts.zmax }], {
    title: opts.title ? { text: opts.title } : undefined, xaxis: { title: { text: opts.xaxis ?? "" } }, yaxis: { title: { text: opts.yaxis ?? "" } },
  });
}

/** Grayscale images (each h×w, values in [0,1]) side by side in one heatmap grid, for sample reconstructions. */
export function imageGrid(images: ArrayLike<number>[], h: number, w: number, opts: { cols?: number; title?: string; labels?: string[] } = {}): Figure {
  const cols = opts.cols ?? images.length, rows = Math.ceil(images.length / cols), gap = 1;
  const H = rows * (h + gap) - gap, W = cols * (w + gap) - gap;
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array<number | null>(W).fill(null));
  images.forEach((img, k) => {
    const r0 = Math.floor(k / cols) * (h + gap), c0 = (k % cols) * (w + gap);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) z[H - 1 - (r0 + i)][c0 + j] = img[i * w + j];
  });
  const scale = Math.max(2, Math.floor(720 / W));
  return figure([{ type: "heatmap", z, colorscale: "Greys", reversescale: true, zmin: 0, zmax: 1, showscale: false }], {
    title: opts.title ? { text: opts.title } : undefined, width: Math.max(300, W * scale + 80), height: H * scale + 90,
    xaxis: { visible: false, scaleanchor: "y" }, yaxis: { visible: false },
  });
}

/** Shows a figure in the notebook (or prints a summary outside one). */
export function plot(fig: Figure): void { show(fig); }
