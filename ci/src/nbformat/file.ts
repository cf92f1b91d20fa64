/**
 * Reading and writing .ipynb files the way Jupyter does (nbformat 4): validated against the official schema
 * with a one-line reason naming the cell, multi-line strings joined in memory and split into lines on disk,
 * older 4.x notebooks upgraded to 4.5 (cell ids added), keys sorted, 1-space indent, atomic writes.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { fileProblem, writeFileAtomic } from "../files";
import { malformedJson } from "./json";
import { isJsonMime, isMultilineMime } from "./mime";
import { validateNotebook } from "./schema";
import { joinText, splitLines } from "./text";
import type { MimeBundle, Notebook } from "./types";

/** A notebook that cannot be run; `message` is one line naming the problem, `cell` where it is. */
export class NotebookError extends Error {
  constructor(
    message: string,
    readonly cell?: { index: number; id?: string },
    readonly kind: "invalid" | "unreadable" = "invalid",
  ) {
    super(message);
  }
}

function rejoinBundle(data: MimeBundle | undefined): void {
  if (!data) return;
  for (const [k, v] of Object.entries(data)) if (!isJsonMime(k) && Array.isArray(v)) data[k] = joinText(v);
}

function splitBundle(data: MimeBundle | undefined): void {
  if (!data) return;
  for (const [k, v] of Object.entries(data)) if (typeof v === "string" && isMultilineMime(k)) data[k] = splitLines(v);
}

/** A fresh cell id, as nbformat's upgrade to 4.5 makes them (stable for the same position and source). */
function newCellId(seed: string): string {
  return createHash("sha1").update(seed).digest("hex").slice(0, 8);
}

/**
 * Parses and validates notebook text; strings are joined. Throws NotebookError with a one-line reason (for
 * malformed JSON, where: `file:line:column` when `file` is given).
 */
export function parseNotebook(text: string, file?: string): Notebook {
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON; validateNotebook checks it against the nbformat schema
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(malformedJson(text, e, file));
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new NotebookError("not a notebook: the JSON is not an object");
  if (raw.nbformat === undefined) throw new NotebookError("not a notebook: no nbformat field");
  if (raw.nbformat !== 4) {
    const hint = raw.nbformat === 3 ? " (upgrade it with `jupyter nbconvert --to notebook --nbformat 4`)" : "";
    throw new NotebookError(
      `unsupported nbformat ${JSON.stringify(raw.nbformat)}: only nbformat 4 is supported${hint}`,
    );
  }
  const problem = validateNotebook(raw);
  if (problem)
    throw new NotebookError(
      `invalid nbformat 4${typeof raw.nbformat_minor === "number" ? `.${raw.nbformat_minor}` : ""}: ${problem.message}`,
      problem.cell,
    );
  // biome-ignore lint/suspicious/noExplicitAny: a schema-valid cell, normalised in place
  raw.cells.forEach((c: any, i: number) => {
    c.source = joinText(c.source);
    if (typeof c.id !== "string") c.id = newCellId(`${i}:${c.source}`); // 4.0–4.4 have no ids: upgrade
    if (c.cell_type === "code") {
      for (const o of c.outputs) {
        if (o.output_type === "stream") o.text = joinText(o.text);
        else if (o.output_type === "execute_result" || o.output_type === "display_data") rejoinBundle(o.data);
      }
    }
    if (c.attachments) for (const a of Object.values(c.attachments)) rejoinBundle(a as MimeBundle);
  });
  if (raw.nbformat_minor < 5) raw.nbformat_minor = 5; // ids were added above
  return raw as Notebook;
}

/** Reads and validates a notebook file. */
export function readNotebook(file: string): Notebook {
  return parseNotebook(readNotebookText(file), file);
}

/** A notebook file's text, or a NotebookError saying why it cannot be read. */
export function readNotebookText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new NotebookError(`cannot read: ${fileProblem(e)}`, undefined, "unreadable");
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Serialises as Jupyter does: multi-line strings split into lines, keys sorted, indent 1, final newline. */
export function serializeNotebook(nb: Notebook): string {
  // biome-ignore lint/suspicious/noExplicitAny: a deep copy whose strings are split in place
  const copy = JSON.parse(JSON.stringify(nb)) as Record<string, any>;
  for (const c of copy.cells) {
    if (typeof c.source === "string") c.source = splitLines(c.source);
    for (const o of c.outputs ?? []) {
      if (o.output_type === "stream" && typeof o.text === "string") o.text = splitLines(o.text);
      else if (o.output_type === "execute_result" || o.output_type === "display_data") splitBundle(o.data);
    }
    if (c.attachments) for (const a of Object.values(c.attachments)) splitBundle(a as MimeBundle);
  }
  return `${JSON.stringify(sortKeys(copy), null, 1)}\n`;
}

/** Writes a notebook atomically, through symlinks, keeping the file's mode. */
export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serializeNotebook(nb));
}
