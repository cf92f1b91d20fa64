/**
 * A real widget front end for tests and benchmarks: Debian's classic notebook server (its REST and websocket API)
 * on 127.0.0.1 with the Folio kernelspec installed into a temporary prefix, and Debian's Chromium (through
 * playwright-core) opening the esbuild bundle of `page.ts`, which the server itself serves as a static path (so the
 * page, its REST calls and its websocket are same-origin, as in a notebook). `close()` stops all of it.
 */
import { existsSync, mkdtempSync, promises as fs, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, launchChromium } from "../../../test/support/browser";
import { NOTEBOOK_SERVER, startNotebookServer, type NotebookServer } from "../../../test/support/notebook-server";

const HERE = __dirname;

/** Bundles page.ts (and the widget packages' CSS and fonts) into `dir`. */
export async function bundlePage(dir: string): Promise<void> {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(HERE, "page.ts")],
    outfile: path.join(dir, "page.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: false,
    logLevel: "error",
    // html-manager assigns webpack's public path, a global esbuild does not define
    banner: { js: 'var __webpack_public_path__ = "";' },
    define: { "process.env.NODE_ENV": '"production"' },
    loader: {
      ".css": "css",
      ".woff": "file",
      ".woff2": "file",
      ".ttf": "file",
      ".eot": "file",
      ".svg": "file",
      ".png": "file",
    },
  });
  const plotly = path.join(path.dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
  await fs.copyFile(plotly, path.join(dir, "plotly.min.js"));
  await fs.writeFile(
    path.join(dir, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><title>Folio widgets</title>
<link rel="stylesheet" href="page.css"><script src="plotly.min.js"></script></head>
<body><div id="out"></div>
<script src="page.js"></script></body></html>`,
  );
}

export interface FrontEnd {
  page: Page;
  /** Console errors and failed requests seen by the page. */
  problems: string[];
  close(): Promise<void>;
}

/** Starts the server and the browser and opens the page, which starts a Folio kernel through the server. */
export async function startFrontEnd(notebookDir: string): Promise<FrontEnd> {
  for (const f of [NOTEBOOK_SERVER, CHROMIUM])
    if (!existsSync(f))
      throw new Error(`${f} is missing: apt-get install ${f === NOTEBOOK_SERVER ? "jupyter-notebook" : "chromium"}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "folio-widgets-"));
  const { installKernelspec } = require("../../dist/install") as typeof import("../../src/install");
  installKernelspec({ prefix: path.join(tmp, "prefix") });
  const site = path.join(tmp, "static", "folio-widgets");
  await fs.mkdir(site, { recursive: true });
  await bundlePage(site);
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(tmp, "prefix", "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
    JUPYTER_DATA_DIR: path.join(tmp, "data"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
  };
  let server: NotebookServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    server = await startNotebookServer({
      notebookDir,
      env,
      args: [`--NotebookApp.extra_static_paths=["${path.join(tmp, "static")}"]`],
    });
    const { origin, token } = server;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    await page.addInitScript("globalThis.__name = (f) => f");
    await page.goto(`${origin}/static/folio-widgets/index.html?token=${token}`, { waitUntil: "load" });
    await page
      .evaluate(() => (window as unknown as { folio: Promise<unknown> }).folio.then(() => undefined))
      .catch((e) => {
        throw new Error(`the widget page did not start: ${(e as Error).message}\n${problems.join("\n")}`);
      });
    return { page, problems, close };
  } catch (e) {
    await close();
    throw e;
  }
}
