/** Writes the `folio` kernelspec (kernel.json + logo) where Jupyter looks for kernels. */
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface InstallOptions {
  /** Install for the current user (the default). */
  user?: boolean;
  /** Install under `<prefix>/share/jupyter/kernels/folio`. */
  prefix?: string;
  /** Install into the running Python's prefix (`sys.prefix`, i.e. $VIRTUAL_ENV or $CONDA_PREFIX). */
  sysPrefix?: boolean;
  /** Kernel name (directory name), default "folio". */
  name?: string;
  displayName?: string;
}

/** Jupyter's per-user data dir (jupyter_core.paths.jupyter_data_dir). */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? os.homedir(), "jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

function targetDir(opts: InstallOptions): string {
  const name = opts.name ?? "folio";
  if (opts.prefix) return path.join(path.resolve(opts.prefix), "share", "jupyter", "kernels", name);
  if (opts.sysPrefix) {
    const prefix = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
    if (!prefix) throw new Error("--sys-prefix: no active Python environment (set VIRTUAL_ENV or CONDA_PREFIX), use --user or --prefix");
    return path.join(prefix, "share", "jupyter", "kernels", name);
  }
  return path.join(userDataDir(), "kernels", name);
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="10" fill="#3178c6"/><path d="M14 50V14h26v7H22v8h15v7H22v14z" fill="#fff"/><circle cx="47" cy="44" r="6" fill="#fff"/></svg>`;

/** Writes the kernelspec and returns its directory. */
export function installKernelspec(opts: InstallOptions = {}): string {
  const dir = targetDir(opts);
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.resolve(__dirname, "cli.js"), "--connection-file", "{connection_file}"],
    display_name: opts.displayName ?? "TypeScript (Folio)",
    language: "typescript",
    interrupt_mode: "message",
    env: {},
    metadata: { debugger: false },
  };
  writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  writeFileSync(path.join(dir, "logo-svg.svg"), LOGO_SVG);
  return dir;
}
