/**
 * The bridge from lib/ to whatever front end runs it. Inside the Folio kernel, the kernel installs
 * `globalThis[Symbol.for("folio.kernel")]`; outside it (mocha, plain node), displays fall back to text on
 * stdout so that library code never needs to know where it runs.
 */

export type MimeBundle = Record<string, unknown>;
export interface DisplayOptions {
  id?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** What the kernel provides to library code (see kernel/src/display.ts). */
export interface KernelBridge {
  /** Render a value the way the kernel renders a cell's last value (plotly figures, tensors, tables…). */
  display(value: unknown, opts?: DisplayOptions): void;
  /** Send a raw MIME bundle as display_data (or update_display_data when `update` is set with an `id`). */
  bundle(data: MimeBundle, opts?: DisplayOptions): void;
  /** clear_output, optionally waiting for the next output. */
  clear(wait?: boolean): void;
}

export const BRIDGE_KEY = Symbol.for("folio.kernel");
/** Objects carrying this method render as the MIME bundle it returns (Deno's convention, also honoured by Folio). */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** The kernel's bridge, or undefined outside a kernel. */
export function kernel(): KernelBridge | undefined {
  return (globalThis as Record<symbol, unknown>)[BRIDGE_KEY] as KernelBridge | undefined;
}

/** Displays a value in the notebook; outside a kernel prints its text/plain form. */
export function show(value: unknown, opts?: DisplayOptions): void {
  const k = kernel();
  if (k) {
    k.display(value, opts);
    return;
  }
  const b =
    typeof value === "object" && value !== null && JUPYTER_DISPLAY in value
      ? (value as { [JUPYTER_DISPLAY](): MimeBundle })[JUPYTER_DISPLAY]()
      : undefined;
  if (!opts?.update) console.log(b && typeof b["text/plain"] === "string" ? b["text/plain"] : value);
}

/** Sends a raw MIME bundle; outside a kernel prints its text/plain entry. */
export function showBundle(data: MimeBundle, opts?: DisplayOptions): void {
  const k = kernel();
  if (k) {
    k.bundle(data, opts);
    return;
  }
  if (!opts?.update && typeof data["text/plain"] === "string") console.log(data["text/plain"]);
}

export interface Progress {
  /** Advances by `n` steps and sets the trailing status text (e.g. the current loss). */
  tick(n?: number, status?: string): void;
  /** Marks the bar complete. */
  done(status?: string): void;
}

let progressSeq = 0;

/**
 * A progress bar that redraws one display in place (at most ~8 redraws a second), like tqdm in JupyterLab.
 * Its outputs carry `metadata.folio.progress = true` so that output checkers can ignore the timings in it.
 */
export function progress(total: number, label = ""): Progress {
  const id = `folio-progress-${process.pid}-${++progressSeq}-${Date.now()}`;
  const t0 = Date.now();
  let count = 0,
    last = 0,
    first = true;
  const render = (status: string, final: boolean) => {
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const width = 30,
      filled = Math.round(frac * width);
    const secs = (Date.now() - t0) / 1000;
    const text = `${label ? `${label} ` : ""}|${"█".repeat(filled)}${" ".repeat(width - filled)}| ${count}/${total} [${secs.toFixed(1)}s]${status ? ` ${status}` : ""}`;
    const html = `<div style="font-family:monospace"><span>${escapeHtml(label)}</span> <progress value="${count}" max="${total}" style="width:16em"></progress> ${count}/${total} [${secs.toFixed(1)}s] ${escapeHtml(status)}</div>`;
    const k = kernel();
    if (k)
      k.bundle(
        { "text/plain": text, "text/html": html },
        { id, update: !first, metadata: { folio: { progress: true } } },
      );
    else if (final && process.env.FOLIO_PROGRESS_STDERR) process.stderr.write(`${text}\n`);
    first = false;
  };
  render("", false);
  return {
    tick(n = 1, status = "") {
      count += n;
      const now = Date.now();
      if (now - last > 125 || count >= total) {
        last = now;
        render(status, false);
      }
    },
    done(status = "") {
      count = Math.max(count, total);
      render(status, true);
    },
  };
}

/** Minimal HTML escaping for text placed inside generated markup. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
