/**
 * The HTML report: unit checks of escaping, ANSI and math tokenizing, then a fixture run opened from disk in
 * Debian's Chromium through playwright-core (math, plots and tables rendered; no console error; no request
 * leaves file://). Set FOLIO_SKIP_BROWSER=1 to skip the browser part on a machine without Chromium, and
 * FOLIO_REPORT_SCREENSHOTS=<dir> to keep screenshots of the index and a notebook page.
 */
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../test/support/browser";
import type { Notebook } from "../src/nbformat";
import { ansiToHtml, escapeHtml, newMathContext, renderMarkdown, renderOutputs, writeReport } from "../src/report";
import type { ClaimRecord } from "@folio/protocol/claims";
import type { NotebookResult } from "../src/types";

// A 2×2 red PNG, made by hand-encoding (zlib stored block), so no image library is needed.
const PNG_2x2 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";

const ESC = "\u001b";

function code(
  id: string,
  n: number,
  source: string,
  outputs: unknown[],
  metadata: Record<string, unknown> = {},
): Notebook["cells"][number] {
  // outputs as a hand-made notebook may hold them (lists of lines): the report must draw them all the same
  return { id, cell_type: "code", metadata, source, outputs: outputs as never, execution_count: n };
}
function md(id: string, source: string): Notebook["cells"][number] {
  return { id, cell_type: "markdown", metadata: {}, source: source.split(/(?<=\n)/) as unknown as string };
}
function nb(cells: Notebook["cells"]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { language_info: { name: "typescript" } }, cells };
}
const claimOut = (c: ClaimRecord) => ({
  output_type: "display_data",
  metadata: {},
  data: {
    "text/plain": `[claim ${c.id}]`,
    "text/markdown": `**Claim** ${c.id}`,
    "application/vnd.folio.claim+json": c,
  },
});

const claimA: ClaimRecord = {
  paper: "01-demo",
  id: "lr-converges",
  claim: "Gradient descent reaches loss < 0.1 within 50 steps",
  paperFigure: "0.05 after 40 steps",
  ours: "0.071 after 50 steps",
  holds: true,
  kind: "finding",
  test: "< 0.1",
  control: { label: "learning rate 0", ours: "2.3 after 50 steps", holds: false },
  seeds: [0, 1, 2],
  spread: "sd 0.004",
};
const claimB: ClaimRecord = {
  paper: "01-demo",
  id: "bigger-is-better",
  claim: "The wider model is more accurate <b>by far</b>",
  paperFigure: "+2.1 pts",
  ours: "+1.4 pts",
  holds: true,
  kind: "identity",
  why: "monotone by construction",
};
const claimC: ClaimRecord = {
  paper: "02-broken",
  id: "df-beats-ff",
  claim: "DF beats FF by a clear margin",
  paperFigure: "99.7% vs 98.6%",
  ours: "97.9% vs 98.1%",
  holds: false,
  kind: "finding",
  test: "McNemar z > 3",
  control: { label: "FF vs FF, two seeds", ours: "z = 0.3", holds: false },
  seeds: [0, 1, 2],
  spread: "sd 0.2 pts",
};

const plotly = {
  data: [{ type: "scatter", mode: "lines+markers", name: "loss", x: [0, 1, 2, 3, 4], y: [1, 0.5, 0.3, 0.2, 0.15] }],
  layout: {
    title: { text: "Training loss" },
    width: 720,
    height: 360,
    xaxis: { title: { text: "epoch" } },
    yaxis: { title: { text: "loss" } },
  },
};

const demo: NotebookResult = {
  path: "notebooks/01-demo.ipynb",
  rel: "01-demo.ipynb",
  name: "01-demo",
  status: "passed",
  seconds: 12.34,
  cached: true,
  failures: [],
  claims: [claimA, claimB],
  executed: nb([
    md(
      "m1",
      "# A demo of $\\alpha$-scaling\n\nWe follow *Smith et al., 2024* (arXiv:2401.00001). Inline math $E = mc^2$, and with parentheses \\(a^2 + b^2 = c^2\\); "
        + "a price of $5 and $10 stays text, and `$not math$` is code.\n\n$$\n\\mathcal{L}(\\theta) = \\frac{1}{N}\\sum_{i=1}^{N} \\left(y_i - f_\\theta(x_i)\\right)^2\n$$\n\n"
        + "and in brackets:\n\\[ \\nabla_\\theta \\mathcal{L} = 0, \\quad a_1 * b_2 * c_3 \\]\n\n| quantity | value |\n|---|---:|\n| steps | 50 |\n| lr | 0.1 |\n",
    ),
    code(
      "c1",
      1,
      'import { rng } from "@folio/lib/rng";\nconst r = rng(42);\nconsole.log(`seed ${42}`);',
      [
        {
          output_type: "stream",
          name: "stdout",
          text: ["seed 42\n", "<script>window.__pwned = 1</script> & <b>not bold</b>\n"],
        },
        { output_type: "stream", name: "stdout", text: `${ESC}[32mgreen${ESC}[0m done\n` },
        { output_type: "stream", name: "stderr", text: "warning: backend cpu\n" },
      ],
      {
        execution: {
          "iopub.execute_input": "2026-01-01T00:00:00.000Z",
          "shell.execute_reply": "2026-01-01T00:00:02.500Z",
        },
      },
    ),
    md("m2", "## Loss curve\n\nThe loss $\\mathcal{L}$ falls quickly."),
    code("c2", 2, 'lines([{ name: "loss", x, y }])', [
      {
        output_type: "execute_result",
        execution_count: 2,
        metadata: {},
        data: { "application/vnd.plotly.v1+json": plotly, "text/html": "<div>fallback</div>", "text/plain": "Figure" },
      },
    ]),
    code("c3", 3, "table(rows)", [
      {
        output_type: "display_data",
        metadata: {},
        data: {
          "text/html":
            '<table class="df"><thead><tr><th>model</th><th>accuracy</th></tr></thead><tbody><tr><td>MLP</td><td>0.981</td></tr><tr><td>CNN</td><td>0.992</td></tr></tbody></table>',
          "text/plain": "table",
        },
      },
      {
        output_type: "display_data",
        metadata: {},
        data: { "text/markdown": "Output markdown with $x_1$ and <i>no html</i>", "text/plain": "md" },
      },
      { output_type: "display_data", metadata: {}, data: { "image/png": PNG_2x2, "text/plain": "image" } },
      {
        output_type: "execute_result",
        execution_count: 3,
        metadata: {},
        data: { "text/plain": "{ a: 1, b: '<tag>' }" },
      },
    ]),
    code("c4", 4, 'claims.check("lr-converges", ...)', [claimOut(claimA), claimOut(claimB)]),
    code(
      "c5",
      5,
      'throw new Error("expected")',
      [
        {
          output_type: "error",
          ename: "Error",
          evalue: "expected <failure>",
          traceback: [`${ESC}[31mError${ESC}[0m: expected <failure>`, "    at cell 5:1:7"],
        },
      ],
      { tags: ["raises-exception"] },
    ),
    md("m3", "## Deviations from the paper\n\nNone: this is a fixture."),
  ]),
};

const broken: NotebookResult = {
  path: "notebooks/02-broken.ipynb",
  rel: "02-broken.ipynb",
  name: "02-broken",
  status: "failed",
  seconds: 3.2,
  failures: [
    {
      cell: { index: 1, id: "b2" },
      kind: "error",
      message: 'ClaimFailed: claim "df-beats-ff" of 02-broken does not hold <here>',
    },
    {
      cell: { index: 1, id: "b2" },
      kind: "mismatch",
      message: "output 1 stdout: 0.91 became 0.95",
      detail: {
        diff: "--- stored\n+++ executed\n@@ -1,2 +1,2 @@\n took <DURATION>\n-acc 0.91\n+acc 0.95",
        sanitizers: ["duration"],
      },
    },
  ],
  claims: [claimC],
  executed: nb([
    md("b1", "# Broken notebook\n\nThe claim below fails."),
    code("b2", 1, 'claims.check("df-beats-ff", ...)', [
      claimOut(claimC),
      {
        output_type: "error",
        ename: "ClaimFailed",
        evalue: 'claim "df-beats-ff" does not hold',
        traceback: [`${ESC}[1;31mClaimFailed${ESC}[0m: claim does not hold`],
      },
    ]),
  ]),
};

const missing: NotebookResult = {
  path: "notebooks/03-missing.ipynb",
  rel: "03-missing.ipynb",
  name: "03-missing",
  status: "error",
  seconds: 0,
  failures: [{ kind: "invalid", message: "malformed JSON at line 3" }],
  claims: [],
};

const results = [demo, broken, missing];

describe("report: escaping and rendering", () => {
  it("escapes HTML in stream text and keeps it as text", () => {
    const html = renderOutputs([{ output_type: "stream", name: "stdout", text: '<script>alert(1)</script> & "q"\n' }], {
      math: newMathContext(),
      plots: 0,
    });
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"), html);
    assert.ok(!html.includes("<script>"));
  });

  it("escapes error values, plain text and claim fields, but passes text/html through as is", () => {
    const ctx = { math: newMathContext(), plots: 0 };
    const err = renderOutputs(
      [{ output_type: "error", ename: "E<x>", evalue: "<img src=x onerror=alert(1)>", traceback: ["<b>tb</b>"] }],
      ctx,
    );
    assert.ok(!/<img|<b>/.test(err), err);
    const plain = renderOutputs([{ output_type: "execute_result", data: { "text/plain": "<i>x</i>" } }], ctx);
    assert.ok(plain.includes("&lt;i&gt;x&lt;/i&gt;"));
    const claim = renderOutputs([claimOut(claimB)], ctx);
    assert.ok(claim.includes("&lt;b&gt;by far&lt;/b&gt;") && !claim.includes("<b>by far"));
    const html = renderOutputs(
      [{ output_type: "display_data", data: { "text/html": "<table><tr><td>1</td></tr></table>" } }],
      ctx,
    );
    assert.ok(html.includes("<table><tr><td>1</td></tr></table>"));
    const mdOut = renderOutputs(
      [{ output_type: "display_data", data: { "text/markdown": "<script>x</script> **b**" } }],
      ctx,
    );
    assert.ok(!mdOut.includes("<script>") && mdOut.includes("<strong>b</strong>"), mdOut);
    assert.equal(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });

  it("embeds plotly JSON so that </script> inside a figure cannot close the script element", () => {
    const ctx = { math: newMathContext(), plots: 0 };
    const html = renderOutputs(
      [
        {
          output_type: "display_data",
          data: {
            "application/vnd.plotly.v1+json": { data: [{ name: "</script><script>alert(1)</script>" }], layout: {} },
          },
        },
      ],
      ctx,
    );
    assert.equal(ctx.plots, 1);
    assert.equal(html.split("</script>").length, 2, html); // only the element's own closing tag
  });

  it("converts ANSI colours to spans and drops other control sequences", () => {
    assert.equal(ansiToHtml(`${ESC}[31mred${ESC}[0m <x>`), `<span class="ansi-red-fg">red</span> &lt;x&gt;`);
    assert.equal(ansiToHtml(`${ESC}[1;32mok${ESC}[0m`), `<span class="ansi-green-fg ansi-bold">ok</span>`);
    assert.equal(ansiToHtml(`${ESC}[38;2;10;20;30mrgb${ESC}[39m.`), `<span style="color:rgb(10,20,30)">rgb</span>.`);
    assert.equal(ansiToHtml(`a${ESC}[2Kb${ESC}[1Ac`), "abc");
  });

  it("merges stream chunks and applies carriage returns like a terminal", () => {
    const html = renderOutputs(
      [
        { output_type: "stream", name: "stdout", text: "10%\r50%\r100%\n" },
        { output_type: "stream", name: "stdout", text: "done\n" },
      ],
      { math: newMathContext(), plots: 0 },
    );
    assert.equal((html.match(/<pre/g) ?? []).length, 1);
    assert.ok(html.includes("100%\ndone") && !html.includes("50%"), html);
  });

  it("tokenizes math before markdown: no emphasis inside math, no math inside code, dollars in prose stay", () => {
    const ctx = newMathContext();
    const strip = (h: string) =>
      h.replace(
        /<span class="katex">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>[\s\S]*?<\/span><\/span><\/span>(?=\s|<|$)/g,
        "[MATH:$1]",
      );
    const a = renderMarkdown("x $a_1 * b_2 * c$ y", ctx);
    assert.ok(
      a.includes('<annotation encoding="application/x-tex">a_1 * b_2 * c</annotation>') && !a.includes("<em>"),
      a,
    );
    assert.equal(renderMarkdown("`$x$` and \\$5", ctx), "<p><code>$x$</code> and $5</p>\n");
    assert.equal(renderMarkdown("costs $5 and $10", ctx), "<p>costs $5 and $10</p>\n");
    const b = renderMarkdown("\\(x^2\\) and\n\\[y\\]", ctx);
    assert.equal((b.match(/class="katex"/g) ?? []).length, 2, strip(b));
    assert.ok(b.includes("katex-display"));
    const c = renderMarkdown("$$\nz\n$$\n", ctx);
    assert.ok(c.startsWith('<div class="math-display"><span class="katex-display">'), c);
    // a macro defined in one cell holds in the next, as on a Jupyter page
    renderMarkdown("$\\newcommand{\\vect}[1]{\\mathbf{#1}}$", ctx);
    assert.ok(!renderMarkdown("$\\vect{v}$", ctx).includes("katex-error"));
  });
});

describe("report: the site in Chromium", () => {
  let dir = "";
  let browser: Browser | undefined;

  before(async function () {
    if (process.env.FOLIO_SKIP_BROWSER === "1") this.skip();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "folio-report-"));
    await fs.writeFile(path.join(dir, "01-demo.ipynb"), JSON.stringify(demo.executed));
    await writeReport(dir, results, { title: "Fixture workbook" });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** Opens a page from disk, recording console errors, page errors, failed and non-local requests. */
  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    // tsx (esbuild keepNames) wraps named inner functions in __name(); page.evaluate bodies need it defined.
    await page.addInitScript("globalThis.__name = (f) => f");
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("request", (r) => {
      if (!/^(file|data):/.test(r.url())) problems.push(`non-local request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(path.join(dir, file)).href, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return { page, problems };
  }

  it("writes every page and the assets, and leaves no temporary file", async () => {
    const files = await fs.readdir(dir);
    for (const f of ["index.html", "01-demo.html", "02-broken.html", "03-missing.html", "assets"])
      assert.ok(files.includes(f), f);
    assert.deepEqual(
      files.filter((f) => f.endsWith(".tmp")),
      [],
    );
    const assets = await fs.readdir(path.join(dir, "assets"));
    for (const f of ["plotly.min.js", "katex", "hljs.css", "folio.css", "folio.js"]) assert.ok(assets.includes(f), f);
    const html = await fs.readFile(path.join(dir, "01-demo.html"), "utf8");
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no remote URL in the page");
  });

  it("index: every notebook with status, and one claims table of the workbook", async () => {
    const { page, problems } = await open("index.html");
    const rows = await page.$$eval("table.index tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent?.trim() ?? "")),
    );
    assert.deepEqual(
      rows.map((r) => [r[0], r[2], r[5]]),
      [
        ["01-demo", "passed", "2 / 2"],
        ["02-broken", "failed", "0 / 1"],
        ["03-missing", "error", "—"],
      ],
    );
    assert.equal(rows[0][3], "12 s");
    assert.equal(rows[0][4], "cached");
    assert.ok(await page.$eval("table.index td.title .katex", () => true), "the title's math is rendered");
    const links = await page.$$eval("table.index tbody tr td:first-child a", (as) =>
      as.map((a) => a.getAttribute("href")),
    );
    assert.deepEqual(links, ["01-demo.html", "02-broken.html", "03-missing.html"]);
    const cells = (sel: string) =>
      page.$$eval(sel, (trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent?.trim() ?? "")),
      );
    const findings = await cells("table.claims-finding tbody tr"),
      identities = await cells("table.claims-identity tbody tr");
    assert.deepEqual(
      findings.map((c) => [c[0], c[2], c[3], c[4], c[5], c[6], c[7]]),
      [
        [
          "01-demo",
          "0.05 after 40 steps",
          "0.071 after 50 steps",
          "< 0.1",
          "learning rate 0: 2.3 after 50 steps (fails)",
          "3 seeds (0, 1, 2); sd 0.004",
          "✔ holds",
        ],
        [
          "02-broken",
          "99.7% vs 98.6%",
          "97.9% vs 98.1%",
          "McNemar z > 3",
          "FF vs FF, two seeds: z = 0.3 (fails)",
          "3 seeds (0, 1, 2); sd 0.2 pts",
          "✘ fails",
        ],
      ],
    );
    assert.deepEqual(
      identities.map((c) => [c[0], c[2], c[3], c[4]]),
      [["01-demo", "+1.4 pts", "monotone by construction", "✔ holds"]],
    );
    assert.ok(identities[0][1].includes("<b>by far</b>"), "claim text shown escaped, as text");
    if (process.env.FOLIO_REPORT_SCREENSHOTS)
      await page.screenshot({
        path: path.join(process.env.FOLIO_REPORT_SCREENSHOTS, "folio-report-index.png"),
        fullPage: true,
      });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("notebook page: math by KaTeX, an interactive plotly graph, tables, claims, errors, no raw math", async () => {
    const { page, problems } = await open("01-demo.html");
    await page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 60000 });
    const facts = await page.evaluate(() => {
      const q = (s: string) => document.querySelectorAll(s).length;
      const prose = Array.from(document.querySelectorAll(".cell-markdown, .output-markdown"))
        .map((el) => {
          const c = el.cloneNode(true) as HTMLElement;
          c.querySelectorAll(".katex, code").forEach((k) => k.remove());
          return c.textContent ?? "";
        })
        .join("\n");
      return {
        katex: q(".katex"),
        display: q(".katex-display"),
        katexErrors: Array.from(document.querySelectorAll(".katex-error")).map(
          (e) => `${e.textContent}: ${e.getAttribute("title")}`,
        ),
        prose,
        katexFont: document.fonts.check("16px KaTeX_Main"),
        plots: q(".js-plotly-plot .main-svg"),
        traces: q(".js-plotly-plot .scatterlayer .trace"),
        htmlTable: q(".output-html table.df tbody tr"),
        mdTable: q(".cell-markdown table tbody tr"),
        claims: Array.from(document.querySelectorAll(".claim")).map((c) => c.id),
        error: document.querySelector(".output-error .error-head")?.textContent ?? "",
        tracebackRed: q(".output-error .traceback .ansi-red-fg"),
        stdout: document.querySelector(".output-stdout")?.textContent ?? "",
        green: q(".output-stdout .ansi-green-fg"),
        stderr: q(".output-stderr"),
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        hljs: q(".source .hljs-keyword"),
        img: (document.querySelector(".output-image img") as HTMLImageElement | null)?.naturalWidth ?? 0,
        mdOutputItalic: q(".output-markdown i"),
      };
    });
    assert.ok(facts.katex >= 7, `katex elements: ${facts.katex}`);
    assert.ok(facts.display >= 2, `display math: ${facts.display}`);
    assert.deepEqual(facts.katexErrors, []);
    assert.ok(facts.katexFont, "KaTeX fonts loaded from assets/");
    assert.ok(
      !/\$[^$\s][^$]*\$|\\\(|\\\[/.test(facts.prose.replace("$5 and $10", "")),
      `raw math left: ${facts.prose}`,
    );
    assert.ok(facts.prose.includes("$5 and $10"));
    assert.equal(facts.plots >= 1, true);
    assert.equal(facts.traces, 1);
    assert.equal(facts.htmlTable, 2);
    assert.equal(facts.mdTable, 2);
    assert.deepEqual(facts.claims, ["claim-lr-converges", "claim-bigger-is-better"]);
    assert.equal(facts.error, "Error: expected <failure>");
    assert.equal(facts.tracebackRed, 1);
    assert.ok(
      facts.stdout.includes("<script>window.__pwned = 1</script> & <b>not bold</b>")
        && facts.stdout.includes("green done"),
    );
    assert.equal(facts.green, 1);
    assert.equal(facts.stderr, 1);
    assert.equal(facts.pwned, undefined);
    assert.ok(facts.hljs > 0, "code highlighted");
    assert.equal(facts.img, 2);
    assert.equal(facts.mdOutputItalic, 0, "raw HTML in a text/markdown output is not rendered");
    // the graph is interactive: plotly attached its event layer and modebar
    assert.ok(await page.$(".js-plotly-plot .modebar-container, .js-plotly-plot .nsewdrag"));
    if (process.env.FOLIO_REPORT_SCREENSHOTS)
      await page.screenshot({
        path: path.join(process.env.FOLIO_REPORT_SCREENSHOTS, "folio-report-notebook.png"),
        fullPage: true,
      });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("a failed notebook lists its problems at the top; one that could not run still gets a page", async () => {
    const b = await open("02-broken.html");
    const first = await b.page.evaluate(() => {
      const p = document.querySelector("main .problems");
      const cell = document.querySelector("main .cell");
      return {
        text: p?.textContent ?? "",
        before: !!(p && cell && p.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING),
      };
    });
    assert.ok(first.text.includes("This notebook failed") && first.text.includes("does not hold <here>"), first.text);
    assert.ok(first.before, "problems come before the cells");
    assert.ok(await b.page.$(".claim.claim-fails"));
    assert.equal(await b.page.getAttribute(".problems li a", "href"), "#cell-b2", "the problem links to its cell");
    // each failure shows its diff: stored lines red, executed lines green, and the sanitizers that rewrote the cell
    assert.deepEqual(await b.page.$$eval(".problems pre.diff .diff-del", (xs) => xs.map((x) => x.textContent)), [
      "-acc 0.91",
    ]);
    assert.deepEqual(await b.page.$$eval(".problems pre.diff .diff-add", (xs) => xs.map((x) => x.textContent)), [
      "+acc 0.95",
    ]);
    assert.notEqual(
      await b.page.$eval(".diff .diff-del", (x) => getComputedStyle(x).color),
      await b.page.$eval(".diff .diff-add", (x) => getComputedStyle(x).color),
    );
    assert.match((await b.page.textContent(".problems .sanitized")) ?? "", /Sanitized before comparing: duration\./);
    if (process.env.FOLIO_REPORT_SCREENSHOTS)
      await b.page.screenshot({ path: path.join(process.env.FOLIO_REPORT_SCREENSHOTS, "folio-report-failed.png") });
    assert.deepEqual(b.problems, []);
    await b.page.close();
    const m = await open("03-missing.html");
    assert.ok((await m.page.textContent(".problems"))?.includes("malformed JSON"));
    assert.deepEqual(m.problems, []);
    await m.page.close();
  });
});
