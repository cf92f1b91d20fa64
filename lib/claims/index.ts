/**
 * Claims: how a notebook states its paper's findings in code, so that a claim that does not hold fails the
 * notebook. Each claim prints the paper's figure beside ours and publishes a claim record
 * (`application/vnd.folio.claim+json`, the contract in `@folio/protocol/claims`) that the runner gathers into the
 * workbook's claims table.
 *
 * Two kinds of claim, kept apart in every table:
 * - `claims.identity(...)`: true by construction or by proof. A correctness check of the code; it says nothing
 *   about the paper's world, and the table says so.
 * - `claims.finding(...)`: an empirical statement of the paper. It must carry a control, the same statistic and
 *   threshold applied where the mechanism is absent or the null is true, and the control must fail: a finding
 *   whose control passes too "does not discriminate" and throws. It records its seeds (at least three where a
 *   trained model is compared, unless a note says why not) and their spread.
 */
import {
  CLAIM_COLUMNS,
  CLAIM_MIME,
  claimCells,
  claimVerdict,
  sortClaims,
  type ClaimColumn,
  type ClaimControl,
  type ClaimRecord,
} from "@folio/protocol/claims";
import { escapeHtml, showBundle } from "../display";

export {
  CLAIM_MIME,
  parseClaimRecord,
  claimVerdict,
  type ClaimRecord,
  type ClaimControl,
  type ClaimKind,
} from "@folio/protocol/claims";

/** Thrown when a claim does not hold, or a finding's control passes too: the cell, and so the notebook, fails. */
export class ClaimFailed extends Error {
  constructor(readonly record: ClaimRecord) {
    const v = claimVerdict(record);
    super(
      v === "does not discriminate"
        ? `finding "${record.id}" of ${record.paper} does not discriminate: its control passes the same test (${record.control?.label}: ${record.control?.ours}; ours: ${record.ours})`
        : `claim "${record.id}" of ${record.paper} does not hold: ${record.claim} (paper: ${record.paperFigure}; ours: ${record.ours})`,
    );
    this.name = "ClaimFailed";
  }
}

/** Thrown when a claim is stated incompletely (a finding with one seed and no reason, several seeds and no spread). */
export class ClaimMisstated extends Error {
  constructor(id: string, what: string) {
    super(`claim "${id}": ${what}`);
    this.name = "ClaimMisstated";
  }
}

/** Formats a number for a claims table: fixed digits for ordinary magnitudes, exponent form otherwise. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(digits - 1) : x.toFixed(digits);
}

/** Formats a fraction as a percentage. */
export function pct(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** A named predicate: the test a finding applies, identically, to its own statistic and to its control's. */
export interface Test {
  (x: number): boolean;
  readonly label: string;
}

/** Builds a named test, e.g. `test("p < 0.01", (p) => p < 0.01)`. */
export function test(label: string, f: (x: number) => boolean): Test {
  return Object.assign((x: number) => f(x), { label });
}
/** x > t. */
export const above = (t: number): Test => test(`> ${t}`, (x) => x > t);
/** x < t. */
export const below = (t: number): Test => test(`< ${t}`, (x) => x < t);
/** |x − target| ≤ tol. */
export const within = (target: number, tol: number): Test =>
  test(`within ±${tol} of ${target}`, (x) => Math.abs(x - target) <= tol);

/** Evidence for an identity: what was checked and whether it held. */
export interface IdentityEvidence {
  paper: string;
  ours: string | number;
  holds: boolean;
  /** Why this is true by construction (a theorem, an inequality, a property of the code). */
  why: string;
}

interface FindingCommon {
  paper: string;
  /** Independent seeds pooled into `ours`; `[]` when nothing random is involved. */
  seeds: readonly number[];
  /** The spread over seeds (e.g. "sd 0.9 points", "95% CI [0.31, 0.36]"): required with two or more seeds. */
  spread?: string;
  /** Required with one or two seeds: why not three. Any other caveat. */
  note?: string;
  /** Formats `ours` and the control's number (default `fmt`). */
  format?: (x: number) => string;
}

/** A finding stated as one numeric statistic and one test, applied alike to ours and to the control. */
export interface FindingByTest extends FindingCommon {
  ours: number;
  test: Test;
  control: { label: string; ours: number };
}

/** A finding whose test is not a single threshold: ours and the control say themselves whether they pass. */
export interface FindingByVerdict extends FindingCommon {
  ours: string | number;
  holds: boolean;
  /** What the test is, in words (shown in the table). */
  test: string;
  control: { label: string; ours: string | number; holds: boolean };
}

export type FindingEvidence = FindingByTest | FindingByVerdict;

export interface ClaimBook {
  /** Records an identity (true by construction), displays it, throws ClaimFailed unless it holds. */
  identity(id: string, claim: string, e: IdentityEvidence): void;
  /** Records a finding with its control and seeds, displays it, throws ClaimFailed unless it holds and its control fails. */
  finding(id: string, claim: string, e: FindingEvidence): void;
  /** Every claim checked so far in this notebook (a re-run cell replaces its claim). */
  readonly records: readonly ClaimRecord[];
  /** Displays the claims table of this notebook: findings with their controls and seeds, then identities. */
  table(): void;
}

const fmtAny = (x: string | number, f: (x: number) => string) => (typeof x === "number" ? f(x) : x);

/** Builds the record a finding publishes (exported for tests and for the runner's round trip). */
export function findingRecord(paper: string, id: string, claim: string, e: FindingEvidence): ClaimRecord {
  const f = e.format ?? ((x: number) => fmt(x));
  let holds: boolean, control: ClaimControl, testLabel: string;
  if (typeof e.test === "function") {
    const b = e as FindingByTest;
    holds = b.test(b.ours);
    control = { label: b.control.label, ours: f(b.control.ours), holds: b.test(b.control.ours) };
    testLabel = b.test.label;
  } else {
    const v = e as FindingByVerdict;
    holds = v.holds;
    control = { label: v.control.label, ours: fmtAny(v.control.ours, f), holds: v.control.holds };
    testLabel = v.test;
  }
  const seeds = [...e.seeds];
  if (seeds.length > 0 && seeds.length < 3 && !e.note)
    throw new ClaimMisstated(id, `${seeds.length} seed(s): pool at least three, or say in \`note\` why not`);
  if (seeds.length >= 2 && !e.spread)
    throw new ClaimMisstated(id, `${seeds.length} seeds but no \`spread\` (sd or confidence interval)`);
  if (new Set(seeds).size !== seeds.length) throw new ClaimMisstated(id, `seeds are not distinct: ${seeds.join(", ")}`);
  const rec: ClaimRecord = {
    paper,
    id,
    claim,
    paperFigure: e.paper,
    ours: fmtAny(e.ours, f),
    holds,
    kind: "finding",
    test: testLabel,
    control,
    seeds,
  };
  if (e.spread) rec.spread = e.spread;
  if (e.note) rec.note = e.note;
  return rec;
}

/** A notebook's claim book: `const claims = claimBook("01-distance-forward")`, then `claims.finding(...)`. */
export function claimBook(paper: string): ClaimBook {
  const records: ClaimRecord[] = [];
  const publish = (rec: ClaimRecord) => {
    const i = records.findIndex((x) => x.id === rec.id);
    if (i >= 0) records[i] = rec;
    else records.push(rec); // a re-run cell replaces its claim
    showBundle(claimBundle(rec));
    if (claimVerdict(rec) !== "holds") throw new ClaimFailed(rec);
  };
  return {
    records,
    identity(id, claim, e) {
      publish({
        paper,
        id,
        claim,
        paperFigure: e.paper,
        ours: fmtAny(e.ours, (x) => fmt(x)),
        holds: e.holds,
        kind: "identity",
        why: e.why,
      });
    },
    finding(id, claim, e) {
      publish(findingRecord(paper, id, claim, e));
    },
    table() {
      showBundle(claimsTableBundle(records));
    },
  };
}

const MARK = { holds: "✔ holds", fails: "✘ FAILS", "does not discriminate": "✘ DOES NOT DISCRIMINATE" } as const;

/** The bundle one claim displays: a line of text, a markdown line, and the record itself. */
export function claimBundle(rec: ClaimRecord): Record<string, unknown> {
  const v = claimVerdict(rec),
    kind = rec.kind === "identity" ? "identity" : "finding";
  const ctl = rec.control ? ` | control (${rec.control.label}): ${rec.control.ours}` : "";
  const seeds = claimCells(rec).seeds;
  return {
    "text/plain": `[${kind} ${rec.id}] ${MARK[v]}: ${rec.claim} | paper: ${rec.paperFigure} | ours: ${rec.ours}${ctl}${seeds ? ` | ${seeds}` : ""}`,
    "text/markdown":
      `**${kind === "identity" ? "Identity" : "Finding"} \`${rec.id}\`** ${v === "holds" ? "✔ holds" : `✘ **${v}**`}: ${escapeMd(rec.claim)}  \n`
      + `paper: ${escapeMd(rec.paperFigure)} · ours: ${escapeMd(rec.ours)}`
      + (rec.control ? ` · control (${escapeMd(rec.control.label)}): ${escapeMd(rec.control.ours)}` : "")
      + (seeds ? ` · ${escapeMd(seeds)}` : "")
      + (rec.note ? `  \n*${escapeMd(rec.note)}*` : ""),
    // the same line as HTML: classic Notebook drops markdown outputs of untrusted (unexecuted) notebooks but shows sanitised HTML
    "text/html":
      `<div class="folio-claim"><strong>${kind === "identity" ? "Identity" : "Finding"} <code>${escapeHtml(rec.id)}</code></strong> ${v === "holds" ? "✔ holds" : `✘ <strong>${escapeHtml(v)}</strong>`}: ${escapeHtml(rec.claim)}<br>`
      + `paper: ${escapeHtml(rec.paperFigure)} · ours: ${escapeHtml(rec.ours)}`
      + (rec.control ? ` · control (${escapeHtml(rec.control.label)}): ${escapeHtml(rec.control.ours)}` : "")
      + (seeds ? ` · ${escapeHtml(seeds)}` : "")
      + (rec.note ? `<br><em>${escapeHtml(rec.note)}</em>` : "")
      + "</div>",
    [CLAIM_MIME]: rec,
  };
}

const escapeMd = (s: string) => s.replace(/([|*_`\\])/g, "\\$1");

const FINDING_COLUMNS: ClaimColumn[] = ["claim", "statement", "paper", "ours", "test", "control", "seeds", "verdict"];
const IDENTITY_COLUMNS: ClaimColumn[] = ["claim", "statement", "ours", "control", "verdict"];
const HEADINGS: Record<ClaimColumn, string> = {
  kind: "kind",
  claim: "claim",
  statement: "statement",
  paper: "paper",
  ours: "ours",
  test: "test",
  control: "control",
  seeds: "seeds",
  verdict: "verdict",
};

/**
 * The claims table as a MIME bundle (text, markdown, HTML): findings with their tests, controls and seeds, then
 * the identities, whose "control" column says why they hold by construction. The report renders the same cells.
 */
export function claimsTableBundle(records: readonly ClaimRecord[]): Record<string, string> {
  const sorted = sortClaims(records);
  const parts = [
    { title: "Findings", cols: FINDING_COLUMNS, rows: sorted.filter((r) => r.kind === "finding") },
    {
      title: "Identities (true by construction)",
      cols: IDENTITY_COLUMNS,
      rows: sorted.filter((r) => r.kind === "identity"),
    },
  ].filter((p) => p.rows.length);
  const head = (cols: ClaimColumn[]) =>
    cols.map((c) => (c === "control" && cols === IDENTITY_COLUMNS ? "why" : HEADINGS[c]));
  const md = parts
    .map((p) =>
      [
        `**${p.title}**`,
        "",
        `| ${head(p.cols).join(" | ")} |`,
        `|${p.cols.map(() => "---").join("|")}|`,
        ...p.rows.map((r) => {
          const c = claimCells(r);
          return `| ${p.cols.map((k) => c[k].replace(/\|/g, "\\|")).join(" | ")} |`;
        }),
      ].join("\n"),
    )
    .join("\n\n");
  const html = parts
    .map(
      (p) =>
        `<table class="folio-claims"><caption>${p.title}</caption><thead><tr>${head(p.cols)
          .map((h) => `<th>${h}</th>`)
          .join("")}</tr></thead><tbody>${p.rows
          .map((r) => {
            const c = claimCells(r);
            return `<tr>${p.cols.map((k) => `<td>${escapeHtml(c[k])}</td>`).join("")}</tr>`;
          })
          .join("")}</tbody></table>`,
    )
    .join("\n");
  const text = parts
    .map((p) =>
      [
        `${p.title}:`,
        ...p.rows.map((r) => {
          const c = claimCells(r);
          return `${c.verdict === "holds" ? "✔" : "✘"} ${c.claim}: ${c.statement} (paper ${c.paper}; ours ${c.ours}${r.control ? `; control ${c.control}` : ""}${c.seeds ? `; ${c.seeds}` : ""})`;
        }),
      ].join("\n"),
    )
    .join("\n\n");
  return { "text/plain": text, "text/markdown": md, "text/html": html };
}

export { CLAIM_COLUMNS };
