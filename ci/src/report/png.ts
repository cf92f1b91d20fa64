/**
 * Plotly figures to PNG files (`renderPlotlyPng` of the report module, for static copies of a notebook's figures):
 * one headless Chromium (Debian's, through playwright-core) draws every figure with the local plotly.js and
 * `Plotly.toImage`; nothing touches the network.
 */
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomic } from "../files";

export interface PlotlyFigure { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> }
export interface PngOptions {
  /** Chromium binary (default /usr/bin/chromium, or env FOLIO_CHROMIUM). */
  executablePath?: string;
  /** Device pixels per CSS pixel (default 2: sharp on paper and high-DPI screens). */
  scale?: number;
  /** Size used when a figure's layout gives none (default 720×420, lib/plot's default). */
  width?: number;
  height?: number;
}

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A figure name as a safe file stem. */
function stem(name: string, i: number): string {
  return name.replace(/\.png$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || `figure-${i + 1}`;
}

/**
 * Renders each figure to `<outDir>/<name>.png` with one browser for all of them; returns the written paths in
 * order. Throws (naming the fix) when Chromium is missing; a figure plotly cannot draw throws with its name.
 */
export async function renderPlotlyPng(figures: { name: string; figure: PlotlyFigure }[], outDir: string, opts: PngOptions = {}): Promise<string[]> {
  if (figures.length === 0) return [];
  const executablePath = opts.executablePath ?? process.env.FOLIO_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install chromium`);
  await fs.mkdir(outDir, { recursive: true });
  const { chromium } = await import("playwright-core");
  // plotly.js loads from file:// in a scratch page: injecting its 4.8 MB through the protocol is twice as slow.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "folio-png-"));
  const plotly = pathToFileURL(path.join(path.dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js")).href;
  await fs.writeFile(path.join(scratch, "draw.html"), `<!doctype html><html><head><meta charset="utf-8"><script src="${plotly}"></script></head><body></body></html>`);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.route(/^(?!file:|data:|about:)/, (route) => route.abort()); // never the network
    await page.goto(pathToFileURL(path.join(scratch, "draw.html")).href);
    const written: string[] = [];
    const used = new Set<string>();
    for (let i = 0; i < figures.length; i++) {
      const { name, figure } = figures[i];
      let base = stem(name, i);
      for (let k = 2; used.has(base.toLowerCase()); k++) base = `${stem(name, i)}-${k}`;
      used.add(base.toLowerCase());
      const layout = figure.layout ?? {};
      const width = typeof layout.width === "number" ? layout.width : opts.width ?? 720;
      const height = typeof layout.height === "number" ? layout.height : opts.height ?? 420;
      const url = await page.evaluate(async ({ fig, width, height, scale }) => {
        const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        return P.toImage({ data: fig.data, layout: { ...fig.layout, width, height } }, { format: "png", width, height, scale });
      }, { fig: { data: figure.data ?? [], layout }, width, height, scale: opts.scale ?? 2 }).catch((e: Error) => {
        throw new Error(`figure ${name}: plotly could not draw it: ${e.message.split("\n")[0]}`);
      });
      const b64 = url.slice(url.indexOf(",") + 1);
      const file = path.join(outDir, `${base}.png`);
      writeFileAtomic(file, Buffer.from(b64, "base64"));
      written.push(file);
    }
    return written;
  } finally {
    await browser.close();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
