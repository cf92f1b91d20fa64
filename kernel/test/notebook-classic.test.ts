/**
 * Stored plots in Debian's classic Notebook (6.x), in Chromium: `folio kernel install --user` into a throw-away
 * Jupyter home, then a committed workbook notebook opened fresh (untrusted, no cell run) must draw every plotly
 * figure it stores, with plotly.js from the installed nbextension and no request off 127.0.0.1; the page shows
 * the kernel's PNG logo. Skipped with FOLIO_SKIP_BROWSER=1 or FOLIO_SKIP_JUPYTER=1.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../test/support/browser";
import { NOTEBOOK_SERVER, startNotebookServer, type NotebookServer } from "../../test/support/notebook-server";

const ROOT = path.resolve(__dirname, "..", "..");
const NOTEBOOK = "03-spiking-gnn-stfn.ipynb";
const PLOTLY = "application/vnd.plotly.v1+json";

describe("classic Notebook draws a committed notebook's plots before any cell runs", function () {
  this.timeout(180_000);
  let home = "",
    server: NotebookServer | undefined,
    browser: Browser | undefined,
    base = "",
    token = "";
  const stored = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", NOTEBOOK), "utf8"));
  const figures = stored.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) =>
    (c.outputs ?? []).filter((o) => o.data?.[PLOTLY]),
  );

  before(async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1" || process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    assert.ok(
      fs.existsSync(NOTEBOOK_SERVER),
      `${NOTEBOOK_SERVER} is missing: apt-get install jupyter-notebook (or set FOLIO_SKIP_JUPYTER=1)`,
    );
    assert.ok(figures.length >= 3, `${NOTEBOOK} stores ${figures.length} plotly figures`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), "folio-classic-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      JUPYTER_DATA_DIR: path.join(home, "data"),
      JUPYTER_CONFIG_DIR: path.join(home, "config"),
      JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
      JUPYTER_PATH: "",
      JUPYTER_CONFIG_PATH: "",
    };
    const inst = spawnSync(process.execPath, [path.join(ROOT, "kernel", "dist", "cli.js"), "install", "--user"], {
      env,
      encoding: "utf8",
    });
    assert.equal(inst.status, 0, inst.stderr);
    fs.mkdirSync(path.join(home, "nb"));
    fs.copyFileSync(path.join(ROOT, "notebooks", NOTEBOOK), path.join(home, "nb", NOTEBOOK));
    server = await startNotebookServer({ notebookDir: path.join(home, "nb"), env });
    ({ origin: base, token } = server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("serves the kernelspec's 64x64 PNG logo", async () => {
    const r = await fetch(`${base}/kernelspecs/folio/logo-64x64.png?token=${token}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^image\/png/);
  });

  /**
   * Opens the notebook in a fresh page and waits for every stored figure to draw. `late`: the extension's script is
   * held back until the notebook has rendered its outputs (as text), so the extension must redraw them.
   */
  async function open(late: boolean) {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [],
      plotlyFrom: string[] = [];
    let textFirst = -1;
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (!url.startsWith(`${base}/`)) {
        problems.push(`off-host request: ${url}`);
        return route.abort();
      }
      if (/plotly[^/]*\.js/.test(url)) plotlyFrom.push(new URL(url).pathname);
      if (late && new URL(url).pathname === "/nbextensions/folio/extension.js") {
        await page.waitForFunction(
          () =>
            (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean } } }).Jupyter?.notebook
              ?._fully_loaded === true,
          undefined,
          { timeout: 90_000 },
        );
        textFirst = await page.evaluate(
          () =>
            Array.from(document.querySelectorAll(".output_text")).filter((e) =>
              e.textContent?.includes("Plotly figure"),
            ).length,
        );
      }
      return route.continue();
    });
    await page.goto(`${base}/notebooks/${NOTEBOOK}?token=${token}`, { waitUntil: "load" });
    await page
      .waitForFunction((n) => document.querySelectorAll(".output_folio_plotly .main-svg").length >= n, figures.length, {
        timeout: 90_000,
      })
      .catch(async (e) => {
        throw new Error(
          `${(e as Error).message}\n${problems.join("\n")}\n${await page
            .locator("#notebook")
            .innerText()
            .catch(() => "")}`.slice(0, 4000),
        );
      });
    const state = await page.evaluate(() => {
      const J = (window as unknown as { Jupyter: { notebook: { trusted: boolean; dirty: boolean } } }).Jupyter;
      return {
        trusted: J.notebook.trusted,
        dirty: J.notebook.dirty,
        figures: document.querySelectorAll(".output_folio_plotly").length,
        traces: Array.from(document.querySelectorAll(".output_folio_plotly .plot-container")).map(
          (p) => p.querySelectorAll(".trace, .hm, image").length > 0,
        ),
      };
    });
    assert.equal(state.trusted, false, "a notebook opened fresh is untrusted: nothing in it ran");
    assert.equal(state.figures, figures.length, "one drawn figure per stored plotly output");
    assert.ok(state.traces.every(Boolean), `every figure drew its traces: ${JSON.stringify(state.traces)}`);
    assert.equal(state.dirty, false, "drawing does not mark the notebook modified");
    assert.deepEqual([...new Set(plotlyFrom)], ["/nbextensions/folio/plotly.min.js"]);
    assert.deepEqual(problems, []);
    return { page, textFirst };
  }

  it("draws every stored figure, untrusted and offline, shows the kernel's logo, and leaves the notebook unmodified", async () => {
    const { page } = await open(false);
    await page
      .waitForFunction(
        () => (document.querySelector("#kernel_logo_widget img") as HTMLImageElement | null)?.naturalWidth === 64,
        undefined,
        { timeout: 30_000 },
      )
      .catch(() => assert.fail("the kernel's 64x64 logo did not load"));
    await page.close();
    assert.equal(
      fs.readFileSync(path.join(home, "nb", NOTEBOOK), "utf8"),
      fs.readFileSync(path.join(ROOT, "notebooks", NOTEBOOK), "utf8"),
    );
  });

  it("redraws figures the notebook had already shown as text when the extension loads late", async () => {
    const { page, textFirst } = await open(true);
    await page.close();
    assert.equal(textFirst, figures.length, "before the extension loaded, every figure showed its text/plain summary");
  });
});
