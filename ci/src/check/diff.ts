/** A line-based unified diff (LCS with a pluggable line equality, so numbers within tolerance align). */

export interface DiffOptions {
  color?: boolean;
  context?: number;
  equal?: (a: string, b: string) => boolean;
  labels?: [string, string];
}

type Op = { kind: " " | "-" | "+"; line: string; ai: number; bi: number };

function ops(a: string[], b: string[], eq: (x: string, y: string) => boolean): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && eq(a[pre], b[pre])) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && eq(a[a.length - 1 - suf], b[b.length - 1 - suf])) suf++;
  const A = a.slice(pre, a.length - suf),
    B = b.slice(pre, b.length - suf);
  const out: Op[] = [];
  for (let i = 0; i < pre; i++) out.push({ kind: " ", line: b[i], ai: i, bi: i });
  if (A.length * B.length > 4_000_000) {
    A.forEach((l, i) => out.push({ kind: "-", line: l, ai: pre + i, bi: pre }));
    B.forEach((l, j) => out.push({ kind: "+", line: l, ai: pre + A.length, bi: pre + j }));
  } else {
    const n = A.length,
      m = B.length;
    const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i][j] = eq(A[i], B[j]) ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0,
      j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && eq(A[i], B[j])) {
        out.push({ kind: " ", line: B[j], ai: pre + i, bi: pre + j });
        i++;
        j++;
      } else if (i < n && (j === m || L[i + 1][j] >= L[i][j + 1])) {
        out.push({ kind: "-", line: A[i], ai: pre + i, bi: pre + j });
        i++;
      } else {
        out.push({ kind: "+", line: B[j], ai: pre + i, bi: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++)
    out.push({ kind: " ", line: b[b.length - suf + k], ai: a.length - suf + k, bi: b.length - suf + k });
  return out;
}

/** Unified diff of `a` (expected) against `b` (actual); "" when they are equal. */
export function unifiedDiff(a: string, b: string, opts: DiffOptions = {}): string {
  const eq = opts.equal ?? ((x, y) => x === y);
  const ctx = opts.context ?? 3;
  const al = a.split("\n"),
    bl = b.split("\n");
  const all = ops(al, bl, eq);
  if (all.every((o) => o.kind === " ")) return "";
  const red = (s: string) => (opts.color ? `\x1b[31m${s}\x1b[0m` : s);
  const green = (s: string) => (opts.color ? `\x1b[32m${s}\x1b[0m` : s);
  const cyan = (s: string) => (opts.color ? `\x1b[36m${s}\x1b[0m` : s);
  const [la, lb] = opts.labels ?? ["stored", "executed"];
  const lines = [red(`--- ${la}`), green(`+++ ${lb}`)];
  // hunks: every changed line with `ctx` lines around it, overlapping windows merged
  const ranges: [number, number][] = [];
  all.forEach((o, i) => {
    if (o.kind === " ") return;
    const lo = Math.max(0, i - ctx),
      hi = Math.min(all.length, i + ctx + 1);
    const last = ranges[ranges.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else ranges.push([lo, hi]);
  });
  for (const [lo, hi] of ranges) {
    const hunk = all.slice(lo, hi);
    const aLen = hunk.filter((o) => o.kind !== "+").length,
      bLen = hunk.filter((o) => o.kind !== "-").length;
    lines.push(cyan(`@@ -${hunk[0].ai + 1},${aLen} +${hunk[0].bi + 1},${bLen} @@`));
    for (const o of hunk)
      lines.push(o.kind === "-" ? red(`-${o.line}`) : o.kind === "+" ? green(`+${o.line}`) : ` ${o.line}`);
  }
  return lines.join("\n");
}
