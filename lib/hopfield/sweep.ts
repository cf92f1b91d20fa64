/**
 * Model size against data size (Niu, Bai, Deng & Han 2024, arXiv 2405.08707: "a dependency between the model size
 * and the dataset size for the model to achieve optimal performance"; for well-separated patterns N = O(D²)).
 * Transformers of several widths are trained for a fixed number of steps on training sets of several sizes D drawn
 * from one source, and judged on one held-out set; the held-out-optimal size N*(D) and its exponent
 * α in N* ∝ D^α are read off per seed.
 * @see notebooks/05-transformer-hopfield-memory.ipynb
 */
import type { Rng } from "../rng";
import type { tf } from "../tensor";
import { linearFit } from "../stats";
import { memorisationFloor } from "./bounds";
import { sampleSource, type MarkovSource } from "./corpus";
import { disposeLM, evalLoss, initTinyLM, paramCount, toWindows, trainLM, type TinyLM } from "./transformer";

/** One trained model of the sweep: its width and parameter count, training-set size and seed, and its losses. */
export interface SweepRow {
  dModel: number;
  params: number;
  D: number;
  seed: number;
  train: number;
  test: number;
  floor: number;
}

/** (context, next) pairs of windows cut from `tokens`: every prefix of a window is a context (for the memorisation floor). */
function windowPairs(tokens: Int32Array, T: number): { context: string; next: number }[] {
  const out: { context: string; next: number }[] = [];
  for (let i = 0; (i + 1) * (T + 1) <= tokens.length; i++) {
    const w = tokens.subarray(i * (T + 1), (i + 1) * (T + 1));
    for (let j = 0; j < T; j++) out.push({ context: w.subarray(0, j + 1).join(","), next: w[j + 1] });
  }
  return out;
}

/**
 * Trains a model of every width d in `dModels` on every training set (D tokens, seed s, drawn from
 * `key.derive(\`data/${D}/${s}\`)`), initialised from `key.derive(\`init/${d}/${D}/${s}\`)` so that a model's numbers
 * do not depend on what else was swept, and records training loss, held-out loss on `test` and the memorisation
 * floor of its training set. `inspect` sees each trained model, and an untrained twin from the same initialisation,
 * before they are freed.
 */
export async function sizeDataSweep(
  src: MarkovSource,
  test: tf.Tensor2D,
  opts: {
    dModels: readonly number[];
    dataSizes: readonly number[];
    seeds: readonly number[];
    T: number;
    layers: number;
    steps: number;
    batch: number;
    lr: number;
    key: Rng;
    onStep?: () => void;
    inspect?: (m: TinyLM, run: SweepRow, windows: tf.Tensor2D, initial: TinyLM) => void;
  },
): Promise<SweepRow[]> {
  const sets = opts.dataSizes.flatMap((D) =>
    opts.seeds.map((seed) => {
      const tokens = sampleSource(src, D, opts.key.derive(`data/${D}/${seed}`));
      return { D, seed, windows: toWindows(tokens, opts.T), floor: memorisationFloor(windowPairs(tokens, opts.T)) };
    }),
  );
  const rows: SweepRow[] = [];
  try {
    for (const d of opts.dModels)
      for (const x of sets) {
        const init = () =>
          initTinyLM(
            { vocab: src.vocab, context: opts.T, dModel: d, layers: opts.layers },
            opts.key.derive(`init/${d}/${x.D}/${x.seed}`),
          );
        const m = init(),
          initial = opts.inspect ? init() : undefined;
        try {
          await trainLM(m, x.windows, {
            steps: opts.steps,
            batch: opts.batch,
            lr: opts.lr,
            rng: opts.key.derive(`batches/${d}/${x.D}/${x.seed}`),
            onStep: opts.onStep,
          });
          const row = {
            dModel: d,
            params: paramCount(m),
            D: x.D,
            seed: x.seed,
            train: evalLoss(m, x.windows),
            test: evalLoss(m, test),
            floor: x.floor,
          };
          rows.push(row);
          if (initial) opts.inspect!(m, row, x.windows, initial);
        } finally {
          disposeLM(m);
          if (initial) disposeLM(initial);
        }
      }
  } finally {
    sets.forEach((x) => x.windows.dispose());
  }
  return rows;
}

/** The loss-optimal size at one (D, seed): N* (parameters), and whether the optimum lies inside the swept range. */
export interface Optimum {
  D: number;
  seed: number;
  params: number;
  interior: boolean;
}

/**
 * For every (D, seed), the size minimising `loss` ("test": held-out, "train": training): the vertex of the parabola
 * through the discrete minimum and its two neighbours in (log N, loss), kept between those neighbours; an optimum at
 * either end of the swept sizes is returned at that end with `interior: false`.
 */
export function lossOptima(rows: readonly SweepRow[], loss: "test" | "train" = "test"): Optimum[] {
  const out: Optimum[] = [];
  for (const D of [...new Set(rows.map((r) => r.D))])
    for (const seed of [...new Set(rows.map((r) => r.seed))]) {
      const g = rows.filter((r) => r.D === D && r.seed === seed).sort((a, b) => a.params - b.params);
      const x = g.map((r) => Math.log(r.params)),
        y = g.map((r) => r[loss]);
      let k = 0;
      y.forEach((v, i) => {
        if (v < y[k]) k = i;
      });
      if (k === 0 || k === g.length - 1) {
        out.push({ D, seed, params: g[k].params, interior: false });
        continue;
      }
      // parabola through (x_{k−1}, y_{k−1}), (x_k, y_k), (x_{k+1}, y_{k+1}): vertex of the Lagrange form
      const [x0, x1, x2] = [x[k - 1], x[k], x[k + 1]],
        [y0, y1, y2] = [y[k - 1], y[k], y[k + 1]];
      const num = (x1 - x0) ** 2 * (y1 - y2) - (x1 - x2) ** 2 * (y1 - y0),
        den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
      const v = den === 0 ? x1 : Math.min(x2, Math.max(x0, x1 - (0.5 * num) / den));
      out.push({ D, seed, params: Math.exp(v), interior: true });
    }
  return out;
}

/**
 * Per seed, the exponent α of N* ∝ D^α: the least-squares slope of log N* on log D over the data sizes whose
 * optimum is interior (NaN for a seed with fewer than two). Censored optima are left out, not clipped, so they
 * cannot flatten the slope.
 */
export function optimumExponents(optima: readonly Optimum[]): { seed: number; alpha: number; points: number }[] {
  return [...new Set(optima.map((o) => o.seed))].map((seed) => {
    const pts = optima.filter((o) => o.seed === seed && o.interior);
    return {
      seed,
      alpha:
        pts.length >= 2
          ? linearFit(
              pts.map((o) => Math.log(o.D)),
              pts.map((o) => Math.log(o.params)),
            ).slope
          : NaN,
      points: pts.length,
    };
  });
}
