/**
 * Errors as Jupyter wants them (ename, evalue, traceback lines), with stack frames that point into cells
 * mapped back through each cell's source map to the cell's own line:column, and the kernel's frames removed.
 *
 * Every location in a cell is written one way, `Cell In[N]:line:col`, for type errors and runtime errors alike.
 * Tracebacks carry ANSI colour as ipykernel's do (front ends render it; `ename` and `evalue` stay plain):
 * the error's name in red, cell locations in green, the failing line marked `---->` with its line number.
 * Type errors use tsc's `--pretty` colours and code frame.
 */
import { inspect } from "node:util";
import * as path from "node:path";
import { lookup, type LineMap } from "./sourcemap";
import type { ErrorContent } from "@folio/protocol/jupyter";
import type { Diagnostic } from "./language-protocol";

export interface CellSource {
  label: string;
  code: string;
  map: LineMap;
}

const KERNEL_DIR = path.resolve(__dirname, "..");
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/** ipykernel's traceback colours (IPython's "Linux" scheme) and tsc's `--pretty` ones. */
export const ANSI = {
  red: "\x1b[0;31m",
  green: "\x1b[0;32m",
  reset: "\x1b[0m",
  tsFile: "\x1b[96m",
  tsPos: "\x1b[93m",
  tsError: "\x1b[91m",
  tsCode: "\x1b[90m",
  tsGutter: "\x1b[7m",
} as const;
const { red, green, reset } = ANSI;

export const stripAnsi = (s: string): string => s.replace(/\x1b\[[\d;]*m/g, "");

/** `Cell In[N]:line:col`, the one spelling of a position in a cell. */
export const cellLocation = (label: string, line: number, col: number): string => `${label}:${line}:${col}`;

/** The failing line with the one before it, ipykernel style (`----> 3 code`), and a caret under the column. */
function codeContext(label: string, code: string, line: number, col: number): string[] {
  const src = code.split("\n");
  const at = src[line];
  if (at === undefined) return [];
  const width = String(line + 1).length;
  const out = ["", `${green}${label}, line ${line + 1}${reset}:`];
  if (line > 0) out.push(`${" ".repeat(6)}${String(line).padStart(width)} ${src[line - 1]}`);
  out.push(
    `${green}----> ${String(line + 1).padStart(width)}${reset} ${at}`,
    `${" ".repeat(7 + width + col)}${red}^${reset}`,
  );
  return out;
}

export function errorContent(e: unknown, cells: Map<string, CellSource>): ErrorContent {
  if (!(e instanceof Error) && !(typeof e === "object" && e !== null && "stack" in e && "message" in e)) {
    return {
      ename: "Error",
      evalue: `Uncaught ${inspect(e)}`,
      traceback: [`${red}Uncaught${reset} ${inspect(e, { colors: false })}`],
    };
  }
  const err = e as Error;
  const ename = err.name || err.constructor?.name || "Error";
  const evalue = String(err.message ?? "");
  const stack = String(err.stack ?? "");
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const head = firstFrame < 0 ? (stack ? lines : [`${ename}: ${evalue}`]) : lines.slice(0, firstFrame);
  if (head[0]?.startsWith(ename)) head[0] = `${red}${ename}${reset}${head[0].slice(ename.length)}`;
  const frames: string[] = [];
  let context: string[] = [];
  for (const line of firstFrame < 0 ? [] : lines.slice(firstFrame)) {
    const m = FRAME.exec(line);
    if (!m) {
      if (!/^\s+at /.test(line)) frames.push(line);
      continue;
    }
    const [, fn, file, l, c] = m;
    const cell = cells.get(file);
    if (cell) {
      const pos = lookup(cell.map, Number(l) - 2, Number(c) - 1);
      if (!pos) continue; // the async wrapper
      const where = `${green}${cellLocation(cell.label, pos.line + 1, pos.col + 1)}${reset}`;
      const name = fn && !/^(async )?<anonymous>$/.test(fn) ? fn.replace(/^Object\./, "") : "";
      frames.push(`    at ${name ? `${name} (${where})` : where}`);
      if (!context.length) context = codeContext(cell.label, cell.code, pos.line, pos.col);
      continue;
    }
    if (file.startsWith(KERNEL_DIR) || file.startsWith("node:") || file.includes("/tsx/dist/")) continue;
    frames.push(line);
  }
  return { ename, evalue, traceback: [...head, ...frames, ...context] };
}

/** A type error in tsc's own `file:line:col - error TSxxxx: message` form, the file being the cell's label. */
export function typeErrorContent(diags: Diagnostic[], code: string, label: string): ErrorContent {
  const src = code.split("\n");
  const plain = (d: Diagnostic) => `${cellLocation(label, d.line, d.col)} - error TS${d.code}: ${d.message}`;
  const { tsFile, tsPos, tsError, tsCode, tsGutter } = ANSI;
  const traceback: string[] = [];
  for (const d of diags) {
    traceback.push(
      `${tsFile}${label}${reset}:${tsPos}${d.line}${reset}:${tsPos}${d.col}${reset} - ${tsError}error${reset}${tsCode} TS${d.code}: ${reset}${d.message}`,
    );
    const line = src[d.line - 1];
    if (line !== undefined) {
      const width = Math.max(1, Math.min(d.length, line.length - d.col + 1));
      const n = String(d.line);
      traceback.push(
        "",
        `${tsGutter}${n}${reset} ${line}`,
        `${tsGutter}${" ".repeat(n.length)}${reset} ${" ".repeat(d.col - 1)}${tsError}${"~".repeat(width)}${reset}`,
        "",
      );
    }
  }
  return { ename: "TSError", evalue: diags.map(plain).join("\n"), traceback };
}

/** The cell was interrupted (before or while it ran). */
export function interruptContent(label: string): ErrorContent {
  return {
    ename: "Interrupt",
    evalue: "Execution interrupted",
    traceback: [`${red}Interrupt${reset}: execution of ${label} was interrupted`],
  };
}

/**
 * The language server failed on a cell (TypeScript's parser overflowing its stack on 20,000 nested brackets,
 * the server process dying): an error of the cell like any other, with the reason and without the server's
 * internal paths.
 */
export function internalErrorContent(label: string, reason: string): ErrorContent {
  const evalue = `the type checker failed on ${label}: ${reason}`;
  return {
    ename: "InternalError",
    evalue,
    traceback: [`${red}InternalError${reset}: ${evalue}`, "The cell did not run; earlier cells' variables are kept."],
  };
}
