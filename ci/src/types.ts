/** Shapes shared by the runner's parts: the executor, the checker, the cache, the JUnit writer and the HTML report. */
import type { ClaimRecord } from "@folio/protocol/claims";
import type { Failure } from "./failure";
import type { Notebook } from "./nbformat";

/** One notebook's run, as the report and the JUnit writer see it. */
export interface NotebookResult {
  /** Path of the source notebook, as found (relative to the working directory when given so). */
  path: string;
  /** Path relative to the folder the selected notebooks share: where its copy goes under out/. */
  rel: string;
  /** File stem, e.g. "01-distance-forward". */
  name: string;
  /** passed: ran and matched; failed: a cell errored or an output differed; error: could not run (bad file, no kernel, the kernel died). */
  status: "passed" | "failed" | "error" | "skipped";
  seconds: number;
  /** The executed notebook (outputs as the kernel produced them); undefined when it could not be run. */
  executed?: Notebook;
  /** Every problem, as data (see failure.ts); empty when it passed. */
  failures: Failure[];
  /** Why a skipped notebook was skipped. */
  skipReason?: string;
  /** Code cells executed but not compared because the notebook stored nothing for them ("not recorded"). */
  notRecorded?: number;
  claims: ClaimRecord[];
  /** Claim outputs that are not valid claim records (e.g. written before the ledger had kinds). */
  invalidClaims?: { cellIndex: number; reason: string }[];
  cached?: boolean;
}
