/**
 * Operation counts of one forward pass of the graph models of notebooks 03 and 06, counted the same way for the
 * spiking and the ordinary networks, part by part, so that a cost comparison shows where each model spends.
 *
 * One rule for both: an addition of two numbers is an accumulate (AC), anything with a multiplication is a
 * multiply-accumulate (MAC); energy E = 0.9 pJ·AC + 4.6 pJ·MAC (45 nm, Horowitz 2014, as `energyPJ` in
 * ./counters). So a layer fed 0/1 inputs does nnz(input)·C_out ACs whichever model it belongs to (a spike and a
 * binary bag-of-words feature are the same thing to W), a real-valued input costs N·C_in·C_out MACs, and the
 * propagation Â X = D̃^{-1/2}(A + I)(D̃^{-1/2} X) costs nnz(A + I)·C additions and 2·N·C scalings in both. The
 * spiking model pays per time step for everything after W S (propagation, STFN, membrane), and its STFN and
 * membrane multiplies are counted:
 *
 * - STFN per layer and step: N·C adds (mean), N·C MACs (variance) and N·C MACs for the fused scale-and-shift
 *   y = a_vc x + b_vc, plus 2·N·C MACs once for the per-node coefficients a_vc = λ_c ρ V_th/σ_v, b_vc = γ_c − a_vc E_v;
 * - LIF: one MAC per neuron and step (u = k h + I); threshold and reset are comparisons and selects, not counted,
 *   as the GCN's ReLU is not;
 * - readout of spike rates: spikes·K ACs (Σ_t S_t Wout, spike-driven) plus N·K MACs (the 1/T and the bias).
 *
 * Attention (GAT score, per head and step): 2·N·C_h MACs for a_lᵀh and a_rᵀh, nnz ACs for the sum, nnz MACs for
 * LeakyReLU, nnz exponentials (counted as one MAC each, a floor), nnz ACs and nnz MACs to normalise, nnz·C_h MACs
 * for Σ α h; the bilinear score costs N·C_h + nnz·C_h MACs instead of the first three terms; uniform weights
 * (mean aggregation) cost nnz·C_h additions and N·C_h scalings.
 * Paper figures for comparison: Xu et al. 2021 (arXiv 2107.06865) count spike-driven ACs against the GCN's MACs.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import { energyPJ } from "./counters";

/** One part of a forward pass and what it costs. */
export interface OpRow {
  part: string;
  acs: number;
  macs: number;
}

/** A forward pass's operations, part by part, with totals. */
export interface OpCount {
  rows: OpRow[];
  acs: number;
  macs: number;
}

/** The order parts are listed in: data flow through a layer, then the readout. */
const PART_ORDER = [
  "input layer (W x)",
  "hidden layers (W s)",
  "hidden layers (W h)",
  "bias",
  "propagation: additions",
  "propagation: degree scalings",
  "attention scores",
  "attention softmax",
  "attention aggregation (Σ α h)",
  "aggregation (mean over N(i) ∪ {i})",
  "STFN",
  "neurons (LIF)",
  "activation (ELU)",
  "readout",
];
const byPart = (a: string, b: string) => {
  const r = (p: string) => {
    const i = PART_ORDER.indexOf(p);
    return i < 0 ? PART_ORDER.length : i;
  };
  return r(a) - r(b);
};

/** Totals of a list of parts (parts with the same name are merged; listed in data-flow order). */
export function opCount(rows: OpRow[]): OpCount {
  const merged: OpRow[] = [];
  for (const r of rows) {
    const m = merged.find((x) => x.part === r.part);
    if (m) {
      m.acs += r.acs;
      m.macs += r.macs;
    } else merged.push({ ...r });
  }
  merged.sort((a, b) => byPart(a.part, b.part));
  return { rows: merged, acs: merged.reduce((s, r) => s + r.acs, 0), macs: merged.reduce((s, r) => s + r.macs, 0) };
}

/** Energy in nanojoules, E = 0.9 pJ·AC + 4.6 pJ·MAC (Horowitz 2014; `energyPJ`). */
export function energyNJ(c: { acs: number; macs: number }): number {
  return energyPJ({ sops: c.acs, macs: c.macs }) / 1000;
}

/** What the counts need to know about the graph: N nodes, nnz(A + I), and the non-zeros of a 0/1 input (omit for real inputs). */
export interface GraphShape {
  N: number;
  nnz: number;
  inDim: number;
  nnzX?: number;
}

/** Activity of a spiking run: spikes entering each layer (the input's included, summed over T steps) and the last layer's. */
export interface SpikeTrace {
  T: number;
  spikesIn: number[];
  spikesOut: number;
}

const propagation = (g: GraphShape, C: number, times: number): OpRow[] => [
  { part: "propagation: additions", acs: times * g.nnz * C, macs: 0 },
  { part: "propagation: degree scalings", acs: 0, macs: times * 2 * g.N * C },
];

const stfnRows = (g: GraphShape, C: number, T: number): OpRow[] => [
  { part: "STFN", acs: T * g.N * C, macs: 2 * T * g.N * C + 2 * g.N * C },
];

/**
 * Cost of the spiking GCN (`spikingGcn`): W S spike-driven, then per step bias, propagation, STFN and LIF; rate
 * readout. With `constantInput` (direct coding: the same binary input at every step) the first layer's input
 * current W x + b, its propagation and its STFN are time-invariant and counted once, the most favourable
 * accounting for the spiking model; its neurons still run T steps.
 */
export function spikingGcnCost(
  g: GraphShape,
  cfg: { hidden: number; classes: number; layers: number; stfn: boolean },
  s: SpikeTrace,
  o: { constantInput?: boolean } = {},
): OpCount {
  const C = cfg.hidden,
    rows: OpRow[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const steps = l === 0 && o.constantInput ? 1 : s.T;
    rows.push({
      part: l === 0 ? "input layer (W x)" : "hidden layers (W s)",
      acs: ((s.spikesIn[l] * steps) / s.T) * C,
      macs: 0,
    });
    rows.push({ part: "bias", acs: steps * g.N * C, macs: 0 });
    rows.push(...propagation(g, C, steps));
    if (cfg.stfn) rows.push(...stfnRows(g, C, steps));
    rows.push({ part: "neurons (LIF)", acs: 0, macs: s.T * g.N * C });
  }
  rows.push({ part: "readout", acs: s.spikesOut * cfg.classes, macs: g.N * cfg.classes });
  return opCount(rows);
}

/**
 * Cost of the GCN (`gcn`): a 0/1 input layer as nnz(X)·C ACs (or, with `inputAsDense`, as N·F·C MACs: the
 * asymmetric charge the previous revision of notebook 03 made), real hidden layers as MACs, propagation as in
 * the spiking model but once; ReLU uncounted.
 */
export function gcnCost(
  g: GraphShape,
  cfg: { hidden: number; classes: number; layers: number },
  o: { inputAsDense?: boolean } = {},
): OpCount {
  const C = cfg.hidden,
    rows: OpRow[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    if (l > 0) rows.push({ part: "hidden layers (W h)", acs: 0, macs: g.N * C * C });
    else if (g.nnzX !== undefined && !o.inputAsDense)
      rows.push({ part: "input layer (W x)", acs: g.nnzX * C, macs: 0 });
    else rows.push({ part: "input layer (W x)", acs: 0, macs: g.N * g.inDim * C });
    rows.push({ part: "bias", acs: g.N * C, macs: 0 });
    rows.push(...propagation(g, C, 1));
  }
  rows.push({ part: "readout", acs: g.N * cfg.classes, macs: g.N * C * cfg.classes });
  return opCount(rows);
}

const attentionRows = (
  g: GraphShape,
  heads: number,
  Ch: number,
  score: "gat" | "bilinear" | "uniform",
  times: number,
): OpRow[] =>
  score === "uniform"
    ? [{ part: "aggregation (mean over N(i) ∪ {i})", acs: times * heads * g.nnz * Ch, macs: times * heads * g.N * Ch }]
    : [
        score === "gat"
          ? { part: "attention scores", acs: times * heads * g.nnz, macs: times * heads * (2 * g.N * Ch + g.nnz) }
          : { part: "attention scores", acs: 0, macs: times * heads * (g.N * Ch + g.nnz * Ch) },
        { part: "attention softmax", acs: times * heads * g.nnz, macs: times * heads * 2 * g.nnz },
        { part: "attention aggregation (Σ α h)", acs: 0, macs: times * heads * g.nnz * Ch },
      ];

/** Settings the attention counts read: heads, head width, classes, layers, score, STFN. */
export interface GatShape {
  heads: number;
  headDim: number;
  classes: number;
  layers: number;
  score?: "gat" | "bilinear" | "uniform";
  stfn?: boolean;
}

/** Cost of the spiking GAT (`gatForward` with LIF): W S spike-driven; attention, STFN and LIF at every step; rate readout. */
export function spikingGatCost(g: GraphShape, cfg: GatShape, s: SpikeTrace): OpCount {
  const F = cfg.heads * cfg.headDim,
    rows: OpRow[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    rows.push({ part: l === 0 ? "input layer (W x)" : "hidden layers (W s)", acs: s.spikesIn[l] * F, macs: 0 });
    rows.push(...attentionRows(g, cfg.heads, cfg.headDim, cfg.score ?? "gat", s.T));
    if (cfg.stfn) rows.push(...stfnRows(g, F, s.T));
    rows.push({ part: "neurons (LIF)", acs: 0, macs: s.T * g.N * F });
  }
  rows.push({ part: "readout", acs: s.spikesOut * cfg.classes, macs: g.N * cfg.classes });
  return opCount(rows);
}

/** Cost of the GAT (`gatForward` without LIF, one step): 0/1 input as ACs, real hidden layers as MACs, ELU as one MAC per unit. */
export function gatCost(g: GraphShape, cfg: GatShape): OpCount {
  const F = cfg.heads * cfg.headDim,
    rows: OpRow[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    if (l > 0) rows.push({ part: "hidden layers (W h)", acs: 0, macs: g.N * F * F });
    else if (g.nnzX !== undefined) rows.push({ part: "input layer (W x)", acs: g.nnzX * F, macs: 0 });
    else rows.push({ part: "input layer (W x)", acs: 0, macs: g.N * g.inDim * F });
    rows.push(...attentionRows(g, cfg.heads, cfg.headDim, cfg.score ?? "gat", 1));
    rows.push({ part: "activation (ELU)", acs: 0, macs: g.N * F });
  }
  rows.push({ part: "readout", acs: g.N * cfg.classes, macs: g.N * F * cfg.classes });
  return opCount(rows);
}

/**
 * The spiking GCN's counts re-evaluated at another width C′ and window T′ with the measured firing rates held
 * fixed: input spikes scale with T′/T, hidden and output spikes with (C′/C)(T′/T). A projection of the count
 * formulas, not a measurement: real firing rates change with width and window.
 */
export function projectSpikingGcnCost(
  g: GraphShape,
  cfg: { hidden: number; classes: number; layers: number; stfn: boolean },
  s: SpikeTrace,
  to: { hidden: number; T: number },
  o: { constantInput?: boolean } = {},
): OpCount {
  const fT = to.T / s.T,
    fC = to.hidden / cfg.hidden;
  const trace: SpikeTrace = {
    T: to.T,
    spikesIn: s.spikesIn.map((x, l) => (l === 0 ? x * fT : x * fT * fC)),
    spikesOut: s.spikesOut * fT * fC,
  };
  return spikingGcnCost(g, { ...cfg, hidden: to.hidden }, trace, o);
}

/**
 * A cost breakdown as table rows: one row per part, and per model its mean ACs and MACs over the given runs
 * (e.g. seeds), then the totals.
 */
export function costRows(models: Record<string, readonly OpCount[]>): Record<string, string | number>[] {
  const names = Object.keys(models),
    parts = [...new Set(names.flatMap((m) => models[m].flatMap((c) => c.rows.map((r) => r.part))))].sort(byPart);
  const avg = (m: string, f: (c: OpCount) => number) => models[m].reduce((s, c) => s + f(c), 0) / models[m].length;
  const cell = (m: string, f: (c: OpCount) => number) => Math.round(avg(m, f));
  const part = (p: string) => (c: OpCount) => c.rows.find((r) => r.part === p);
  return [
    ...parts.map((p) =>
      Object.fromEntries([
        ["part", p],
        ...names.flatMap((m) => [
          [`${m}: AC`, cell(m, (c) => part(p)(c)?.acs ?? 0)],
          [`${m}: MAC`, cell(m, (c) => part(p)(c)?.macs ?? 0)],
        ]),
      ]),
    ),
    Object.fromEntries([
      ["part", "total"],
      ...names.flatMap((m) => [
        [`${m}: AC`, cell(m, (c) => c.acs)],
        [`${m}: MAC`, cell(m, (c) => c.macs)],
      ]),
    ]),
  ];
}
