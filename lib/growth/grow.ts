/**
 * Growing a mean-field MLP to larger hidden widths M_l ≥ N_l. Under the row-column (RC) ansatz of Chen, Kuang,
 * Deng, Han, Bai & dos Reis 2024 (arXiv 2408.08681) every hidden neuron carries a latent label and every weight is
 * a function of its row and column labels, W_ab = w(u_a, u_b). A trained width-N network is then an empirical
 * measure over N labels, and a width-M network is a new set of M labels: each growth method below is a way of
 * choosing, for every new neuron a, the old neuron s(a) whose label it takes, and sets W'_ab = W_{s(a) s(b)}.
 *  - duplication: s(a) = a mod N with M a multiple of N (every label exactly M/N times): because each layer
 *    averages over its inputs, the function is preserved exactly (Net2WiderNet, Chen, Goodfellow & Shlens 2016,
 *    arXiv 1511.05641; HyperCloning, Samragh et al. 2024, arXiv 2409.12903);
 *  - RC sampling: s(a) drawn i.i.d. uniform, i.e. M samples from the empirical label measure; the grown function
 *    is a Monte-Carlo estimate of the small one, so its excess loss shrinks like 1/M;
 *  - fresh initialisation, the control (initMeanField).
 * (The paper's own sampling procedure was not retrievable in full; this is the reconstruction from its abstract
 * and the mean-field literature it builds on.)
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { Rng } from "../rng";
import type { MeanFieldMLP } from "./mlp";

/** For every layer (input and output included) the old index each new neuron copies; input/output are identity maps. */
export type Assignment = Int32Array[];

/** Builds the grown network W'^l_ab = W^l_{s_{l+1}(a) s_l(b)}, b'_a = b_{s(a)}, from an assignment. */
export function expand(net: MeanFieldMLP, s: Assignment): MeanFieldMLP {
  const sizes = s.map((a) => a.length);
  const W = net.W.map((w, l) => {
    const rows = s[l + 1],
      cols = s[l],
      din = net.sizes[l],
      out = new Float32Array(rows.length * cols.length);
    for (let a = 0; a < rows.length; a++)
      for (let c = 0; c < cols.length; c++) out[a * cols.length + c] = w[rows[a] * din + cols[c]];
    return out;
  });
  const b = net.b.map((bb, l) => Float32Array.from(s[l + 1], (j) => bb[j]));
  return { sizes, W, b };
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Checks the target widths: same depth, input and output fixed, hidden widths not smaller. */
function checkWidths(net: MeanFieldMLP, widths: readonly number[]): void {
  const L = net.sizes.length;
  if (net.scaling === "standard")
    throw new Error(
      "growth by copying labels needs the mean-field 1/N scaling: under 1/√N a copied neuron changes the sum",
    );
  if (widths.length !== L - 2) throw new Error(`need ${L - 2} hidden widths, got ${widths.length}`);
  widths.forEach((m, i) => {
    if (m < net.sizes[i + 1]) throw new Error(`width ${m} is smaller than ${net.sizes[i + 1]}`);
  });
}

/**
 * Function-preserving duplication to hidden widths M_l (multiples of N_l). With `noise` > 0, copies of one neuron
 * receive opposite perturbations ±ε (ε ~ N(0, noise²)) on their outgoing weights, which leaves every
 * pre-activation unchanged (they enter the next layer's average in cancelling pairs) but breaks the symmetry
 * that would otherwise keep copies identical under training (HyperCloning's symmetric noise).
 */
export function duplicate(
  net: MeanFieldMLP,
  widths: readonly number[],
  opts: { noise?: number; rng?: Rng } = {},
): MeanFieldMLP {
  checkWidths(net, widths);
  widths.forEach((m, i) => {
    if (m % net.sizes[i + 1] !== 0)
      throw new Error(`duplication needs M = k·N: ${m} is not a multiple of ${net.sizes[i + 1]}`);
  });
  const s: Assignment = [
    identity(net.sizes[0]),
    ...widths.map((m, i) => Int32Array.from({ length: m }, (_, a) => a % net.sizes[i + 1])),
    identity(net.sizes[net.sizes.length - 1]),
  ];
  const g = expand(net, s);
  const noise = opts.noise ?? 0;
  if (noise > 0) {
    if (!opts.rng) throw new Error("symmetric noise needs an rng");
    for (let l = 1; l < g.W.length; l++) {
      const N = net.sizes[l],
        M = g.sizes[l],
        rows = g.sizes[l + 1],
        copies = M / N;
      // copies of old neuron j are the columns j, j+N, j+2N, …; pair them (j+2kN, j+(2k+1)N)
      for (let j = 0; j < N; j++)
        for (let k = 0; k + 1 < copies; k += 2) {
          const c1 = j + k * N,
            c2 = j + (k + 1) * N;
          for (let a = 0; a < rows; a++) {
            const e = opts.rng.normal(0, noise);
            g.W[l][a * M + c1] += e;
            g.W[l][a * M + c2] -= e;
          }
        }
    }
  }
  return g;
}

/** RC-ansatz sampling: every new hidden neuron takes the label of an old neuron drawn uniformly (with replacement). */
export function rcSample(net: MeanFieldMLP, widths: readonly number[], rng: Rng): MeanFieldMLP {
  checkWidths(net, widths);
  const s: Assignment = [
    identity(net.sizes[0]),
    ...widths.map((m, i) => Int32Array.from({ length: m }, () => rng.int(net.sizes[i + 1]))),
    identity(net.sizes[net.sizes.length - 1]),
  ];
  return expand(net, s);
}
