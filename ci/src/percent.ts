/**
 * Percent-format scripts (jupytext's `// %%` convention for TypeScript) to nbformat 4.5 notebooks, so a
 * notebook can be drafted in an editor and committed as .ipynb. Markdown cells are `// %% [markdown]`
 * followed by `// `-prefixed lines; a code cell may carry tags: `// %% tags=["raises-exception"]`.
 */
import { createHash } from "node:crypto";

export interface NbCell {
  id: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: Record<string, unknown>;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}
export interface Notebook { nbformat: number; nbformat_minor: number; metadata: Record<string, unknown>; cells: NbCell[] }

export const FOLIO_KERNELSPEC = { name: "folio", display_name: "TypeScript (Folio)", language: "typescript" };
export const FOLIO_LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.9" };

/** Splits source text into nbformat's list-of-lines form (each line keeps its newline but the last). */
export function toLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}

/** Converts a percent-format TypeScript script into a notebook; `name` seeds the stable cell ids. */
export function fromPercent(script: string, name: string): Notebook {
  const cells: NbCell[] = [];
  const blocks = script.split(/^(?=\/\/ %%)/m).filter((b) => b.trim() !== "");
  blocks.forEach((block, i) => {
    const nl = block.indexOf("\n");
    const header = block.startsWith("// %%") ? block.slice(0, nl < 0 ? undefined : nl) : "";
    let body = header ? (nl < 0 ? "" : block.slice(nl + 1)) : block;
    body = body.replace(/\s+$/, "");
    const id = createHash("sha1").update(`${name}:${i}`).digest("hex").slice(0, 12);
    const tags = /tags=(\[[^\]]*\])/.exec(header);
    const metadata: Record<string, unknown> = tags ? { tags: JSON.parse(tags[1]) } : {};
    if (/\[markdown\]/.test(header)) {
      const md = body.split("\n").map((l) => l.replace(/^\/\/ ?/, "")).join("\n");
      cells.push({ id, cell_type: "markdown", metadata, source: toLines(md) });
    } else {
      cells.push({ id, cell_type: "code", metadata, source: toLines(body), outputs: [], execution_count: null });
    }
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: FOLIO_KERNELSPEC, language_info: FOLIO_LANGUAGE_INFO }, cells };
}
