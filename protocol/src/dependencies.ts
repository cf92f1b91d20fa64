/**
 * What a cell depended on, as the Folio kernel reports it in each execute_reply's metadata (under
 * `DEPENDENCIES_KEY`) and as a client's run cache reads it: absolute paths of the modules loaded, the package
 * folders used, the files read, the folders listed and the paths probed since the previous reply.
 */

/** The execute_reply metadata key. */
export const DEPENDENCIES_KEY = "folio_dependencies";

export interface DependencyReport {
  /** Module files loaded (require.cache), outside node_modules. */
  loaded: string[];
  /** Package folders (`…/node_modules/name` or `…/node_modules/@scope/name`) loaded or read from. */
  packages: string[];
  /** Files whose content was read. */
  read: string[];
  /** Folders whose entries were listed. */
  listed: string[];
  /** Paths whose existence or metadata was checked (stat, exists, access). */
  probed: string[];
}

const FIELDS = ["loaded", "packages", "read", "listed", "probed"] as const;

/** The report in an execute_reply's metadata, or undefined when there is none or it is not a report. */
export function parseDependencyReport(metadata: Record<string, unknown> | undefined): DependencyReport | undefined {
  const r = metadata?.[DEPENDENCIES_KEY];
  if (!r || typeof r !== "object" || Array.isArray(r)) return undefined;
  const o = r as Record<string, unknown>;
  const list = (k: (typeof FIELDS)[number]) => o[k] ?? [];
  if (!FIELDS.every((k) => Array.isArray(list(k)) && (list(k) as unknown[]).every((p) => typeof p === "string")))
    return undefined;
  return Object.fromEntries(FIELDS.map((k) => [k, list(k)])) as unknown as DependencyReport;
}

/** The package folder holding `file` when it lies inside a node_modules folder (`sep`: the path separator). */
export function packageFolder(file: string, sep = "/"): string | undefined {
  const nm = `${sep}node_modules${sep}`;
  const i = file.lastIndexOf(nm);
  if (i < 0) return undefined;
  const rest = file.slice(i + nm.length).split(sep);
  const n = rest[0]?.startsWith("@") ? 2 : 1;
  return rest.length >= n && rest[n - 1] ? file.slice(0, i + nm.length) + rest.slice(0, n).join(sep) : undefined;
}
