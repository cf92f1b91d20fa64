/**
 * Widgets in a real front end: the official ipywidgets 8 widget manager (@jupyter-widgets/html-manager on
 * @jupyterlab/services) in Debian's Chromium, connected through Debian's classic notebook server to a Folio
 * kernel. A slider made by `interact` is dragged with the mouse; the kernel's callback runs and the plotly
 * figure in the Output widget is redrawn with the new value. (Debian's own widgetsnbextension is ipywidgets 6,
 * protocol 1, too old for this.)
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { startFrontEnd, type FrontEnd } from "./browser/harness";
import type { Folio } from "./browser/page";

type Win = { folio: Promise<Folio> };

describe("widgets in Chromium through the notebook server", function () {
  this.timeout(180000);
  let fe: FrontEnd | undefined;

  before(async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1" || process.env.FOLIO_SKIP_JUPYTER === "1") this.skip();
    fe = await startFrontEnd(path.join(__dirname, "fixtures"));
  });
  after(async () => {
    await fe?.close();
  });

  /** @jupyterlab/services first asks for its websocket subprotocol, which Notebook 6 does not speak, then reconnects without it (by design). */
  const real = (problems: string[]) => problems.filter((p) => !/Sec-WebSocket-Protocol/.test(p));
  const run = (code: string) =>
    fe!.page.evaluate(async (c) => (await (window as unknown as Win).folio).execute(c), code);

  it("renders an interact slider; dragging it runs the kernel's callback and redraws the plot", async () => {
    const { page, problems } = fe!;
    const r = await run(
      [
        'import { FloatSlider, interact } from "@folio/kernel/widgets";',
        "let calls = 0;",
        "interact(({ a }) => {",
        "  calls++;",
        "  console.log(`a = ${a}`);",
        '  return { data: [{ x: [0, 1, 2], y: [0, a, 2 * a], type: "scatter" }], layout: { title: { text: `slope ${a}` }, width: 500, height: 300 } };',
        '}, { a: new FloatSlider({ min: 0, max: 10, step: 0.5, value: 2, description: "a" }) });',
      ].join("\n"),
    );
    assert.equal(r.status, "ok", JSON.stringify(r));
    assert.equal(r.views.length, 1);
    // the slider, its readout, and the Output with the first run's text and figure
    await page.locator(".widget-slider .noUi-handle").waitFor();
    assert.equal((await page.locator(".widget-readout").innerText()).trim(), "2.00");
    await page.locator(".widget-output .folio-plotly .gtitle").waitFor();
    assert.equal(await page.locator(".widget-output .gtitle").textContent(), "slope 2");
    assert.match(await page.locator(".widget-output").innerText(), /a = 2\n/);

    // drag the handle to about 80% of the track
    const handle = await page.locator(".widget-slider .noUi-handle").boundingBox();
    const track = await page.locator(".widget-slider .noUi-base").boundingBox();
    assert.ok(handle && track);
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++)
      await page.mouse.move(track.x + track.width * (0.2 + 0.075 * i), handle.y + handle.height / 2);
    await page.mouse.up();
    const readout = Number((await page.locator(".widget-readout").innerText()).trim());
    assert.ok(readout >= 7 && readout <= 9, `slider at ${readout}`);
    // the kernel ran the callback with the new value: the Output shows it, and the figure was redrawn
    await page.waitForFunction(
      (v) => document.querySelector(".widget-output .gtitle")?.textContent === `slope ${v}`,
      readout,
      { timeout: 30000 },
    );
    assert.match(await page.locator(".widget-output").innerText(), new RegExp(`a = ${readout}\\n`));
    const kernelSide = await run("[calls > 1, (globalThis as any).calls]");
    assert.match(kernelSide.text, /^\[ true, \d+ \]$/);
    assert.deepEqual(real(problems), []);
  });

  it("a click on a Button reaches the kernel; its exception shows in the Output and the kernel lives on", async () => {
    const { page, problems } = fe!;
    const r = await run(
      [
        'import { Button, Output, VBox } from "@folio/kernel/widgets";',
        'const go = new Button({ description: "Go" }), out = new Output(); let clicked = 0;',
        'go.onClick(() => out.capture(() => { clicked++; if (clicked === 2) throw new Error("second click"); console.log(`click ${clicked}`); }));',
        "new VBox([go, out])",
      ].join("\n"),
    );
    assert.equal(r.status, "ok", JSON.stringify(r));
    const area = page.locator(`.widget-area[data-model-id="${r.views[0]}"]`);
    await area.locator("button").click();
    await area.locator(".widget-output", { hasText: "click 1" }).waitFor();
    await area.locator("button").click();
    await area.locator(".widget-output", { hasText: "second click" }).waitFor();
    assert.match((await run("clicked")).text, /^2$/);
    assert.deepEqual(real(problems), []);
  });
});
