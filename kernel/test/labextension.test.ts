/**
 * The JupyterLab extension `folio kernel install` writes, loaded in Chromium the way JupyterLab ≥ 3 loads a
 * prebuilt extension (dev_mode/bootstrap.js and index.js): its package.json's `jupyterlab._build.load` script from
 * the labextensions URL, `init(shareScope)` with the host's @lumino/widgets (the real npm package, bundled for the
 * page), `get("./mimeExtension")`, then each renderer put in a Lumino panel and given a committed notebook's stored
 * (untrusted) plotly outputs. What this does not prove: JupyterLab itself is not installable from Debian, so no
 * running JupyterLab (its server, page config, RenderMimeRegistry or OutputArea) takes part.
 * Skipped with FOLIO_SKIP_BROWSER=1.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../test/support/browser";

const ROOT = path.resolve(__dirname, "..", "..");
const NOTEBOOK = "03-spiking-gnn-stfn.ipynb";
const PLOTLY = "application/vnd.plotly.v1+json";
const LUMINO = JSON.parse(fs.readFileSync(require.resolve("@lumino/widgets/package.json"), "utf8")).version as string;

/** The host page: JupyterLab's loader steps, then one Lumino panel per stored figure. */
const HARNESS = String.raw`
window.loadExtension = async function (name, load, figures) {
  const scope = { "@lumino/widgets": { [LUMINO_VERSION]: { get: () => Promise.resolve(() => LuminoWidgets), from: "host", eager: false, loaded: 0 } } };
  await new Promise((resolve, reject) => { const s = document.createElement("script"); s.onload = resolve; s.onerror = reject; s.src = "/lab/extensions/" + name + "/" + load; document.head.appendChild(s); });
  const container = window._JUPYTERLAB[name];
  await container.init(scope);
  const module = (await container.get("./mimeExtension"))();
  const plugins = [].concat(module.hasOwnProperty("__esModule") ? module.default : module);
  const ext = plugins.find((p) => p.rendererFactory && p.rendererFactory.mimeTypes.includes("application/vnd.plotly.v1+json"));
  const panel = new LuminoWidgets.Panel();
  LuminoWidgets.Widget.attach(panel, document.body);
  const before = JSON.stringify(figures);
  const drawn = [];
  for (const fig of figures) {
    const r = ext.rendererFactory.createRenderer({ mimeType: "application/vnd.plotly.v1+json", sanitizer: {}, resolver: null, linkHandler: null, latexTypesetter: null });
    panel.addWidget(r);
    await r.renderModel({ data: { "application/vnd.plotly.v1+json": fig }, metadata: {}, trusted: false, setData() {} });
    drawn.push({ svg: r.node.querySelectorAll(".main-svg").length, traces: r.node.querySelectorAll(".trace, .hm, image").length, hostWidget: r instanceof LuminoWidgets.Widget });
  }
  return { plugins: plugins.map((p) => p.id), safe: ext.rendererFactory.safe, rank: ext.rank, drawn, unchanged: JSON.stringify(figures) === before,
    shared: scope["@lumino/widgets"][LUMINO_VERSION].loaded };
};`;

describe("the JupyterLab extension, loaded as JupyterLab loads a prebuilt extension", function () {
  this.timeout(120_000);
  let tmp = "",
    server: http.Server | undefined,
    browser: Browser | undefined,
    base = "";
  const served: string[] = [];

  before(async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1") this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "folio-lab-"));
    const inst = spawnSync(
      process.execPath,
      [path.join(ROOT, "kernel", "dist", "cli.js"), "install", "--prefix", tmp],
      { encoding: "utf8" },
    );
    assert.equal(inst.status, 0, inst.stderr);
    const { build } = await import("esbuild");
    const lumino = (
      await build({
        stdin: { contents: 'export * from "@lumino/widgets";', resolveDir: ROOT },
        bundle: true,
        format: "iife",
        globalName: "LuminoWidgets",
        write: false,
      })
    ).outputFiles[0].text;
    const page = `<!doctype html><html><head><meta charset="utf-8"><script>${lumino}</script><script>const LUMINO_VERSION = ${JSON.stringify(LUMINO)};${HARNESS}</script></head><body></body></html>`;
    const labextensions = path.join(tmp, "share", "jupyter", "labextensions");
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      served.push(url.pathname);
      if (url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(page);
        return;
      }
      const file = path.join(labextensions, decodeURIComponent(url.pathname.replace(/^\/lab\/extensions\//, "")));
      if (!url.pathname.startsWith("/lab/extensions/") || !file.startsWith(labextensions) || !fs.existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/javascript" });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("draws every stored figure of a committed notebook with the host's Lumino and the installed plotly.js, offline", async () => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(tmp, "share", "jupyter", "labextensions", "@folio", "jupyterlab", "package.json"),
        "utf8",
      ),
    );
    const stored = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", NOTEBOOK), "utf8"));
    const figures = stored.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) =>
      (c.outputs ?? []).map((o) => o.data?.[PLOTLY]).filter(Boolean),
    );
    assert.ok(figures.length >= 3);
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(`${base}/`)) return route.continue();
      problems.push(`off-host: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(base, { waitUntil: "load" });
    const r = (await page.evaluate(
      ([name, load, figs]) =>
        (window as unknown as { loadExtension: (...a: unknown[]) => Promise<unknown> }).loadExtension(name, load, figs),
      [pkg.name, pkg.jupyterlab._build.load, figures] as const,
    )) as {
      plugins: string[];
      safe: boolean;
      rank: number;
      unchanged: boolean;
      shared: number;
      drawn: { svg: number; traces: number; hostWidget: boolean }[];
    };
    await page.close();
    assert.deepEqual(problems, []);
    assert.deepEqual(r.plugins, ["@folio/jupyterlab:plotly"]);
    assert.equal(r.safe, true, "safe: stored (untrusted) outputs draw");
    assert.equal(r.shared, 1, "the host's @lumino/widgets was consumed from the share scope");
    assert.equal(r.drawn.length, figures.length);
    for (const [i, d] of r.drawn.entries()) {
      assert.ok(d.hostWidget, `figure ${i}: the renderer is a widget of the host's Lumino`);
      assert.ok(d.svg > 0 && d.traces > 0, `figure ${i} drew: ${JSON.stringify(d)}`);
    }
    assert.ok(r.unchanged, "drawing leaves the notebook's data untouched");
    assert.ok(served.includes("/lab/extensions/@folio/jupyterlab/static/plotly.min.js"), served.join(", "));
  });
});
