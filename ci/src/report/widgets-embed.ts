/**
 * In the report's pages (browser code, bundled by `widgets.ts`): renders the widgets saved with a notebook
 * (`metadata.widgets`, written into the page as a widget-state script) with the official ipywidgets 8 static
 * manager, `@jupyter-widgets/html-manager`, in place of each saved `widget-view` output. Plotly figures inside
 * Output widgets are drawn with the page's local plotly.js. No kernel: controls show their saved values.
 */
import { HTMLManager } from "@jupyter-widgets/html-manager";
import { plotlyRendererFactory } from "./plotly-renderer";

const STATE = "application/vnd.jupyter.widget-state+json";
const VIEW = "application/vnd.jupyter.widget-view+json";

async function renderSavedWidgets(): Promise<void> {
  const stateEl = document.querySelector(`script[type="${STATE}"]`);
  if (!stateEl?.textContent) return;
  const manager = new HTMLManager();
  manager.renderMime.addFactory(plotlyRendererFactory, 0);
  await manager.set_state(JSON.parse(stateEl.textContent));
  for (const script of Array.from(document.querySelectorAll(`script[type="${VIEW}"]`))) {
    const holder = script.parentElement!;
    try {
      const { model_id } = JSON.parse(script.textContent ?? "{}") as { model_id: string };
      const model = await manager.get_model(model_id);
      const el = document.createElement("div");
      holder.insertBefore(el, script);
      await manager.display_view(manager.create_view(model), el);
      holder.classList.add("rendered");
    } catch (e) {
      console.error("folio: a saved widget could not be rendered", e);
    }
  }
  document.documentElement.dataset.widgets = "rendered";
}

void renderSavedWidgets();
