/** JUnit XML (the de-facto CI format): one testsuite, one testcase per notebook. */
import type { NotebookResult } from "./types";

const esc = (s: string) => s
  .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "")
  .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function junitXml(results: NotebookResult[], suite = "folio", details: Map<string, string> = new Map()): string {
  const failures = results.filter((r) => r.status === "failed").length;
  const errors = results.filter((r) => r.status === "error").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  const time = results.reduce((s, r) => s + r.seconds, 0);
  const cases = results.map((r) => {
    const head = `  <testcase classname="${esc(suite)}" name="${esc(r.path)}" time="${r.seconds.toFixed(3)}"`;
    const msg = esc(r.problems[0] ?? r.status);
    const body = esc([...r.problems, details.get(r.path) ?? ""].filter(Boolean).join("\n"));
    if (r.status === "failed") return `${head}>\n    <failure message="${msg}" type="failure">${body}</failure>\n  </testcase>`;
    if (r.status === "error") return `${head}>\n    <error message="${msg}" type="error">${body}</error>\n  </testcase>`;
    if (r.status === "skipped") return `${head}>\n    <skipped message="${msg}"/>\n  </testcase>`;
    return r.cached ? `${head}>\n    <system-out>cached</system-out>\n  </testcase>` : `${head}/>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${esc(suite)}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    `<testsuite name="${esc(suite)}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    ...cases,
    `</testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
