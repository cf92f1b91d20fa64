/** Small HTML helpers for the report: escaping, atomic writes, formatting. */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON safe to embed inside a `<script type="application/json">` element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** nbformat multiline strings are a string or a list of lines. */
export function joinSource(s: unknown): string {
  if (Array.isArray(s)) return s.map(String).join("");
  return typeof s === "string" ? s : "";
}

/** Writes a file by write-to-temp-and-rename, so a reader never sees half a page. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Copies a file atomically; skipped when the destination already has the same size (assets are versioned by package). */
export async function copyFileAtomic(src: string, dest: string): Promise<void> {
  const [s, d] = await Promise.all([fs.stat(src), fs.stat(dest).catch(() => undefined)]);
  if (d && d.size === s.size) return;
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fs.copyFile(src, tmp);
    await fs.rename(tmp, dest);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Run time for people: "0.8 s", "42 s", "3 min 05 s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "—";
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60), r = Math.round(s - 60 * m);
  return `${m} min ${String(r).padStart(2, "0")} s`;
}
