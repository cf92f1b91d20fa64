/**
 * Widgets saved and reported: the runner stores the widget state of a run in `metadata.widgets` (as nbclient
 * does), checking a re-run against it ignores the fresh model ids, and the report draws the saved widgets with
 * the locally bundled @jupyter-widgets/html-manager in Chromium, with no network.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../../test/support/browser";

const CLI = path.resolve(__dirname, "../dist/cli.js");
const FIXTURE = path.resolve(__dirname, "../../kernel/test/fixtures/widgets.ipynb");

describe("widgets: saved state, checking, report", function () {
  this.timeout(120000);
  let out = "";
  before(() => {
    out = mkdtempSync(path.join(os.tmpdir(), "folio-widgets-report-"));
    execFileSync(process.execPath, [CLI, "run", FIXTURE, "--out", out, "--no-cache", "-j", "1"], { encoding: "utf8" });
  });
  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("stores every model of the run in metadata.widgets, the views' models included", () => {
    const nb = JSON.parse(readFileSync(path.join(out, "widgets.ipynb"), "utf8"));
    const saved = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"];
    assert.equal(saved.version_major, 2);
    const state = saved.state as Record<
      string,
      { model_name: string; model_module: string; state: Record<string, unknown> }
    >;
    const view = nb.cells[1].outputs[0].data["application/vnd.jupyter.widget-view+json"];
    assert.equal(state[view.model_id].model_name, "VBoxModel");
    const byName = (n: string) => Object.values(state).filter((m) => m.model_name === n);
    assert.equal(byName("IntSliderModel")[0].state.value, 3);
    const outputs = byName("OutputModel")[0].state.outputs as {
      data?: Record<string, { layout?: { title?: { text?: string } } }>;
    }[];
    assert.equal(outputs[0].data?.["application/vnd.plotly.v1+json"].layout?.title?.text, "n = 3");
    for (const m of Object.values(state)) assert.match(m.model_module, /^@jupyter-widgets\/(base|controls|output)$/);
  });

  it("checks a re-run against the saved outputs although every model id is new", () => {
    // beside the fixture, so that the kernel resolves @folio/kernel from the repository
    const stored = path.join(path.dirname(FIXTURE), `.widgets-stored-${process.pid}.ipynb`);
    copyFileSync(path.join(out, "widgets.ipynb"), stored);
    try {
      const r = execFileSync(process.execPath, [CLI, "test", stored, "-j", "1"], { encoding: "utf8" });
      assert.match(r, /1 passed, 0 failed/);
    } finally {
      rmSync(stored, { force: true });
    }
  });

  it("run --update of an unchanged run rewrites nothing: same cells, same timestamps, same widget ids", () => {
    const stored = path.join(path.dirname(FIXTURE), `.widgets-update-${process.pid}.ipynb`);
    copyFileSync(path.join(out, "widgets.ipynb"), stored);
    try {
      const before = readFileSync(stored, "utf8");
      const r = execFileSync(process.execPath, [CLI, "run", "--update", "--no-out", "--no-cache", stored, "-j", "1"], {
        encoding: "utf8",
      });
      assert.match(r, /1 passed, 0 failed/);
      assert.equal(readFileSync(stored, "utf8"), before);
    } finally {
      rmSync(stored, { force: true });
    }
  });

  it("draws the saved slider and its plot in Chromium from local files only", async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1") this.skip();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("request", (r) => {
        if (!/^(file|data):/.test(r.url())) problems.push(`non-local request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(path.join(out, "widgets.html")).href);
      await page.waitForFunction(() => document.documentElement.dataset.widgets === "rendered", null, {
        timeout: 30000,
      });
      assert.equal((await page.locator(".folio-widget .widget-readout").innerText()).trim(), "3");
      await page.locator(".folio-widget .widget-output .gtitle").waitFor();
      assert.equal(await page.locator(".folio-widget .gtitle").textContent(), "n = 3");
      assert.equal(await page.locator(".folio-widget .widget-fallback").isVisible(), false);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
