/**
 * `npm run bench:widgets`: a widget update from a real front end to its callback's first output. In Chromium
 * (the official widget manager, through Debian's notebook server, as in kernel/test/widgets-browser.test.ts), a
 * slider model is set and saved (what a drag does); the time until the Output model of `interact` changes is one
 * sample: websocket → server → ZeroMQ → kernel (echo_update, observer, callback) → Output update → back. Prints
 * the median, quartiles and the load average.
 */
import * as os from "node:os";
import * as path from "node:path";
import { startFrontEnd } from "../kernel/test/browser/harness";
import type { Folio } from "../kernel/test/browser/page";

const REPEATS = Number(process.env.REPEATS ?? 41);

async function main(): Promise<void> {
  const fe = await startFrontEnd(path.resolve(__dirname, "..", "kernel", "test", "fixtures"));
  try {
    const samples = await fe.page.evaluate(async (n) => {
      const folio: Folio = await (window as unknown as { folio: Promise<Folio> }).folio;
      const r = await folio.execute(
        [
          'import { IntSlider, interact } from "@folio/kernel/widgets";',
          'const ui = interact(({ k }) => { console.log(`k = ${k}`); return { data: [{ y: [0, k, 2 * k], type: "scatter" }] }; }, { k: new IntSlider({ min: 0, max: 1000 }) });',
          "[ui.controls.k.id, ui.output.id].join(' ')",
        ].join("\n"),
      );
      const [sliderId, outputId] = r.text.replace(/'/g, "").split(" ");
      const slider = await folio.manager.get_model(sliderId);
      const output = await folio.manager.get_model(outputId);
      const times: number[] = [];
      for (let i = 1; i <= n; i++) {
        const changed = new Promise<void>((resolve) => output.once("change:outputs", () => resolve()));
        const t0 = performance.now();
        slider.set("value", i);
        slider.save_changes();
        await changed;
        times.push(performance.now() - t0);
        await new Promise((res) => setTimeout(res, 20));
      }
      return times;
    }, REPEATS);
    const sorted = samples.slice(1).sort((a, b) => a - b); // the first sample warms the path
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
    const load = os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ");
    console.log(`widget update (front end) → callback's first output (front end), ${sorted.length} samples`);
    console.log(
      `median ${q(0.5).toFixed(1)} ms (quartiles ${q(0.25).toFixed(1)}–${q(0.75).toFixed(1)} ms, min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)}); load average ${load}`,
    );
  } finally {
    await fe.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
