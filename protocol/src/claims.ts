/**
 * The claim record: what a notebook publishes (as the MIME type `application/vnd.folio.claim+json`) each time it
 * checks one of its paper's claims through `@folio/lib/claims`, and what the runner, the HTML report and the JUnit
 * writer read back. One type, one parser, one set of table cells, so that every reader shows the same columns.
 *
 * A claim is of one of two kinds:
 * - an **identity** is true by construction or by proof (a correctness check of the code, e.g. "the soft-max
 *   update equals one step of the energy's minimiser"); it cannot tell us anything about the paper's world;
 * - a **finding** is an empirical statement of the paper. It carries a **control**: the same statistic and threshold
 *   applied where the paper's mechanism is absent or the null hypothesis is true (two seeds of one model, random
 *   selection, the baseline counted the same way). A finding whose control also passes does not discriminate and
 *   is reported as such. Where trained models are compared it records the independent seeds pooled and the spread.
 */

export const CLAIM_MIME = "application/vnd.folio.claim+json";

export type ClaimKind = "identity" | "finding";

/** The same test applied where the mechanism is absent: it must fail for the finding to mean anything. */
export interface ClaimControl {
  /** What was run instead, e.g. "two seeds of the width-16 network" or "random sentence selection". */
  label: string;
  /** What the control measured, formatted like `ours`. */
  ours: string;
  /** Whether the claim's test passed on the control (a finding requires `false`). */
  holds: boolean;
}

/** One checked claim. */
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
  /** Whether the test passed on `ours` (for a finding, also: the control failed). */
  holds: boolean;
  kind: ClaimKind;
  /** The test applied to `ours` and to the control, in words (e.g. "> 0.05", "p < 0.01"). */
  test?: string;
  /** Identity: why it holds by construction. */
  why?: string;
  /** Finding: the control. */
  control?: ClaimControl;
  /** Finding: the independent seeds pooled; empty when nothing random is involved. */
  seeds?: number[];
  /** Finding: the spread over seeds (sd or a confidence interval), in words. */
  spread?: string;
  /** Caveats, e.g. why fewer than three seeds. */
  note?: string;
}

/** How a record reads in a table: a finding whose control passes too "does not discriminate". */
export type ClaimVerdict = "holds" | "fails" | "does not discriminate";

export function claimVerdict(r: ClaimRecord): ClaimVerdict {
  if (r.kind === "finding" && r.control?.holds) return "does not discriminate";
  return r.holds ? "holds" : "fails";
}

export type ParsedClaim = { ok: true; record: ClaimRecord } | { ok: false; reason: string };

/** Validates an untrusted value (a notebook output's `data[CLAIM_MIME]`) as a claim record. */
export function parseClaimRecord(x: unknown): ParsedClaim {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return { ok: false, reason: "not an object" };
  const o = x as Record<string, unknown>;
  for (const k of ["paper", "id", "claim", "paperFigure", "ours"] as const)
    if (typeof o[k] !== "string") return { ok: false, reason: `field "${k}" is not a string` };
  if (typeof o.holds !== "boolean") return { ok: false, reason: `field "holds" is not a boolean` };
  if (o.kind !== "identity" && o.kind !== "finding")
    return { ok: false, reason: `field "kind" is ${JSON.stringify(o.kind)}, not "identity" or "finding"` };
  const rec: ClaimRecord = {
    paper: o.paper as string,
    id: o.id as string,
    claim: o.claim as string,
    paperFigure: o.paperFigure as string,
    ours: o.ours as string,
    holds: o.holds,
    kind: o.kind,
  };
  for (const k of ["test", "why", "spread", "note"] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== "string") return { ok: false, reason: `field "${k}" is not a string` };
    rec[k] = o[k] as string;
  }
  if (o.control !== undefined) {
    const c = o.control as Record<string, unknown> | null;
    if (
      typeof c !== "object"
      || c === null
      || typeof c.label !== "string"
      || typeof c.ours !== "string"
      || typeof c.holds !== "boolean"
    )
      return { ok: false, reason: `field "control" is not { label: string, ours: string, holds: boolean }` };
    rec.control = { label: c.label, ours: c.ours, holds: c.holds };
  }
  if (o.seeds !== undefined) {
    if (!Array.isArray(o.seeds) || !o.seeds.every((s) => Number.isInteger(s)))
      return { ok: false, reason: `field "seeds" is not an array of integers` };
    rec.seeds = [...(o.seeds as number[])];
  }
  if (rec.kind === "finding" && !rec.control) return { ok: false, reason: `finding "${rec.id}" has no control` };
  return { ok: true, record: rec };
}

/** "3 seeds (0, 1, 2); sd 0.8 points", "deterministic", or "" for an identity. */
export function seedsText(r: ClaimRecord): string {
  if (r.kind !== "finding") return "";
  const s = r.seeds ?? [];
  const base = s.length === 0 ? "deterministic" : `${s.length} seed${s.length === 1 ? "" : "s"} (${s.join(", ")})`;
  return [base, r.spread].filter(Boolean).join("; ");
}

/** The columns every claims table shows, in order, with the cells of one record. */
export const CLAIM_COLUMNS = [
  "kind",
  "claim",
  "statement",
  "paper",
  "ours",
  "test",
  "control",
  "seeds",
  "verdict",
] as const;
export type ClaimColumn = (typeof CLAIM_COLUMNS)[number];

export function claimCells(r: ClaimRecord): Record<ClaimColumn, string> {
  return {
    kind: r.kind,
    claim: r.id,
    statement: r.claim,
    paper: r.paperFigure,
    ours: r.ours,
    test: r.test ?? "",
    control: r.control
      ? `${r.control.label}: ${r.control.ours} (${r.control.holds ? "passes too" : "fails"})`
      : (r.why ?? ""),
    seeds: seedsText(r),
    verdict: claimVerdict(r),
  };
}

/** Findings first, then identities, each in the order given (a stable sort). */
export function sortClaims<T extends ClaimRecord>(rs: readonly T[]): T[] {
  return [...rs].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "finding" ? -1 : 1));
}
