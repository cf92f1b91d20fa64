/**
 * Draws the kernelspec's PNG logos (logo-32x32.png, logo-64x64.png: the names classic Notebook and JupyterLab
 * look for) from kernel/frontend/logo-svg.svg with Debian's Chromium, so the committed PNGs always match the SVG.
 * Run: node --import tsx tools/logos.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { launchChromium } from "../test/support/browser";

const DIR = path.resolve(__dirname, "..", "kernel", "frontend");

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(DIR, "logo-svg.svg"), "utf8");
  const browser = await launchChromium();
  try {
    for (const size of [32, 64]) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace(/width="64" height="64"/, `width="${size}" height="${size}"`)}</body></html>`,
      );
      const file = path.join(DIR, `logo-${size}x${size}.png`);
      await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      console.log(`wrote ${file} (${fs.statSync(file).size} bytes)`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
