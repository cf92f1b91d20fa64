/**
 * `npm run bench:aloha`: simulator speed against the number of stations, 10^5 slots each: static ALOHA on the lazy
 * simulator (only the stations that draw a transmission are looked at) and RLRA-DC learning (every station, every
 * slot). Dense traffic (λ = 0.5, D = 10, the notebook's regime). Target: 1000 stations × 10^5 slots in under 10 s.
 */
import { optimalStaticP, rlraInit, simulateRlra, simulateStaticAloha } from "../lib/aloha";
import { rng } from "../lib/rng";

const SLOTS = 100_000;
const rows: string[][] = [
  ["N", "ALOHA slots/s", "ALOHA time (s)", "RLRA-DC slots/s", "RLRA-DC time (s)", "target ≤ 10 s"],
];
for (const N of [10, 100, 1000, 10_000]) {
  const sys = { N, D: 10, lambda: 0.5 },
    p = optimalStaticP(sys).p;
  let t0 = performance.now();
  simulateStaticAloha(sys, p, SLOTS, rng(1));
  const ta = (performance.now() - t0) / 1000;
  // RLRA-DC touches every station in every slot (O(N) per slot): run it up to N = 1000
  let tr = NaN;
  if (N <= 1000) {
    t0 = performance.now();
    simulateRlra(sys, rlraInit(N), SLOTS, rng(2));
    tr = (performance.now() - t0) / 1000;
  }
  const rl = Number.isNaN(tr) ? ["—", "—"] : [(SLOTS / tr).toExponential(2), tr.toFixed(2)];
  rows.push([
    String(N),
    (SLOTS / ta).toExponential(2),
    ta.toFixed(2),
    ...rl,
    (Number.isNaN(tr) ? ta : Math.max(ta, tr)) <= 10 ? "yes" : "no",
  ]);
}
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => x.padStart(w[c])).join("  "));
