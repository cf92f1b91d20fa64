/** Shapes shared by the runner's parts: the executor, the checker and the HTML report. */
import type { Notebook } from "./percent";

/** A claim gathered from a notebook's `application/vnd.folio.claim+json` outputs (see lib/claims). */
export interface ClaimRow { paper: string; id: string; claim: string; paperFigure: string; ours: string; holds: boolean }

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
  claims: ClaimRow[];
  cached?: boolean;
}
