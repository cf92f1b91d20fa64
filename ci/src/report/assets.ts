/**
 * The report's static assets, all copied next to the pages so the site works from `file://` with no network:
 * KaTeX's CSS and fonts, a highlight.js theme, plotly.js (one copy for every page), Folio's stylesheet and
 * the small script that draws the plotly figures embedded as JSON in each page.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { copyFileAtomic, writeFileAtomic } from "../files";

/** Directory of an installed package (resolved from this file, so it works from src/ under tsx and from dist/). */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

export const FOLIO_CSS = String.raw`
:root {
  --text: #1f2328; --muted: #667085; --rule: #d0d7de; --paper: #fffffc; --code-bg: #f6f8fa; --accent: #2b5797;
  --ok: #1a7f37; --ok-bg: #e8f5ec; --bad: #b42318; --bad-bg: #fdecea; --warn: #9a6700; --warn-bg: #fff8c5;
  --serif: "Charter", "Bitstream Charter", "Sitka Text", "Cambria", "Georgia", "DejaVu Serif", serif;
  --sans: system-ui, -apple-system, "Segoe UI", "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--paper); }
body { margin: 0; color: var(--text); font: 17px/1.6 var(--serif); -webkit-font-smoothing: antialiased; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
header.site { border-bottom: 1px solid var(--rule); background: #f7f7f2; font-family: var(--sans); font-size: 0.9rem; }
header.site .inner { max-width: 52rem; margin: 0 auto; padding: 0.6rem 1.5rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.site a { color: var(--accent); text-decoration: none; }
header.site .meta { color: var(--muted); margin-left: auto; }
h1, h2, h3, h4 { font-family: var(--serif); font-weight: 600; line-height: 1.25; margin: 1.8em 0 0.6em; }
h1 { font-size: 2rem; margin-top: 0.8em; }
h2 { font-size: 1.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
p, ul, ol, blockquote { margin: 0.7em 0; }
a { color: var(--accent); }
blockquote { border-left: 3px solid var(--rule); margin-left: 0; padding-left: 1em; color: #444; }
code { font-family: var(--mono); font-size: 0.86em; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
pre { font-family: var(--mono); font-size: 0.8rem; line-height: 1.45; margin: 0; overflow-x: auto; white-space: pre; }
pre code { background: none; padding: 0; font-size: inherit; }
pre.source code.hljs { background: transparent; padding: 0; display: block; overflow: visible; }
img { max-width: 100%; height: auto; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2em 0; }
.math-display, .output-latex { overflow-x: auto; overflow-y: hidden; }
.katex-display { margin: 0.8em 0; }
/* Saved widgets: the text fallback until the widget bundle has drawn the view. */
.folio-widget.rendered > .widget-fallback { display: none; }
.folio-widget { margin: 0.4em 0; font-family: var(--sans); font-size: 0.9rem; }

/* Tables: booktabs rules, tabular figures. */
table { border-collapse: collapse; margin: 1em 0; font-family: var(--sans); font-size: 0.86rem; font-variant-numeric: tabular-nums; border-top: 2px solid #333; border-bottom: 2px solid #333; }
th, td { padding: 0.35em 0.75em; text-align: left; vertical-align: top; }
thead th { border-bottom: 1px solid #333; font-weight: 600; }
tbody tr:nth-child(even) { background: #f6f6f1; }
td.num, th.num { text-align: right; white-space: nowrap; }
.table-wrap { overflow-x: auto; }

/* Cells. */
.cell { margin: 1.1em 0; position: relative; }
.cell-code .input { display: flex; gap: 0.6rem; align-items: stretch; }
.prompt { flex: 0 0 auto; width: 3.6rem; margin-left: -4.2rem; text-align: right; font: 0.72rem/1.9 var(--mono); color: var(--muted); padding-top: 0.35rem; }
.prompt .dur { display: block; line-height: 1.2; }
.source { flex: 1 1 auto; min-width: 0; background: var(--code-bg); border: 1px solid #e3e8ee; border-left: 3px solid #8fa8c8; border-radius: 4px; padding: 0.55rem 0.8rem; }
.outputs { margin: 0.35rem 0 0 0; padding-left: 0.8rem; border-left: 3px solid #eceae0; }
.output { margin: 0.35rem 0; overflow-x: auto; }
.output-text, .output-stream { padding: 0.2rem 0; }
.output-stderr { background: #fff5f4; color: #7a271a; padding: 0.3rem 0.6rem; border-radius: 3px; }
.output-error { background: var(--bad-bg); border: 1px solid #f4c7c3; border-radius: 4px; padding: 0.5rem 0.8rem; }
.output-error .error-head { font-family: var(--mono); font-size: 0.85rem; font-weight: 600; color: var(--bad); }
.output-error .traceback { margin-top: 0.4rem; color: #3b1f1c; }
.output-error .ansi-red-fg { color: #b42318; }
.output-html table { margin: 0.4em 0; }
.output-markdown > :first-child { margin-top: 0; }
.output-unknown { color: var(--muted); font-style: italic; font-size: 0.9rem; }
.plotly-figure { margin: 0.4rem 0; }
.plotly-figure > script { display: none; }
.cell-markdown > :first-child { margin-top: 0.4em; }

/* Claims, status badges, problems. */
.badge { display: inline-block; font: 600 0.74rem/1.5 var(--sans); padding: 0.05em 0.55em; border-radius: 999px; white-space: nowrap; letter-spacing: 0.01em; }
.badge-pass { background: var(--ok-bg); color: var(--ok); border: 1px solid #a6dbb6; }
.badge-fail { background: var(--bad-bg); color: var(--bad); border: 1px solid #f4b8b1; }
.badge-error { background: var(--bad); color: #fff; border: 1px solid var(--bad); }
.badge-skip { background: #eef0f3; color: var(--muted); border: 1px solid #d5d9df; }
.badge-cached { background: #eef3fb; color: var(--accent); border: 1px solid #c7d5ea; }
.badge-kind { background: #f3f3f3; color: #555; border: 1px solid #ddd; font-weight: normal; }
.claim { display: flex; flex-wrap: wrap; gap: 0.35rem 0.9rem; align-items: baseline; font-family: var(--sans); font-size: 0.88rem; padding: 0.45rem 0.7rem; border-radius: 4px; border: 1px solid var(--rule); }
.claim-holds { background: #f5fbf7; border-color: #cfe9d7; }
.claim-fails { background: var(--bad-bg); border-color: #f4c7c3; }
.claim-text { flex: 1 1 calc(100% - 7rem); }
.claim-fig { color: #333; margin-left: 0.2rem; }
.label { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin-right: 0.2em; }
.problems { background: var(--bad-bg); border: 1px solid #f4c7c3; border-left: 4px solid var(--bad); border-radius: 4px; padding: 0.7rem 1rem; margin: 1rem 0 1.5rem; font-family: var(--sans); font-size: 0.9rem; }
.problems h2 { font-family: var(--sans); font-size: 1rem; margin: 0 0 0.4rem; border: 0; padding: 0; color: var(--bad); }
.problems ul { margin: 0; padding-left: 1.2rem; }
.problems li { font-family: var(--mono); font-size: 0.8rem; white-space: pre-wrap; word-break: break-word; margin: 0.2rem 0; }
.problems details { margin: 0.3rem 0 0.6rem; }
.problems summary { font-family: var(--sans); cursor: pointer; color: #5f6368; }
.problems pre.diff, .problems pre.traceback { background: #fff; border: 1px solid #eadad8; border-radius: 3px; padding: 0.4rem 0.6rem; margin: 0.2rem 0; overflow-x: auto; white-space: pre; font-size: 0.78rem; }
.diff .diff-del { color: #b3261e; background: #fdecea; }
.diff .diff-add { color: #146c2e; background: #e6f4ea; }
.diff .diff-hunk, .diff .diff-file { color: #5f6368; }
.problems .sanitized { font-family: var(--sans); margin: 0.2rem 0; color: #5f6368; }
.nb-meta { font-family: var(--sans); font-size: 0.88rem; color: var(--muted); display: flex; gap: 0.8rem; flex-wrap: wrap; align-items: center; margin: 0.2rem 0 1rem; }
.summary { font-family: var(--sans); color: var(--muted); }
table.index td.title { font-family: var(--serif); font-size: 0.95rem; }
table.claims td.claim-cell code { font-size: 0.8em; }
table.claims td:first-child, table.claims td:last-child, table.index td:first-child, table.index td:nth-child(3) { white-space: nowrap; }
.holds-yes { color: var(--ok); font-weight: 600; }
.holds-no { color: var(--bad); font-weight: 600; }
footer { max-width: 52rem; margin: 0 auto; padding: 0 1.5rem 3rem; color: var(--muted); font: 0.8rem var(--sans); }
footer p { border-top: 1px solid var(--rule); padding-top: 1rem; margin: 0; }

/* ANSI colours (Jupyter's names). */
.ansi-black-fg { color: #3e424d; } .ansi-red-fg { color: #e75c58; } .ansi-green-fg { color: #00a250; } .ansi-yellow-fg { color: #ddb62b; }
.ansi-blue-fg { color: #208ffb; } .ansi-magenta-fg { color: #d160c4; } .ansi-cyan-fg { color: #60c6c8; } .ansi-white-fg { color: #c5c1b4; }
.ansi-bright-black-fg { color: #282c36; } .ansi-bright-red-fg { color: #b22b31; } .ansi-bright-green-fg { color: #007427; } .ansi-bright-yellow-fg { color: #b27d12; }
.ansi-bright-blue-fg { color: #0065ca; } .ansi-bright-magenta-fg { color: #a03196; } .ansi-bright-cyan-fg { color: #258f8f; } .ansi-bright-white-fg { color: #a1a6b2; }
.ansi-black-bg { background: #3e424d; } .ansi-red-bg { background: #e75c58; } .ansi-green-bg { background: #00a250; } .ansi-yellow-bg { background: #ddb62b; }
.ansi-blue-bg { background: #208ffb; } .ansi-magenta-bg { background: #d160c4; } .ansi-cyan-bg { background: #60c6c8; } .ansi-white-bg { background: #c5c1b4; }
.ansi-default-inverse-fg { color: var(--paper); } .ansi-default-inverse-bg { background: var(--text); }
.ansi-bold { font-weight: bold; } .ansi-dim { opacity: 0.7; } .ansi-italic { font-style: italic; } .ansi-underline { text-decoration: underline; }

@media (max-width: 62rem) { .prompt { margin-left: 0; width: auto; min-width: 2.6rem; } }
@media print { header.site, .prompt .dur { display: none; } .source { border-left-width: 1px; } }
`;

/** Draws every embedded plotly figure with the local plotly.js; a figure wider than the column is fitted to it. */
export const FOLIO_JS = String.raw`(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") return;
    var figs = document.querySelectorAll(".plotly-figure");
    for (var i = 0; i < figs.length; i++) {
      var box = figs[i], target = box.querySelector(".plotly-target"), json = box.querySelector("script");
      if (!target || !json) continue;
      try {
        var fig = JSON.parse(json.textContent || "{}");
        var layout = fig.layout || {}, config = Object.assign({ displaylogo: false, responsive: true, typesetMath: false }, fig.config || {});
        var avail = box.clientWidth;
        if (typeof layout.width === "number" && avail > 0 && layout.width > avail) { delete layout.width; layout.autosize = true; }
        Plotly.newPlot(target, fig.data || [], layout, config);
      } catch (e) {
        target.textContent = "This figure could not be drawn: " + e;
        target.className += " output-unknown";
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2b5797"/><path d="M5 3h7v2H7v2h4v2H7v4H5z" fill="#fff"/></svg>`;

/** Copies KaTeX, highlight.js, plotly.js and Folio's own CSS/JS into `<outDir>/assets/`. */
export async function writeAssets(outDir: string, withPlotly: boolean): Promise<void> {
  const assets = path.join(outDir, "assets");
  const katexDir = path.join(packageDir("katex"), "dist");
  await fs.mkdir(path.join(assets, "katex", "fonts"), { recursive: true });
  const fonts = await fs.readdir(path.join(katexDir, "fonts"));
  copyFileAtomic(path.join(katexDir, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  for (const f of fonts) copyFileAtomic(path.join(katexDir, "fonts", f), path.join(assets, "katex", "fonts", f));
  copyFileAtomic(path.join(packageDir("highlight.js"), "styles", "github.min.css"), path.join(assets, "hljs.css"));
  if (withPlotly)
    copyFileAtomic(path.join(packageDir("plotly.js-dist-min"), "plotly.min.js"), path.join(assets, "plotly.min.js"));
  writeFileAtomic(path.join(assets, "folio.css"), FOLIO_CSS.trimStart());
  writeFileAtomic(path.join(assets, "folio.js"), FOLIO_JS);
  writeFileAtomic(path.join(assets, "favicon.svg"), FAVICON);
}
