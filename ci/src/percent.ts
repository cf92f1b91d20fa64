/**
 * Percent-format scripts (jupytext's `// %%` convention for TypeScript) to nbformat 4.5 notebooks, so a
 * notebook can be drafted in an editor and committed as .ipynb. Markdown cells are `// %% [markdown]`
 * followed by `// `-prefixed lines; a code cell may carry tags: `// %% tags=["raises-exception"]`.
 */
import { createHash } from "node:crypto";
import type { Cell, Notebook } from "./nbformat";

/** The kernelspec a converted notebook names; its language_info is left to the kernel that executes it. */
export const FOLIO_KERNELSPEC = { name: "folio", display_name: "TypeScript (Folio)", language: "typescript" };

/** Converts a percent-format TypeScript script into a notebook; `name` seeds the stable cell ids. */
export function fromPercent(script: string, name: string): Notebook {
  const cells: Cell[] = [];
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
      const md = body
        .split("\n")
        .map((l) => l.replace(/^\/\/ ?/, ""))
        .join("\n");
      cells.push({ id, cell_type: "markdown", metadata, source: md });
    } else {
      cells.push({ id, cell_type: "code", metadata, source: body, outputs: [], execution_count: null });
    }
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: FOLIO_KERNELSPEC, language_info: { name: "typescript" } },
    cells,
  };
}
