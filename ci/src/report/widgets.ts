/**
 * The report's widget support: a widget-view output is written as a placeholder (with its text/plain fallback)
 * that `widgets-embed.ts` replaces with the live view, from the notebook's saved widget state; the embed script
 * and the widget packages' CSS and fonts are bundled locally with esbuild into the report's assets (no CDN).
 */
import { existsSync, promises as fs } from "node:fs";
import * as path from "node:path";
import { WIDGET_VIEW_MIME } from "../nbformat";
import { WIDGET_STATE_MIME } from "../widgets";
import { escapeHtml } from "./html";

/** JSON inside a <script> element: `</` cannot end it early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

export interface SavedWidgets {
  state: { state?: Record<string, unknown> };
}

/** The saved state of a notebook's widgets, if it has any. */
export function savedWidgets(metadata: Record<string, unknown> | undefined): SavedWidgets | undefined {
  const s = (metadata?.widgets as Record<string, unknown> | undefined)?.[WIDGET_STATE_MIME] as
    | SavedWidgets["state"]
    | undefined;
  return s && typeof s.state === "object" && s.state ? { state: s } : undefined;
}

/** A widget view whose model was saved: placeholder + fallback text; otherwise undefined (shown as text). */
export function widgetView(view: unknown, fallback: string, saved: SavedWidgets | undefined): string | undefined {
  const id = (view as { model_id?: unknown } | undefined)?.model_id;
  if (!saved || typeof id !== "string" || !(id in (saved.state.state ?? {}))) return undefined;
  return `<div class="folio-widget"><script type="${WIDGET_VIEW_MIME}">${scriptJson(view)}</script><pre class="output-text widget-fallback">${escapeHtml(fallback)}</pre></div>`;
}

/** What a page with widgets adds before </body>: the saved state, and the bundle that renders it. */
export function widgetScripts(saved: SavedWidgets): string {
  return `<script type="${WIDGET_STATE_MIME}">${scriptJson(saved.state)}</script>\n<link rel="stylesheet" href="assets/widgets/widgets.css">\n<script src="assets/widgets/widgets.js"></script>\n`;
}

/** Where `npm run build` leaves the widget bundle, shipped in the package: <package>/dist/assets/widgets, from src/ or dist/ alike. */
export const PREBUILT_WIDGETS = path.join(__dirname, "..", "..", "dist", "assets", "widgets");

/**
 * Bundles the embed script with html-manager, the controls and their CSS and fonts into `outDir`: run once at build
 * time (`node ci/dist/report/widgets.js --build`), so an installed runner needs neither esbuild nor the widget
 * packages at run time.
 */
export async function buildWidgetBundle(outDir: string): Promise<void> {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(__dirname, `widgets-embed${path.extname(__filename)}`)],
    outfile: path.join(outDir, "widgets.js"),
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
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
    // Font Awesome ships each face as woff2, woff, ttf, eot and an SVG font; every browser that runs the widgets
    // takes woff2 first, so the others are left empty (the bundle shrinks from 5.9 MB to about 3 MB)
    plugins: [
      {
        name: "woff2-only",
        setup(b) {
          b.onResolve({ filter: /fa-[a-z]+-\d+\.(woff|ttf|eot|svg)([?#].*)?$/ }, (a) => ({
            path: a.path,
            namespace: "dropped-font",
          }));
          b.onLoad({ filter: /.*/, namespace: "dropped-font" }, () => ({ contents: "", loader: "empty" }));
        },
      },
    ],
  });
}

/** Copies the prebuilt widget bundle into the report's `assetsDir`/widgets/ (building it first when running from sources). */
export async function writeWidgetAssets(assetsDir: string): Promise<void> {
  const out = path.join(assetsDir, "widgets");
  if (!existsSync(path.join(PREBUILT_WIDGETS, "widgets.js"))) {
    try {
      await buildWidgetBundle(PREBUILT_WIDGETS);
    } catch (e) {
      throw new Error(
        `the report's widget bundle is missing (${PREBUILT_WIDGETS}) and cannot be built here: ${(e as Error).message.split("\n")[0]}; run \`npm run build\``,
      );
    }
  }
  await fs.cp(PREBUILT_WIDGETS, out, { recursive: true });
}

if (require.main === module && process.argv.includes("--build")) {
  buildWidgetBundle(PREBUILT_WIDGETS).then(
    () => console.log(`widget bundle → ${path.relative(process.cwd(), PREBUILT_WIDGETS)}`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
