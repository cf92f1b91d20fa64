/**
 * Which kernel runs a notebook, and how it is started. `--kernel NAME` overrides every notebook; otherwise the
 * notebook's `metadata.kernelspec.name`; a notebook without one gets the kernelspec whose language is its
 * `language_info.name` (nbformat's other record of the language), else `--kernel-default NAME`. The "folio"
 * kernel is started from the `@folio/kernel` beside this runner (in this repository, the one just built).
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { findKernelspec, kernelDirs, listKernelspecs, type LaunchOptions } from "./client";
import type { Failure } from "./failure";
import type { Notebook } from "./nbformat";

export interface KernelRequest {
  /** `--kernel`: this kernelspec for every notebook. */
  kernel?: string;
  /** `--kernel-default`: the kernelspec for notebooks that name none and whose language matches none. */
  kernelDefault?: string;
  /** Extra kernel environment. */
  env?: Record<string, string>;
}

export interface KernelChoice {
  name: string;
  /** How the name was chosen, for messages. */
  via: "--kernel" | "metadata.kernelspec" | "language_info" | "--kernel-default";
  launch: LaunchOptions;
  /** True for the Folio kernel, which reports the files it loaded and read (the cache relies on it). */
  folio: boolean;
}

/**
 * The Folio kernel's CLI, `dist/cli.js` of the `@folio/kernel` package this runner depends on (in this repository,
 * the workspace's `kernel/`), if it is installed and built. Resolved as a package, never by a path relative to this
 * file, so it holds in the workspace and in a stranger's `node_modules` alike.
 */
export function localFolioKernel(): string | undefined {
  let cli: string;
  try {
    cli = path.join(path.dirname(require.resolve("@folio/kernel/package.json")), "dist", "cli.js");
  } catch {
    return undefined;
  }
  return fs.existsSync(cli) ? cli : undefined;
}

/** The kernelspec name a notebook runs with, or a failure saying why there is none. */
export function kernelName(nb: Notebook, req: KernelRequest): { name: string; via: KernelChoice["via"] } | Failure {
  if (req.kernel) return { name: req.kernel, via: "--kernel" };
  const named = nb.metadata.kernelspec?.name;
  if (named) return { name: named, via: "metadata.kernelspec" };
  const lang = nb.metadata.language_info?.name?.toLowerCase();
  if (lang) {
    const specs = listKernelspecs().filter((s) => s.language?.toLowerCase() === lang);
    const pick = specs.find((s) => s.name === req.kernelDefault) ?? specs[0];
    if (pick) return { name: pick.name, via: "language_info" };
  }
  if (req.kernelDefault) return { name: req.kernelDefault, via: "--kernel-default" };
  const why = lang
    ? `no kernelspec has language "${lang}" (its language_info)`
    : "it has no metadata.kernelspec and no language_info";
  return { kind: "no-kernel", message: `no kernel: ${why}; use --kernel NAME or --kernel-default NAME` };
}

/** The kernel for a notebook and how to start it, or a failure naming what is missing. */
export function chooseKernel(nb: Notebook, req: KernelRequest): KernelChoice | Failure {
  const n = kernelName(nb, req);
  if ("kind" in n) return n;
  const env = { ...(req.env ?? {}) };
  if (n.name === "folio") {
    env.FOLIO_PLOTLY_HTML ??= "none";
    const cli = localFolioKernel();
    // as its kernelspec says (kernel/src/install.ts): interrupts go over the control channel
    if (cli)
      return {
        ...n,
        folio: true,
        launch: {
          argv: [process.execPath, cli, "--connection-file", "{connection_file}"],
          env,
          interruptMode: "message",
        },
      };
  }
  const spec = findKernelspec(n.name);
  if (!spec)
    return {
      kind: "no-kernel",
      message: `kernel "${n.name}" (from ${n.via}) not found: no kernelspec in ${kernelDirs().join(", ")}`,
    };
  return { ...n, folio: spec.name === "folio", launch: { spec, env } };
}

/** The folder of the package holding `file`: the nearest one above it with a package.json. */
function packageRoot(file: string): string | undefined {
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "package.json"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The Folio kernel's own code, for a kernel started from `script`: the built code (dist/, else the whole folder)
 * of its package and of the @folio packages it depends on (@folio/protocol), as real paths. The cache keys a run
 * on this code (the kernel's version), so its files are not listed among a notebook's dependencies.
 */
export function kernelPackages(script: string): string[] {
  const real = (() => {
    try {
      return fs.realpathSync(script);
    } catch {
      return path.resolve(script);
    }
  })();
  const root = packageRoot(real);
  if (!root) return [];
  const code = (d: string) => (fs.existsSync(path.join(d, "dist")) ? path.join(d, "dist") : d);
  const out = [code(root)];
  let deps: string[] = [];
  try {
    deps = Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).dependencies ?? {});
  } catch {
    /* no manifest to read */
  }
  const req = createRequire(path.join(root, "package.json"));
  for (const dep of deps.filter((d) => d.startsWith("@folio/"))) {
    try {
      const r = packageRoot(fs.realpathSync(req.resolve(dep)));
      if (r && !out.includes(code(r))) out.push(code(r));
    } catch {
      /* not installed */
    }
  }
  return out;
}
