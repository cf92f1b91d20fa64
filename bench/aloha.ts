/**
 * `npm run bench:aloha`: simulator speed (slots per second) against the number of stations, for fixed-p ALOHA
 * and RLRA-DC, each run for 10^5 slots. Target: 1000 stations × 10^5 slots in under 10 s.
 */
import { optimalStaticP, rlraInit, simulateAloha, simulateRlra } from "../lib/aloha";
import { rng } from "../lib/rng";

const SLOTS = 100_000;
const rows: string[][] = [["N", "D", "ALOHA slots/s", "ALOHA time (s)", "RLRA-DC slots/s", "RLRA-DC time (s)", "target ≤ 10 s"]];
for (const N of [10, 100, 1000, 2000]) {
  const sys = { N, D: Math.min(N, 1000), lambda: 1 };
  const frames = Math.ceil(SLOTS / sys.D);
  const p = N <= 1000 ? optimalStaticP({ N, D: 1, lambda: 1 }).p : 1 / N;
  let t0 = performance.now();
  simulateAloha(sys, () => p, frames, rng(1));
  const ta = (performance.now() - t0) / 1000;
  const slots = frames * sys.D;
  // RLRA-DC updates every station's value of a slot on each success (O(N) per slot): run it up to N = 1000
  let tr = NaN;
  if (N <= 1000) { t0 = performance.now(); simulateRlra(sys, rlraInit(sys), frames, rng(2)); tr = (performance.now() - t0) / 1000; }
  const rl = Number.isNaN(tr) ? ["—", "—"] : [(slots / tr).toExponential(2), tr.toFixed(2)];
  rows.push([String(N), String(sys.D), (slots / ta).toExponential(2), ta.toFixed(2), ...rl, (Number.isNaN(tr) ? ta : Math.max(ta, tr)) <= 10 ? "yes" : "no"]);
}
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => x.padStart(w[c])).join("  "));
