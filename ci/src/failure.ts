/**
 * Failures as data: every problem the runner finds is a `Failure` record (which cell, what kind, a one-line
 * message, and for the report the cell's source, the diff and the traceback). The runner, the terminal output,
 * the HTML report, the JUnit writer and the cache all read the fields; only `formatFailure` and
 * `failureReport` turn one into text, where it is printed.
 */

/** What went wrong. Kinds a notebook cannot recover from are `fatal` (see `isFatal`). */
export type FailureKind =
  | "missing" // the path does not exist
  | "unreadable" // the file exists but cannot be read
  | "invalid" // not valid nbformat 4 (JSON, schema, duplicate ids)
  | "no-kernel" // no kernelspec could be chosen or found
  | "kernel-start" // the kernel did not start
  | "parameters" // -p/-y/-f values that do not fit the notebook
  | "error" // a cell raised
  | "did-not-raise" // a cell tagged raises-exception ran cleanly
  | "timeout" // a cell (or the notebook) ran out of time and was interrupted
  | "timeout-killed" // …and the kernel ignored the interrupt, so it was killed
  | "kernel-died" // the kernel process exited while a cell ran
  | "protocol" // the kernel broke the protocol (a duplicated message)
  | "mismatch" // an output differs from the stored one
  | "runner"; // a bug in the runner itself

export interface FailureDetail {
  /** The cell's source. */
  source?: string;
  /** Unified diff of the stored against the produced outputs (sanitized, as compared). */
  diff?: string;
  /** The error's traceback, ANSI stripped. */
  traceback?: string;
  /** Names of the sanitizers that rewrote this cell's text before it was compared. */
  sanitizers?: string[];
}

export interface Failure {
  /** The cell, when the failure belongs to one: its 0-based position among all cells and its id. */
  cell?: { index: number; id?: string };
  kind: FailureKind;
  /** One line, without the cell's name: "ZeroDivisionError: division by zero". */
  message: string;
  detail?: FailureDetail;
}

// a kernel that died took the notebook's run with it: an error (pytest's word for a test that could not run), not a failed check
const FATAL: ReadonlySet<FailureKind> = new Set([
  "missing",
  "unreadable",
  "invalid",
  "no-kernel",
  "kernel-start",
  "kernel-died",
  "parameters",
  "runner",
]);

/** True when the notebook could not be run (to its end) at all, as opposed to a cell failing or an output differing. */
export function isFatal(f: Failure): boolean {
  return FATAL.has(f.kind);
}

/** "cell 4 (id 3fa2c1)": how every message names a cell (1-based over all cells). */
export function cellLabel(cell: { index: number; id?: string }): string {
  return cell.id ? `cell ${cell.index + 1} (id ${cell.id})` : `cell ${cell.index + 1}`;
}

/** The one-line form: "cell 4 (id 3fa2c1): ZeroDivisionError: division by zero". */
export function formatFailure(f: Failure): string {
  return f.cell ? `${cellLabel(f.cell)}: ${f.message}` : f.message;
}

/** The multi-line report of one failure for the terminal: the line, then source, diff, sanitizers and traceback. */
export function failureReport(nbPath: string, f: Failure): string {
  const indent = (s: string) =>
    s
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n");
  const d = f.detail ?? {};
  const parts = [`FAIL ${nbPath} ${formatFailure(f)}`];
  if (d.source !== undefined) parts.push("  source:", indent(d.source));
  if (d.diff) parts.push("  diff (stored → executed, sanitized):", indent(d.diff));
  if (d.sanitizers?.length)
    parts.push(
      `  sanitized before comparing: ${d.sanitizers.join(", ")} (turn off with --no-sanitize NAME or --no-sanitize all)`,
    );
  if (d.traceback) parts.push("  traceback:", indent(d.traceback));
  return parts.join("\n");
}
