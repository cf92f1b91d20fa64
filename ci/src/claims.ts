/** Gathering the claims a notebook checked: its `application/vnd.folio.claim+json` outputs (see @folio/protocol/claims). */
import {
  CLAIM_MIME,
  claimCells,
  claimVerdict,
  parseClaimRecord,
  sortClaims,
  type ClaimRecord,
} from "@folio/protocol/claims";
import { isBundleOutput, type Notebook } from "./nbformat";

export { CLAIM_MIME };

/** A claim output that is not a valid claim record, with the cell it came from. */
export interface InvalidClaim {
  cellIndex: number;
  reason: string;
}

/** Every claim in the notebook's outputs, in order (a re-checked id keeps its last value), and the outputs that did not parse. */
export function gatherClaims(nb: Notebook): { records: ClaimRecord[]; invalid: InvalidClaim[] } {
  const rows = new Map<string, ClaimRecord>();
  const invalid: InvalidClaim[] = [];
  nb.cells.forEach((c, cellIndex) => {
    if (c.cell_type !== "code") return;
    for (const o of c.outputs) {
      if (!isBundleOutput(o)) continue;
      const data = o.data[CLAIM_MIME];
      if (data === undefined) continue;
      const p = parseClaimRecord(data);
      if (p.ok) rows.set(`${p.record.paper}\0${p.record.id}`, p.record);
      else invalid.push({ cellIndex, reason: p.reason });
    }
  });
  return { records: [...rows.values()], invalid };
}

/** A plain-text table of claims for the end of a run: findings first, then identities; clipped to `width` (Infinity: never). */
export function claimsTable(rows: ClaimRecord[], width = 120): string {
  if (rows.length === 0) return "";
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const head = ["", "kind", "notebook", "claim", "ours", "control", "seeds"];
  const body = sortClaims(rows).map((r) => {
    const c = claimCells(r);
    return [
      claimVerdict(r) === "holds" ? "✔" : "✘",
      r.kind,
      r.paper,
      c.claim,
      c.ours,
      r.control ? `${r.control.ours} (${r.control.holds ? "passes" : "fails"})` : "",
      c.seeds,
    ];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  // keep the table inside the terminal: shrink the free-text columns first
  const budget = Math.max(60, width) - 2 * (w.length - 1);
  for (const i of [5, 4, 6, 3]) {
    const total = w.reduce((s, x) => s + x, 0);
    if (total > budget) w[i] = Math.max(10, w[i] - (total - budget));
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => clip(c, w[i]).padEnd(w[i]))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...body.map(line)].join("\n");
}
