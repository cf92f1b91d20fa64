/** Kernelspec discovery, as `jupyter kernelspec list` does it, and `{connection_file}` substitution. */
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

/** The kernels/ directories searched, in Jupyter's order of precedence. */
export function kernelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean)) dirs.push(path.join(p, "kernels"));
  const dataDir = env.JUPYTER_DATA_DIR ?? path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
  dirs.push(path.join(dataDir, "kernels"));
  dirs.push(path.join(process.execPath, "..", "..", "share", "jupyter", "kernels"));
  dirs.push("/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels");
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

/** Finds kernelspec `name` (case-insensitive, as Jupyter), or undefined. */
export function findKernelspec(name: string, env: NodeJS.ProcessEnv = process.env): Kernelspec | undefined {
  for (const base of kernelDirs(env)) {
    let entries: string[];
    try { entries = fs.readdirSync(base); } catch { continue; }
    const hit = entries.find((e) => e.toLowerCase() === name.toLowerCase());
    if (!hit) continue;
    const dir = path.join(base, hit);
    try {
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
      if (!Array.isArray(spec.argv) || spec.argv.length === 0) continue;
      return { name: hit, dir, argv: spec.argv, display_name: spec.display_name ?? hit, language: spec.language, env: spec.env, interrupt_mode: spec.interrupt_mode };
    } catch { continue; }
  }
  return undefined;
}

/** argv with `{connection_file}` and `{resource_dir}` substituted. */
export function substituteArgv(argv: string[], connectionFile: string, resourceDir = ""): string[] {
  return argv.map((a) => a.replace(/\{connection_file\}/g, connectionFile).replace(/\{resource_dir\}/g, resourceDir));
}
