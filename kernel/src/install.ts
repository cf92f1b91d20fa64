/**
 * `folio-kernel install`: writes the `folio` kernelspec (kernel.json and logos) where Jupyter looks for kernels,
 * and, beside it, the front-end extensions that draw stored plotly figures offline: a classic Notebook
 * nbextension and a JupyterLab (≥ 3, and Notebook 7) prebuilt extension, each with its own copy of plotly.js.
 * Needs no Python: the locations are Jupyter's (jupyter_core.paths), computed here.
 */
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface InstallOptions {
  /** Install for the current user (the default). */
  user?: boolean;
  /** Install under `<prefix>/share/jupyter` (and the nbextension's config under `<prefix>/etc/jupyter`). */
  prefix?: string;
  /** Install into the active Python environment's prefix ($VIRTUAL_ENV or $CONDA_PREFIX). */
  sysPrefix?: boolean;
  /** Kernel name (directory name), default "folio". */
  name?: string;
  displayName?: string;
  /** Also install the front-end extensions that draw plotly figures (default true). */
  extensions?: boolean;
}

/** What an install wrote, directory by directory. */
export interface Installed {
  kernelspec: string;
  /** The classic Notebook nbextension's files and the config file that enables it. */
  nbextension?: { dir: string; config: string };
  /** The JupyterLab prebuilt extension's directory. */
  labextension?: string;
}

/** The nbextension's require path (`nbextensions/<NBEXTENSION>/extension`) and the config file's stem. */
export const NBEXTENSION = "folio";
/** The JupyterLab extension's package name (its directory under labextensions/). */
export const LABEXTENSION = "@folio/jupyterlab";

/** Jupyter's per-user data dir (jupyter_core.paths.jupyter_data_dir). */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? os.homedir(), "jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

/** Jupyter's per-user config dir (jupyter_core.paths.jupyter_config_dir). */
export function userConfigDir(): string {
  return process.env.JUPYTER_CONFIG_DIR ?? path.join(os.homedir(), ".jupyter");
}

/** The data dir (kernels/, nbextensions/, labextensions/) and config dir (nbconfig/) an install writes to. */
export function installRoots(opts: InstallOptions): { data: string; config: string } {
  if (opts.prefix) {
    const p = path.resolve(opts.prefix);
    return { data: path.join(p, "share", "jupyter"), config: path.join(p, "etc", "jupyter") };
  }
  if (opts.sysPrefix) {
    const p = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
    if (!p)
      throw new Error(
        "--sys-prefix: no active Python environment (set VIRTUAL_ENV or CONDA_PREFIX), use --user or --prefix",
      );
    return { data: path.join(p, "share", "jupyter"), config: path.join(p, "etc", "jupyter") };
  }
  return { data: userDataDir(), config: userConfigDir() };
}

/** The kernel's own files shipped for front ends (logos, extensions): `frontend/` beside `dist/`. */
const FRONTEND = path.resolve(__dirname, "..", "frontend");
const LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"];

function plotlyJs(): string {
  return path.join(path.dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
}

/** Writes `file` whole or not at all (a temporary sibling, then rename). */
function writeAtomic(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
const copyAtomic = (from: string, to: string) => writeAtomic(to, readFileSync(from));

/** A kernelspec's kernel.json (jupyter_client's KernelSpec), as far as Folio writes it. */
export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  env: Record<string, string>;
  metadata: { debugger: boolean };
}

/**
 * The kernelspec: argv[0] is this Node's absolute path and argv[1] this package's compiled CLI, so Jupyter starts
 * the kernel without a shell, without PATH, and without Python.
 */
export function kernelJson(displayName = "TypeScript (Folio)"): KernelJson {
  return {
    argv: [process.execPath, path.resolve(__dirname, "cli.js"), "--connection-file", "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "message",
    env: {},
    metadata: { debugger: false },
  };
}

/** Writes the kernelspec (and, unless `extensions: false`, the front-end extensions); returns the kernelspec's directory. */
export function installKernelspec(opts: InstallOptions = {}): string {
  return install(opts).kernelspec;
}

/** Writes the kernelspec (and, unless `extensions: false`, the front-end extensions); returns what it wrote. */
export function install(opts: InstallOptions = {}): Installed {
  const roots = installRoots(opts);
  const kernelspec = path.join(roots.data, "kernels", opts.name ?? "folio");
  writeAtomic(path.join(kernelspec, "kernel.json"), `${JSON.stringify(kernelJson(opts.displayName), null, 2)}\n`);
  for (const logo of LOGOS) copyAtomic(path.join(FRONTEND, logo), path.join(kernelspec, logo));
  if (opts.extensions === false) return { kernelspec };
  return { kernelspec, nbextension: installNbextension(roots), labextension: installLabextension(roots) };
}

/** Classic Notebook: `nbextensions/folio/{extension.js, plotly.min.js}`, enabled in `nbconfig/notebook.d/folio.json`. */
function installNbextension(roots: { data: string; config: string }): { dir: string; config: string } {
  const dir = path.join(roots.data, "nbextensions", NBEXTENSION);
  copyAtomic(path.join(FRONTEND, "nbextension", "extension.js"), path.join(dir, "extension.js"));
  copyAtomic(plotlyJs(), path.join(dir, "plotly.min.js"));
  // notebook.d/: a file of our own, merged by Notebook ≥ 5.3, rather than rewriting the user's notebook.json
  const config = path.join(roots.config, "nbconfig", "notebook.d", `${NBEXTENSION}.json`);
  writeAtomic(config, `${JSON.stringify({ load_extensions: { [`${NBEXTENSION}/extension`]: true } }, null, 2)}\n`);
  return { dir, config };
}

/** JupyterLab: `labextensions/@folio/jupyterlab/{package.json, static/remoteEntry.<version>.js, static/plotly.min.js}`. */
function installLabextension(roots: { data: string }): string {
  const src = path.join(FRONTEND, "labextension");
  const dir = path.join(roots.data, "labextensions", ...LABEXTENSION.split("/"));
  const { version } = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
    version: string;
  };
  // the loaded file's name carries the version, so a browser never runs a cached older copy after an upgrade
  const entry = `remoteEntry.${version}.js`;
  rmSync(path.join(dir, "static"), { recursive: true, force: true });
  copyAtomic(path.join(src, "remoteEntry.js"), path.join(dir, "static", entry));
  copyAtomic(plotlyJs(), path.join(dir, "static", "plotly.min.js"));
  // the shape jupyterlab_server reads (config.get_federated_extensions): name, version, jupyterlab._build
  const manifest = JSON.parse(readFileSync(path.join(src, "manifest.json"), "utf8")) as Record<string, unknown>;
  const pkg = {
    ...manifest,
    version,
    jupyterlab: { mimeExtension: true, _build: { load: `static/${entry}`, mimeExtension: "./mimeExtension" } },
  };
  writeAtomic(path.join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  return dir;
}

/** Removes what `installKernelspec` with the same options wrote; returns the paths that existed. */
export function uninstallKernelspec(opts: InstallOptions = {}): string[] {
  const roots = installRoots(opts);
  const lab = path.join(roots.data, "labextensions", ...LABEXTENSION.split("/"));
  const paths = [
    path.join(roots.data, "kernels", opts.name ?? "folio"),
    path.join(roots.data, "nbextensions", NBEXTENSION),
    path.join(roots.config, "nbconfig", "notebook.d", `${NBEXTENSION}.json`),
    lab,
  ];
  const removed: string[] = [];
  for (const p of paths) {
    try {
      rmSync(p, { recursive: true });
      removed.push(p);
    } catch {
      /* not there */
    }
  }
  // the scope folder (labextensions/@folio) is ours too, unless another @folio extension is in it
  try {
    rmdirSync(path.dirname(lab));
  } catch {
    /* not empty, or not there */
  }
  return removed;
}

const INSTALL_USAGE = `usage:
  folio-kernel install   [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT] [--no-extensions]
  folio-kernel uninstall [--user | --prefix DIR | --sys-prefix] [--name NAME]`;

/** `folio-kernel install|uninstall …` (also `folio kernel …`): returns the exit code; errors print one line. */
export function installCommand(argv: string[]): number {
  try {
    return runInstall(argv);
  } catch (e) {
    console.error(`folio-kernel ${argv[0]}: ${(e as Error).message}`);
    return 2;
  }
}

function runInstall(argv: string[]): number {
  const [cmd, ...rest] = argv;
  const opts: InstallOptions = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--user":
        opts.user = true;
        break;
      case "--prefix":
        opts.prefix = value();
        break;
      case "--sys-prefix":
        opts.sysPrefix = true;
        break;
      case "--name":
        opts.name = value();
        break;
      case "--display-name":
        opts.displayName = value();
        break;
      case "--no-extensions":
        opts.extensions = false;
        break;
      default:
        throw new Error(`unknown option ${a}\n${INSTALL_USAGE}`);
    }
  }
  if ([opts.user, opts.prefix !== undefined, opts.sysPrefix].filter(Boolean).length > 1)
    throw new Error(`choose one of --user, --prefix, --sys-prefix\n${INSTALL_USAGE}`);
  if (cmd === "uninstall") {
    const removed = uninstallKernelspec(opts);
    console.log(removed.length ? `removed ${removed.join(", ")}` : "nothing to remove");
    return 0;
  }
  const done = install(opts);
  console.log(`installed kernelspec ${path.basename(done.kernelspec)} in ${done.kernelspec}`);
  if (done.nbextension)
    console.log(
      `installed the classic Notebook extension in ${done.nbextension.dir} (enabled by ${done.nbextension.config})`,
    );
  if (done.labextension) console.log(`installed the JupyterLab extension in ${done.labextension}`);
  return 0;
}
