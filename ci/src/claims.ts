/** Gathering the claims a notebook checked (`application/vnd.folio.claim+json` outputs, see lib/claims). */
import type { Output } from "./notebook";
import type { Notebook } from "./percent";
import type { ClaimRow } from "./types";

export const CLAIM_MIME = "application/vnd.folio.claim+json";

/** Every claim in the notebook's outputs, in order; a re-checked id keeps its last value. */
export function gatherClaims(nb: Notebook): ClaimRow[] {
  const rows = new Map<string, ClaimRow>();
  for (const c of nb.cells) {
    for (const o of (c.outputs ?? []) as Output[]) {
      const r = o.data?.[CLAIM_MIME];
      if (!r || typeof r !== "object") continue;
      const row: ClaimRow = {
        paper: String(r.paper ?? ""), id: String(r.id ?? ""), claim: String(r.claim ?? ""),
        paperFigure: String(r.paperFigure ?? ""), ours: String(r.ours ?? ""), holds: r.holds === true,
      };
      rows.set(`${row.paper}\0${row.id}`, row);
    }
  }
  return [...rows.values()];
}

/** A plain-text table of claims for the end of a run. */
export function claimsTable(rows: ClaimRow[], width = 120): string {
  if (rows.length === 0) return "";
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  const head = ["", "notebook", "claim", "paper", "ours"];
  const body = rows.map((r) => [r.holds ? "✔" : "✘", r.paper, r.id, r.paperFigure, r.ours]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  // keep the table inside the terminal: shrink the free-text columns first
  const budget = Math.max(60, width) - 2 * (w.length - 1);
  for (const i of [3, 4, 2]) { const total = w.reduce((s, x) => s + x, 0); if (total > budget) w[i] = Math.max(12, w[i] - (total - budget)); }
  const line = (cells: string[]) => cells.map((c, i) => clip(c, w[i]).padEnd(w[i])).join("  ").trimEnd();
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...body.map(line)].join("\n");
}
