/**
 * npm run bench:tensornet — exact contraction-order solvers against network size.
 * Networks as opt_einsum.testing.rand_equation(n, reg, n_out=2, d_min=2, d_max=4): a random reg-regular graph,
 * bond dimensions U{2..4}, two open indices. Times are CPU milliseconds of one call after JIT warm-up (cpuTime), median
 * over seeds. Python's opt_einsum is not installable here (no pip registry, no Debian package in bookworm), so its
 * `dp` timings are the ones measured on these machines and quoted in shared/papers/10-tensor-contraction-order.md.
 */
import { cpuTime as time, greedyFast, median, randomRegularNetwork, solveDP, treeCost, type DPOptions, type Network, type Objective } from "@folio/lib/tensornet";
import { rng } from "@folio/lib/rng";

const opt_einsum: Record<string, number> = { "3-18": 80, "3-24": 800, "4-24": 1700, "4-28": 19000 };
const cases: [number, number][] = [[3, 8], [3, 10], [3, 12], [3, 14], [3, 16], [3, 18], [3, 20], [3, 24], [4, 24], [4, 28]];
const seeds = Number(process.env.SEEDS ?? 5);

const rows: string[][] = [];
const head = ["reg", "n", "DP-OMS ms", "DP-CMS ms", "netcon-capped OMS ms", "greedy ms", "greedy/opt OMS", "greedy/opt CMS", "opt_einsum dp ms (paper file)", "speed-up"];
for (const [reg, n] of cases) {
  const t = { oms: [] as number[], cms: [] as number[], capped: [] as number[], greedy: [] as number[], rOms: [] as number[], rCms: [] as number[] };
  for (let s = 0; s < seeds; s++) {
    const net: Network = randomRegularNetwork(rng(1000 * reg + 10 * n + s), n, reg);
    const solve = (o: Objective, opts: DPOptions = {}) => time(() => solveDP(net, o, opts));
    const oms = solve("oms"), cms = solve("cms");
    const capped = n <= 24 ? solve("oms", { search: "capped" }) : null;
    if (capped && capped.value.cost !== oms.value.cost) throw new Error(`searches disagree on ${reg}-${n}-${s}`);
    const g = time(() => greedyFast(net));
    const gc = treeCost(net, g.value);
    t.oms.push(oms.ms); t.cms.push(cms.ms); if (capped) t.capped.push(capped.ms); t.greedy.push(g.ms);
    t.rOms.push(gc.oms / oms.value.cost); t.rCms.push(gc.cms / cms.value.cost);
  }
  const ref = opt_einsum[`${reg}-${n}`];
  const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
  rows.push([String(reg), String(n), f(median(t.oms)), f(median(t.cms)), t.capped.length ? f(median(t.capped)) : "–", f(median(t.greedy)),
    median(t.rOms).toFixed(2), median(t.rCms).toFixed(2), ref ? String(ref) : "–", ref ? `${(ref / median(t.oms)).toFixed(0)}x` : "–"]);
  console.error(`done ${reg}-regular n=${n}`);
}
const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
const line = (r: string[]) => `| ${r.map((c, k) => c.padStart(widths[k])).join(" | ")} |`;
console.log(`medians over ${seeds} seeds; CPU ms per call; costs in multiply-adds`);
console.log(line(head));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
