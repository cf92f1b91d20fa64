/**
 * Claims: how a notebook states its paper's findings in code. Each check prints the paper's figure beside
 * ours, records the result in a MIME bundle the runner gathers into the workbook's claims table
 * (`application/vnd.folio.claim+json`), and throws when the claim does not hold, so the notebook fails.
 */
import { escapeHtml, showBundle } from "../display";

export const CLAIM_MIME = "application/vnd.folio.claim+json";

/** One checked claim, as stored in the notebook output and shown in the report's claims table. */
export interface ClaimRecord {
  /** Notebook/paper key, e.g. "01-distance-forward". */
  paper: string;
  /** Short stable identifier, e.g. "df-beats-ff". */
  id: string;
  /** The claim in words. */
  claim: string;
  /** What the paper reports (its number, or its words when it gives none). */
  paperFigure: string;
  /** What this notebook measured. */
  ours: string;
  holds: boolean;
}

/** Thrown when a claim does not hold: the cell, and so the notebook, fails. */
export class ClaimFailed extends Error {
  constructor(readonly record: ClaimRecord) {
    super(`claim "${record.id}" of ${record.paper} does not hold: ${record.claim} (paper: ${record.paperFigure}; ours: ${record.ours})`);
    this.name = "ClaimFailed";
  }
}

/** Formats a number for a claims table: fixed digits for ordinary magnitudes, exponent form otherwise. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(digits - 1) : x.toFixed(digits);
}

/** Formats a fraction as a percentage. */
export function pct(x: number, digits = 1): string { return `${(100 * x).toFixed(digits)}%`; }

export interface ClaimBook {
  /** Records a claim, displays it, and throws ClaimFailed unless `holds` (returns nothing, so a cell ending in a check shows no echo). */
  check(id: string, claim: string, r: { paper: string; ours: string | number; holds: boolean }): void;
  /** Every claim checked so far in this notebook. */
  readonly records: readonly ClaimRecord[];
  /** Displays the claims table (markdown and HTML) of this notebook. */
  table(): void;
}

/** A notebook's claim book: `const claims = claimBook("01-distance-forward")`, then `claims.check(...)`. */
export function claimBook(paper: string): ClaimBook {
  const records: ClaimRecord[] = [];
  return {
    records,
    check(id, claim, r) {
      const rec: ClaimRecord = { paper, id, claim, paperFigure: r.paper, ours: typeof r.ours === "number" ? fmt(r.ours) : r.ours, holds: r.holds };
      const i = records.findIndex((x) => x.id === id);
      if (i >= 0) records[i] = rec; else records.push(rec); // a re-run cell replaces its claim
      const mark = rec.holds ? "✔ holds" : "✘ FAILS";
      showBundle({
        "text/plain": `[claim ${id}] ${mark}: ${claim} | paper: ${rec.paperFigure} | ours: ${rec.ours}`,
        "text/markdown": `**Claim \`${id}\`** ${rec.holds ? "✔ holds" : "✘ **fails**"}: ${claim}  \npaper: ${rec.paperFigure} · ours: ${rec.ours}`,
        [CLAIM_MIME]: rec,
      });
      if (!rec.holds) throw new ClaimFailed(rec);
    },
    table() {
      showBundle(claimsTableBundle(records));
    },
  };
}

/** The claims table as a MIME bundle (text, markdown, HTML); the runner's report renders the same rows. */
export function claimsTableBundle(records: readonly ClaimRecord[]): Record<string, string> {
  const rows = records.map((r) => [r.id, r.claim, r.paperFigure, r.ours, r.holds ? "✔" : "✘"]);
  const head = ["claim", "statement", "paper", "ours", "holds"];
  const md = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n");
  const html = `<table class="folio-claims"><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  const text = rows.map((r) => `${r[4]} ${r[0]}: ${r[1]} (paper ${r[2]}; ours ${r[3]})`).join("\n");
  return { "text/plain": text, "text/markdown": md, "text/html": html };
}
