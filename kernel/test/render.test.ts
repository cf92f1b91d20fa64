/** Value → MIME bundle, without a kernel. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Renderer, tableBundle, isPlotlyFigure } from "../src/display/render";

describe("display/render", () => {
  const r = new Renderer(__dirname);

  it("renders tfjs tensors as their toString plus a small HTML table", () => {
    const t = tf.tensor2d([
      [1, 2],
      [3, 4.5],
    ]);
    const b = r.render(t)!;
    assert.equal(b["text/plain"], t.toString());
    assert.match(String(b["text/html"]), /<td>1<\/td><td>2<\/td><\/tr><tr><td>3<\/td><td>4\.5<\/td>/);
    const big = tf.zeros([30, 30]);
    assert.equal(r.render(big)!["text/html"], undefined, "no table for 900 elements");
    t.dispose();
    big.dispose();
  });

  it("renders a DataFrame-shaped object as an HTML table with its index", () => {
    class DataFrame {
      columns = ["a", "b"];
      values = [
        [1, "x"],
        [2, "y"],
      ];
      index = [0, 1];
      shape = [2, 2];
      toString() {
        return "frame";
      }
    }
    const b = r.render(new DataFrame())!;
    assert.equal(b["text/plain"], "frame");
    assert.equal(
      b["text/html"],
      "<table><thead><tr><th></th><th>a</th><th>b</th></tr></thead><tbody><tr><td>0</td><td>1</td><td>x</td></tr><tr><td>1</td><td>2</td><td>y</td></tr></tbody></table>",
    );
  });

  it("tables plain objects, recognises plotly figures, and inspects the rest", () => {
    const t = tableBundle([
      { k: "a", v: 1 },
      { k: "b", w: true },
    ]);
    assert.equal(t["text/markdown"], "| k | v | w |\n| --- | --- | --- |\n| a | 1 |  |\n| b |  | true |");
    assert.equal(isPlotlyFigure({ data: [{ x: [1], y: [2] }] }), true);
    assert.equal(isPlotlyFigure({ data: [1, 2] }), false);
    assert.equal(isPlotlyFigure({ data: [] }), false);
    assert.deepEqual(r.render("s"), { "text/plain": "'s'" });
    assert.deepEqual(r.render(new Set([1])), { "text/plain": "Set(1) { 1 }" });
    assert.equal(r.render(undefined), undefined);
  });

  it("keeps a figure's config in plotly's MIME type; FOLIO_PLOTLY_HTML=inline adds HTML that inlines plotly.js once", () => {
    const fig = { data: [{ x: [1, 2], y: [3, 4], type: "scatter" }], config: { displaylogo: false } };
    const before = process.env.FOLIO_PLOTLY_HTML;
    try {
      delete process.env.FOLIO_PLOTLY_HTML;
      assert.deepEqual(new Renderer(__dirname).render(fig), {
        "application/vnd.plotly.v1+json": { data: fig.data, layout: {}, config: { displaylogo: false } },
        "text/plain": "Plotly figure: 1 trace (scatter)",
      });
      process.env.FOLIO_PLOTLY_HTML = "inline";
      const inline = new Renderer(__dirname);
      const [a, b] = [String(inline.render(fig)!["text/html"]), String(inline.render(fig)!["text/html"])];
      assert.ok(a.length > 1_000_000 && !/https?:\/\//.test(a.slice(0, 300)), "the first inlines plotly.js, no CDN");
      assert.ok(b.length < 2_000 && b.includes("Plotly.newPlot"), "later ones reuse window.Plotly");
    } finally {
      if (before === undefined) delete process.env.FOLIO_PLOTLY_HTML;
      else process.env.FOLIO_PLOTLY_HTML = before;
    }
  });
});
