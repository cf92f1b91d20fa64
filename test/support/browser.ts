/**
 * Debian's Chromium through playwright-core, launched the one way every browser test and tool here uses: headless,
 * no sandbox (CI runs as root), and none of Chromium's background connections (this machine's network is closed:
 * without these flags Chromium keeps retrying refused connections). playwright gives each launch a fresh profile.
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = process.env.FOLIO_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Chromium, or throws naming the package to install (tests skip themselves with FOLIO_SKIP_BROWSER=1). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set FOLIO_SKIP_BROWSER=1)`);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
