/**
 * JUnit XML (the de-facto CI format). By default one testsuite with one testcase per notebook; with `perCell`,
 * nbval's granularity: one testsuite per notebook and one testcase per code cell (`cell 4 (id 3fa2)`), a cell
 * that did not run because an earlier one failed is skipped, a failure that belongs to no cell (the kernel
 * did not start) is an error of the testcase `notebook`.
 */
import { cellSeconds } from "./durations";
import { cellLabel, failureReport, formatFailure, isFatal, type Failure } from "./failure";
import type { NotebookResult } from "./types";

const esc = (s: string) =>
  s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

export interface JunitOptions {
  suite?: string;
  perCell?: boolean;
}

interface Case {
  classname: string;
  name: string;
  seconds: number;
  outcome?: { tag: "failure" | "error" | "skipped"; message: string; body?: string };
  out?: string;
}

function caseXml(c: Case): string {
  const head = `  <testcase classname="${esc(c.classname)}" name="${esc(c.name)}" time="${c.seconds.toFixed(3)}"`;
  const o = c.outcome;
  if (o?.tag === "skipped") return `${head}>\n    <skipped message="${esc(o.message)}"/>\n  </testcase>`;
  if (o)
    return `${head}>\n    <${o.tag} message="${esc(o.message)}" type="${o.tag}">${esc(o.body ?? "")}</${o.tag}>\n  </testcase>`;
  return c.out ? `${head}>\n    <system-out>${esc(c.out)}</system-out>\n  </testcase>` : `${head}/>`;
}

function report(r: NotebookResult, fs: Failure[]): string {
  return fs.map((f) => failureReport(r.path, f)).join("\n\n");
}

function notebookCase(suite: string, r: NotebookResult): Case {
  const c: Case = { classname: suite, name: r.path, seconds: r.seconds };
  if (r.status === "skipped") c.outcome = { tag: "skipped", message: r.skipReason ?? "skipped" };
  else if (r.failures.length)
    c.outcome = {
      tag: r.status === "error" ? "error" : "failure",
      message: formatFailure(r.failures[0]),
      body: report(r, r.failures),
    };
  else if (r.cached) c.out = "cached";
  return c;
}

function cellCases(r: NotebookResult): Case[] {
  const nbFailures = r.failures.filter((f) => !f.cell || isFatal(f));
  const cases: Case[] = [];
  if (r.status === "skipped")
    return [
      {
        classname: r.rel,
        name: "notebook",
        seconds: 0,
        outcome: { tag: "skipped", message: r.skipReason ?? "skipped" },
      },
    ];
  if (nbFailures.length || !r.executed) {
    cases.push({
      classname: r.rel,
      name: "notebook",
      seconds: r.seconds,
      outcome: nbFailures.length
        ? { tag: "error", message: formatFailure(nbFailures[0]), body: report(r, nbFailures) }
        : undefined,
    });
  }
  const stop = r.failures.find((f) => f.cell && f.kind !== "mismatch" && f.kind !== "protocol");
  r.executed?.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code" || cell.source.trim() === "") return;
    const at = { index, id: cell.id };
    const mine = r.failures.filter((f) => f.cell?.index === index && !isFatal(f));
    const c: Case = { classname: r.rel, name: cellLabel(at), seconds: cellSeconds(cell) ?? 0 };
    if (mine.length) c.outcome = { tag: "failure", message: formatFailure(mine[0]), body: report(r, mine) };
    else if (stop?.cell && index > stop.cell.index)
      c.outcome = { tag: "skipped", message: `not run: ${cellLabel(stop.cell)} stopped the notebook` };
    else if (cell.execution_count === null && cell.outputs.length === 0)
      c.outcome = { tag: "skipped", message: "not run" };
    cases.push(c);
  });
  return cases;
}

function suiteXml(name: string, cases: Case[]): string {
  const n = (tag: string) => cases.filter((c) => c.outcome?.tag === tag).length;
  const time = cases.reduce((s, c) => s + c.seconds, 0);
  return [
    `<testsuite name="${esc(name)}" tests="${cases.length}" failures="${n("failure")}" errors="${n("error")}" skipped="${n("skipped")}" time="${time.toFixed(3)}">`,
    ...cases.map(caseXml),
    `</testsuite>`,
  ].join("\n");
}

export function junitXml(results: NotebookResult[], opts: JunitOptions = {}): string {
  const suite = opts.suite ?? "folio";
  const suites = opts.perCell
    ? results.map((r) => ({ name: r.path, cases: cellCases(r) }))
    : [{ name: suite, cases: results.map((r) => notebookCase(suite, r)) }];
  const all = suites.flatMap((s) => s.cases);
  const n = (tag: string) => all.filter((c) => c.outcome?.tag === tag).length;
  const time = all.reduce((s, c) => s + c.seconds, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${esc(suite)}" tests="${all.length}" failures="${n("failure")}" errors="${n("error")}" skipped="${n("skipped")}" time="${time.toFixed(3)}">`,
    ...suites.map((s) => suiteXml(s.name, s.cases)),
    `</testsuites>`,
    "",
  ].join("\n");
}
