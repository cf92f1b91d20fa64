/** Cell run times from Jupyter's `metadata.execution` timestamps, and pytest's `--durations N` table. */
import { cellLabel } from "./failure";
import type { Cell } from "./nbformat";
import type { NotebookResult } from "./types";

/** Wall time of a cell from its execute_input and execute_reply timestamps, in seconds. */
export function cellSeconds(cell: Cell): number | undefined {
  const ex = cell.metadata?.execution as Record<string, string> | undefined;
  const a = Date.parse(ex?.["iopub.execute_input"] ?? ""),
    b = Date.parse(ex?.["shell.execute_reply"] ?? "");
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
}

/** The `n` slowest cells of the run (all when n is 0), slowest first, as pytest prints its slowest tests. */
export function durationsTable(results: NotebookResult[], n: number): string {
  const rows = results
    .filter((r) => !r.cached)
    .flatMap((r) =>
      (r.executed?.cells ?? []).flatMap((c, index) => {
        const s = c.cell_type === "code" ? cellSeconds(c) : undefined;
        return s === undefined ? [] : [{ s, where: `${r.path} ${cellLabel({ index, id: c.id })}` }];
      }),
    )
    .sort((a, b) => b.s - a.s);
  const shown = n > 0 ? rows.slice(0, n) : rows;
  const head = `slowest ${n > 0 ? `${shown.length} ` : ""}durations`;
  if (shown.length === 0) return `${head}: no cells ran`;
  return [head, ...shown.map((r) => `${r.s.toFixed(2).padStart(8)}s  ${r.where}`)].join("\n");
}
