/**
 * Kernelspec discovery as `jupyter_client` does it: the `kernels/` folder of every entry of `jupyter_path()`
 * (jupyter_core), in its order: `JUPYTER_PATH`, then the user's data dir and the active environment's prefix
 * (a virtualenv's `$VIRTUAL_ENV` or conda's `$CONDA_PREFIX`, standing in for `sys.prefix`; the environment
 * comes first when one is active, or as `JUPYTER_PREFER_ENV_PATH` says), then the system folders. The first
 * folder holding a name wins. `{connection_file}` is substituted in argv, and a bare `python`/`python3` runs the
 * active environment's interpreter, as `KernelManager.format_kernel_cmd` substitutes `sys.executable`.
 * @see https://docs.jupyter.org/en/latest/use/jupyter-directories.html#data-files
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Kernelspec {
  name: string;
  /** Directory holding kernel.json. */
  dir: string;
  argv: string[];
  display_name: string;
  language?: string;
  env?: Record<string, string>;
  interrupt_mode?: "signal" | "message";
}

const truthy = (v: string | undefined) => !!v && !["0", "false", "no", "off", "n", "f"].includes(v.toLowerCase());

/** The active Python environment's prefix (what `sys.prefix` would be for its interpreter), if any. */
export function envPrefix(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VIRTUAL_ENV || env.CONDA_PREFIX || undefined;
}

/** jupyter_core's `jupyter_path()`, without the Python-only parts. */
export function jupyterPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean)) out.push(p);
  const user = [
    env.JUPYTER_DATA_DIR ?? path.join(env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "jupyter"),
  ];
  const prefix = envPrefix(env);
  const system = ["/usr/local/share/jupyter", "/usr/share/jupyter"];
  const envDirs = prefix ? [path.join(prefix, "share", "jupyter")].filter((d) => !system.includes(d)) : [];
  // jupyter_core prefers the environment in a virtualenv or a non-base conda env, unless told otherwise
  const activeEnv = !!env.VIRTUAL_ENV || (!!env.CONDA_PREFIX && (env.CONDA_DEFAULT_ENV ?? "base") !== "base");
  const preferEnv = env.JUPYTER_PREFER_ENV_PATH !== undefined ? truthy(env.JUPYTER_PREFER_ENV_PATH) : activeEnv;
  out.push(...(preferEnv ? [...envDirs, ...user] : [...user, ...envDirs]));
  // a Node installed under a prefix may carry kernelspecs beside it (npm install -g)
  out.push(path.join(process.execPath, "..", "..", "share", "jupyter"));
  out.push(...system);
  return [...new Set(out.map((d) => path.resolve(d)))];
}

/** The kernels/ directories searched, in Jupyter's order of precedence. */
export function kernelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return jupyterPath(env).map((d) => path.join(d, "kernels"));
}

function readSpec(dir: string, name: string): Kernelspec | undefined {
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
    if (!Array.isArray(spec.argv) || spec.argv.length === 0) return undefined;
    return {
      name,
      dir,
      argv: spec.argv,
      display_name: spec.display_name ?? name,
      language: spec.language,
      env: spec.env,
      interrupt_mode: spec.interrupt_mode,
    };
  } catch {
    return undefined;
  }
}

/** Every kernelspec found, one per name (the first folder holding a name wins), in search order. */
export function listKernelspecs(env: NodeJS.ProcessEnv = process.env): Kernelspec[] {
  const seen = new Map<string, Kernelspec>();
  for (const base of kernelDirs(env)) {
    let entries: string[];
    try {
      entries = fs.readdirSync(base).sort();
    } catch {
      continue;
    }
    for (const e of entries) {
      if (seen.has(e.toLowerCase())) continue;
      const spec = readSpec(path.join(base, e), e);
      if (spec) seen.set(e.toLowerCase(), spec);
    }
  }
  return [...seen.values()];
}

/** Finds kernelspec `name` (case-insensitive, as Jupyter), or undefined. */
export function findKernelspec(name: string, env: NodeJS.ProcessEnv = process.env): Kernelspec | undefined {
  return listKernelspecs(env).find((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** argv with `{connection_file}` and `{resource_dir}` substituted, and `python` meaning the active environment's. */
export function substituteArgv(
  argv: string[],
  connectionFile: string,
  resourceDir = "",
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const out = argv.map((a) =>
    a.replace(/\{connection_file\}/g, connectionFile).replace(/\{resource_dir\}/g, resourceDir),
  );
  const prefix = envPrefix(env);
  if (prefix && /^python(\d+(\.\d+)?)?$/.test(out[0] ?? "")) {
    const exe = path.join(prefix, "bin", out[0]);
    if (fs.existsSync(exe)) out[0] = exe;
  }
  return out;
}
