/** Shapes shared by the runner's parts: the executor, the checker and the HTML report. */
import type { ClaimRecord } from "@folio/protocol/claims";
import type { Notebook } from "./percent";

/** One notebook's run, as the report and the JUnit writer see it. */
export interface NotebookResult {
  /** Path of the source notebook, relative to the working directory. */
  path: string;
  /** File stem, e.g. "01-distance-forward". */
  name: string;
  /** passed: ran and matched; failed: a cell errored or an output differed; error: could not run (bad file, dead kernel). */
  status: "passed" | "failed" | "error" | "skipped";
  seconds: number;
  /** The executed notebook (outputs as the kernel produced them); undefined when it could not be run. */
  executed?: Notebook;
  /** One readable line per problem, naming the cell: "cell 4 (id 3fa2…): AssertionError: …". */
  problems: string[];
  claims: ClaimRecord[];
  /** Claim outputs that are not valid claim records (e.g. written before the ledger had kinds). */
  invalidClaims?: { cellIndex: number; reason: string }[];
  cached?: boolean;
}
