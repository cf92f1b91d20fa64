/**
 * A live widget front end for the browser test: the official ipywidgets 8 widget manager (`@jupyter-widgets/
 * html-manager`, which is `@jupyter-widgets/base-manager` with the controls and output models) connected to a
 * kernel through `@jupyterlab/services` and a Jupyter server's REST and websocket API, as ipywidgets'
 * `examples/web3` does. Bundled by esbuild (`bundle.ts`); the test drives it with playwright through `window.folio`.
 */
import * as base from "@jupyter-widgets/base";
import { HTMLManager } from "@jupyter-widgets/html-manager";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { plotlyRendererFactory } from "../../../ci/src/report/plotly-renderer";

export type { LiveManager };

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";

class LiveManager extends HTMLManager {
  constructor(readonly kernel: Kernel.IKernelConnection) {
    super();
    this.renderMime.addFactory(plotlyRendererFactory, 0);
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }
  async _create_comm(
    target: string,
    id: string,
    data?: unknown,
    metadata?: unknown,
    buffers?: ArrayBuffer[] | ArrayBufferView[],
  ): Promise<base.IClassicComm> {
    const comm = this.kernel.createComm(target, id);
    if (data || metadata) comm.open(data as never, metadata as never, buffers);
    return new base.shims.services.Comm(comm);
  }
  _get_comm_info(): Promise<Record<string, unknown>> {
    return this.kernel
      .requestCommInfo({ target_name: this.comm_target_name })
      .then((r) => (r.content as { comms: Record<string, unknown> }).comms);
  }
}

export interface Folio {
  /** Runs code; widgets it displays are rendered into #out; resolves with the reply status and the text result. */
  execute(code: string): Promise<{ status: string; text: string; views: string[] }>;
  /** Every iopub message type seen, in order (for the test's diagnostics). */
  log: string[];
  kernel: Kernel.IKernelConnection;
  manager: LiveManager;
}

async function connect(): Promise<Folio> {
  const settings = ServerConnection.makeSettings({
    baseUrl: `${location.origin}/`,
    wsUrl: `${location.origin.replace(/^http/, "ws")}/`,
    token: new URLSearchParams(location.search).get("token") ?? "",
  });
  const kernels = new KernelManager({ serverSettings: settings });
  const kernel = await kernels.startNew({ name: new URLSearchParams(location.search).get("kernel") ?? "folio" });
  const manager = new LiveManager(kernel);
  const out = document.getElementById("out")!;
  const folio: Folio = {
    log: [],
    kernel,
    manager,
    async execute(code: string) {
      const future = kernel.requestExecute({ code, allow_stdin: false });
      let text = "";
      const views: Promise<string>[] = [];
      future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
        folio.log.push(msg.header.msg_type);
        if (msg.header.msg_type === "stream") text += (msg.content as { text: string }).text;
        if (msg.header.msg_type !== "display_data" && msg.header.msg_type !== "execute_result") return;
        const data = (msg.content as { data: Record<string, unknown> }).data;
        if (msg.header.msg_type === "execute_result" && !data[VIEW_MIME]) text += String(data["text/plain"] ?? "");
        const view = data[VIEW_MIME] as { model_id: string } | undefined;
        if (!view) return;
        views.push(
          (async () => {
            const model = await manager.get_model(view.model_id);
            const el = document.createElement("div");
            el.className = "widget-area";
            el.dataset.modelId = view.model_id;
            out.appendChild(el);
            await manager.display_view(manager.create_view(model), el);
            return view.model_id;
          })(),
        );
      };
      const reply = await future.done;
      return { status: (reply.content as { status: string }).status, text, views: await Promise.all(views) };
    },
  };
  return folio;
}

(window as unknown as { folio: Promise<Folio> }).folio = connect();
