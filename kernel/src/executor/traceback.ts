/**
 * Errors as Jupyter wants them (ename, evalue, traceback lines), with stack frames that point into cells
 * mapped back through each cell's source map to the cell's own line:column, and the kernel's frames removed.
 */
import { inspect } from "node:util";
import * as path from "node:path";
import { lookup, type LineMap } from "./sourcemap";
import type { ErrorContent } from "../protocol/messages";
import type { Diagnostic } from "./language-protocol";

export interface CellSource { label: string; code: string; map: LineMap }

const KERNEL_DIR = path.resolve(__dirname, "..");
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

export function errorContent(e: unknown, cells: Map<string, CellSource>): ErrorContent {
  if (!(e instanceof Error) && !(typeof e === "object" && e !== null && "stack" in e && "message" in e)) {
    return { ename: "Error", evalue: `Uncaught ${inspect(e)}`, traceback: [`Uncaught ${inspect(e, { colors: false })}`] };
  }
  const err = e as Error;
  const ename = err.name || err.constructor?.name || "Error";
  const evalue = String(err.message ?? "");
  const stack = String(err.stack ?? "");
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const head = firstFrame < 0 ? (stack ? lines : [`${ename}: ${evalue}`]) : lines.slice(0, firstFrame);
  const frames: string[] = [];
  let context: string[] = [];
  for (const line of firstFrame < 0 ? [] : lines.slice(firstFrame)) {
    const m = FRAME.exec(line);
    if (!m) { if (!/^\s+at /.test(line)) frames.push(line); continue; }
    const [, fn, file, l, c] = m;
    const cell = cells.get(file);
    if (cell) {
      const pos = lookup(cell.map, Number(l) - 2, Number(c) - 1);
      if (!pos) continue; // the async wrapper
      const where = `${cell.label}:${pos.line + 1}:${pos.col + 1}`;
      const name = fn && !/^(async )?<anonymous>$/.test(fn) ? fn.replace(/^Object\./, "") : "";
      frames.push(`    at ${name ? `${name} (${where})` : where}`);
      if (!context.length) {
        const src = cell.code.split("\n")[pos.line];
        if (src !== undefined) context = ["", `${cell.label}, line ${pos.line + 1}:`, `    ${src}`, `    ${" ".repeat(pos.col)}^`];
      }
      continue;
    }
    if (file.startsWith(KERNEL_DIR) || file.startsWith("node:") || file.includes("/tsx/dist/")) continue;
    frames.push(line);
  }
  return { ename, evalue, traceback: [...head, ...frames, ...context] };
}

/** A type error, in the compiler's own `file:line:col - error TSxxxx: message` form. */
export function typeErrorContent(diags: Diagnostic[], code: string): ErrorContent {
  const src = code.split("\n");
  const fmt = (d: Diagnostic) => `cell:${d.line}:${d.col} - error TS${d.code}: ${d.message}`;
  const traceback: string[] = [];
  for (const d of diags) {
    traceback.push(fmt(d));
    const line = src[d.line - 1];
    if (line !== undefined) {
      const width = Math.max(1, Math.min(d.length, line.length - d.col + 1));
      traceback.push(`    ${d.line} | ${line}`, `    ${" ".repeat(String(d.line).length)} | ${" ".repeat(d.col - 1)}${"~".repeat(width)}`, "");
    }
  }
  return { ename: "TSError", evalue: diags.map(fmt).join("\n"), traceback };
}
