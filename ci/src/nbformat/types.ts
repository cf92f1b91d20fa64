/**
 * The notebook document as the runner holds it in memory (nbformat 4.5): multi-line strings are joined into one
 * string on read and split into lines again on write, so code never sees nbformat's list-of-lines form.
 * @see https://nbformat.readthedocs.io/en/latest/format_description.html
 */

/** A MIME bundle: MIME type → payload (a string, or parsed JSON for `application/json` and `+json` types). */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: string;
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  data: MimeBundle;
  metadata: Record<string, unknown>;
  execution_count: number | null;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One output of a code cell, discriminated by `output_type`. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;
/** The outputs that carry a MIME bundle. */
export type BundleOutput = DisplayDataOutput | ExecuteResultOutput;

export function isBundleOutput(o: Output): o is BundleOutput {
  return o.output_type === "display_data" || o.output_type === "execute_result";
}

interface CellBase {
  id: string;
  metadata: Record<string, unknown>;
  source: string;
}
export interface CodeCell extends CellBase {
  cell_type: "code";
  outputs: Output[];
  execution_count: number | null;
}
export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
  attachments?: Record<string, MimeBundle>;
}
export interface RawCell extends CellBase {
  cell_type: "raw";
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface KernelspecMetadata {
  name: string;
  display_name: string;
  language?: string;
}
export interface LanguageInfo {
  name: string;
  version?: string;
  file_extension?: string;
  mimetype?: string;
  codemirror_mode?: unknown;
  pygments_lexer?: string;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & { kernelspec?: KernelspecMetadata; language_info?: LanguageInfo };
  cells: Cell[];
}

/** A cell's tags (`metadata.tags`), strings only. */
export function cellTags(c: Cell): string[] {
  const t = c.metadata.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}
