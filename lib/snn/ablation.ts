/**
 * The leak × reset × recurrence ablation of Yin et al. 2024 (arXiv:2403.16674): train one small recurrent SNN per
 * variant on the same data and budget, then measure accuracy, generalisation gap, firing rate and robustness
 * (accuracy under input noise and under noise on the membrane potential).
 * @see notebooks/07-lif-components.ipynb
 */
import type { Rng } from "../rng";
import type { Reset } from "./lif";
import type { Surrogate } from "./surrogate";
import type { SeqSet } from "./tasks";
import { initRsnn, trainRsnn, evalRsnn, rsnnVariables, type RsnnConfig, type RsnnParams } from "./rsnn";

/** One cell of the grid: leak factor, reset mode and whether the hidden layer is recurrent. */
export interface Variant { name: string; kTau: number; reset: Reset; recurrent: boolean }

/** The Cartesian grid leaks × resets × recurrence, named like "LIF0.9/soft/rec" or "IF/hard/ff". */
export function lifGrid(leaks: number[], resets: readonly Reset[], recurrence: boolean[]): Variant[] {
  const out: Variant[] = [];
  for (const kTau of leaks) for (const reset of resets) for (const recurrent of recurrence)
    out.push({ name: `${kTau === 1 ? "IF" : `LIF${kTau}`}/${reset}/${recurrent ? "rec" : "ff"}`, kTau, reset, recurrent });
  return out;
}

/** Data and budget shared by every variant of one experiment. */
export interface AblationSetup {
  train: SeqSet; test: SeqSet;
  /** Extra evaluation sets by name (e.g. "noisy input", "delay 30"); each is scored with the trained network. */
  probes?: Record<string, SeqSet>;
  /** Stds of Gaussian noise added to the membrane at every step in the robustness probe (one score per level). */
  membraneNoise?: number[];
  /** Seed of the membrane-noise draws, shared by every variant so that all face the same noise. */
  noiseSeed?: number;
  hidden: number; readoutSteps?: number; inputGain?: number; surrogate?: Surrogate;
  epochs: number; batch: number; lr: number;
}

/** What one variant scored. `probes` holds accuracy on each extra set; `membraneNoiseAcc[i]` under membrane noise level i. */
export interface VariantResult extends Variant {
  trainAcc: number; testAcc: number; gap: number; rate: number;
  probes: Record<string, number>; membraneNoiseAcc: number[]; loss: number[]; seconds: number;
}

/** Trains variant `v` from `rng` and scores it; the trained parameters are returned for traces (caller disposes). */
export async function runVariant(v: Variant, s: AblationSetup, rng: Rng, label?: string): Promise<{ result: VariantResult; cfg: RsnnConfig; params: RsnnParams }> {
  const t0 = Date.now();
  const cfg: RsnnConfig = { nIn: s.train.c, nHidden: s.hidden, nOut: s.train.classes, kTau: v.kTau, reset: v.reset, recurrent: v.recurrent, readoutSteps: s.readoutSteps, inputGain: s.inputGain, surrogate: s.surrogate };
  const params = initRsnn(cfg, rng.split());
  const loss = await trainRsnn(cfg, params, s.train, { epochs: s.epochs, batch: s.batch, lr: s.lr, rng: rng.split(), label: label ?? v.name });
  const tr = evalRsnn(cfg, params, s.train), te = evalRsnn(cfg, params, s.test);
  const probes: Record<string, number> = {};
  for (const [k, set] of Object.entries(s.probes ?? {})) probes[k] = evalRsnn(cfg, params, set).acc;
  const membraneNoiseAcc = (s.membraneNoise ?? []).map((sigma, i) => evalRsnn(cfg, params, s.test, { membraneNoise: sigma, seed: (s.noiseSeed ?? 1) + 7919 * i }).acc);
  const result: VariantResult = { ...v, trainAcc: tr.acc, testAcc: te.acc, gap: tr.acc - te.acc, rate: te.rate, probes, membraneNoiseAcc, loss, seconds: (Date.now() - t0) / 1000 };
  return { result, cfg, params };
}

/** Runs every variant of a grid on one setup (each from its own split of `rng`) and frees the networks. */
export async function runGrid(variants: Variant[], s: AblationSetup, rng: Rng, label = ""): Promise<VariantResult[]> {
  const out: VariantResult[] = [];
  for (const v of variants) {
    const { result, params } = await runVariant(v, s, rng.split(), `${label}${v.name}`);
    rsnnVariables(params).forEach((x) => x.dispose());
    out.push(result);
  }
  return out;
}

/** Mean of a metric over the variants that match a filter (e.g. all no-reset cells). */
export function meanOver(rs: VariantResult[], pick: (r: VariantResult) => boolean, metric: (r: VariantResult) => number): number {
  const sel = rs.filter(pick);
  if (sel.length === 0) throw new Error("meanOver: no variant matches the filter");
  return sel.reduce((a, r) => a + metric(r), 0) / sel.length;
}


/** A results table as a MIME bundle (plain text, markdown, HTML): one row per variant, columns picked by name. */
export function variantTable(rs: VariantResult[], columns: Record<string, (r: VariantResult) => string | number>): Record<string, string> {
  const head = ["variant", ...Object.keys(columns)];
  const cell = (v: string | number) => (typeof v === "number" ? v.toFixed(3) : v);
  const rows = rs.map((r) => [r.name, ...Object.values(columns).map((f) => cell(f(r)))]);
  const md = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const html = `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const text = [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join("  ")).join("\n");
  return { "text/plain": text, "text/markdown": md, "text/html": html };
}
