/**
 * Reading and writing .ipynb files the way Jupyter does (nbformat 4.5): validation with one-line reasons,
 * multi-line strings joined in memory and split into lines on disk, keys sorted, 1-space indent, atomic writes.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { NbCell, Notebook } from "./percent";

/** A notebook that cannot be run; `message` is one line naming the problem. */
export class NotebookError extends Error {}

export type Output = Record<string, any> & { output_type: string };

/** Joins nbformat's list-of-lines form into one string. */
export function joinText(v: unknown): string {
  if (Array.isArray(v)) return v.join("");
  return typeof v === "string" ? v : "";
}

/** Python's str.splitlines(keepends=True), which nbformat uses when writing. */
export function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\r" && s[i + 1] === "\n") { i++; out.push(s.slice(start, i + 1)); start = i + 1; }
    else if ("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029".includes(c)) { out.push(s.slice(start, i + 1)); start = i + 1; }
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

function rejoinBundle(data: Record<string, unknown> | undefined): void {
  if (!data) return;
  for (const [k, v] of Object.entries(data)) {
    if (!isJsonMime(k) && Array.isArray(v) && v.every((x) => typeof x === "string")) data[k] = v.join("");
  }
}

function splitBundle(data: Record<string, unknown> | undefined): void {
  if (!data) return;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === "string" && (k.startsWith("text/") || k === "application/javascript" || k === "image/svg+xml")) data[k] = splitLines(v);
  }
}

/** A fresh cell id, as nbformat's upgrade to 4.5 makes them. */
function newCellId(seed: string): string {
  return createHash("sha1").update(seed).digest("hex").slice(0, 8);
}

/** Parses and validates notebook text; strings are joined. Throws NotebookError with a one-line reason. */
export function parseNotebook(text: string): Notebook {
  let raw: any;
  try { raw = JSON.parse(text); } catch (e) {
    throw new NotebookError(`malformed JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new NotebookError("not a notebook: the JSON is not an object");
  if (raw.nbformat === undefined) throw new NotebookError("not a notebook: no nbformat field");
  if (raw.nbformat !== 4) {
    const hint = raw.nbformat === 3 ? " (upgrade it with `jupyter nbconvert --to notebook --nbformat 4`)" : "";
    throw new NotebookError(`unsupported nbformat ${JSON.stringify(raw.nbformat)}: only nbformat 4 is supported${hint}`);
  }
  if (!Array.isArray(raw.cells)) throw new NotebookError("not a notebook: no cells array");
  raw.metadata ??= {};
  const ids = new Set<string>();
  raw.cells.forEach((c: any, i: number) => {
    if (!c || typeof c !== "object" || !["code", "markdown", "raw"].includes(c.cell_type)) {
      throw new NotebookError(`cell ${i + 1}: unknown cell_type ${JSON.stringify(c?.cell_type)}`);
    }
    c.metadata ??= {};
    c.source = joinText(c.source);
    if (typeof c.id !== "string" || c.id === "" || ids.has(c.id)) c.id = newCellId(`${i}:${c.source}`);
    ids.add(c.id);
    if (c.cell_type === "code") {
      if (!Array.isArray(c.outputs)) c.outputs = [];
      c.execution_count ??= null;
      for (const o of c.outputs) {
        if (o.output_type === "stream") o.text = joinText(o.text);
        else if (o.output_type === "execute_result" || o.output_type === "display_data") rejoinBundle(o.data);
      }
    }
    if (c.attachments) for (const a of Object.values(c.attachments)) rejoinBundle(a as Record<string, unknown>);
  });
  if ((raw.nbformat_minor ?? 0) < 5) raw.nbformat_minor = 5; // ids were added above
  return raw as Notebook;
}

/** Reads and validates a notebook file. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try { text = fs.readFileSync(file, "utf8"); } catch (e) {
    throw new NotebookError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseNotebook(text);
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
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of copy.cells) {
    if (typeof c.source === "string") c.source = splitLines(c.source);
    for (const o of (c.outputs ?? []) as Output[]) {
      if (o.output_type === "stream" && typeof o.text === "string") o.text = splitLines(o.text);
      else if (o.output_type === "execute_result" || o.output_type === "display_data") splitBundle(o.data);
    }
  }
  return JSON.stringify(sortKeys(copy), null, 1) + "\n";
}

/** Writes a file by writing a temporary sibling and renaming it over the target (atomic on POSIX). */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serializeNotebook(nb));
}

export function cellSource(c: NbCell): string { return joinText(c.source); }
export function cellTags(c: NbCell): string[] {
  const t = (c.metadata as { tags?: unknown }).tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}
