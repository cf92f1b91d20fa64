/**
 * A rendermime renderer for plotly figures (`application/vnd.plotly.v1+json`) drawn with the page's own copy of
 * plotly.js (`window.Plotly`, from the local plotly.js-dist-min), so widget Output areas show figures offline.
 * Used by the report's saved widgets (`widgets-embed.ts`) and the live widget page of the kernel's browser test.
 */
import { Widget } from "@lumino/widgets";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

type Plotly = { react(el: HTMLElement, data: unknown, layout: unknown, config?: unknown): Promise<unknown> };

class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const fig = model.data[PLOTLY_MIME] as { data: unknown[]; layout?: object };
    const plotly = (window as unknown as { Plotly?: Plotly }).Plotly;
    this.node.classList.add("folio-plotly");
    if (!plotly) {
      this.node.textContent = "plotly.js is not loaded";
      return;
    }
    await plotly.react(this.node, fig.data, { ...(fig.layout ?? {}), autosize: true }, { responsive: true });
  }
}

export const plotlyRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  createRenderer: () => new PlotlyRenderer(),
};
