/**
 * Per-neuron weight statistics. Under the RC ansatz (Chen et al. 2024, arXiv 2408.08681) a neuron's incoming row
 * and outgoing column are both functions of its label u_a, so their statistics are samples of one label measure.
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { MeanFieldMLP } from "./mlp";

/**
 * Per-neuron statistics of hidden layer l (1-based, as in h^l): the RMS of the neuron's incoming row of W^{l−1},
 * and the RMS and mean of its outgoing column of W^l.
 */
export function neuronStats(
  net: MeanFieldMLP,
  l: number,
): { rowRms: Float64Array; colRms: Float64Array; colMean: Float64Array } {
  const N = net.sizes[l],
    din = net.sizes[l - 1],
    dout = net.sizes[l + 1];
  const Win = net.W[l - 1],
    Wout = net.W[l];
  const rowRms = new Float64Array(N),
    colRms = new Float64Array(N),
    colMean = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    let s = 0;
    for (let j = 0; j < din; j++) s += Win[a * din + j] ** 2;
    rowRms[a] = Math.sqrt(s / din);
    let t = 0,
      q = 0;
    for (let i = 0; i < dout; i++) {
      const w = Wout[i * N + a];
      t += w;
      q += w * w;
    }
    colMean[a] = t / dout;
    colRms[a] = Math.sqrt(q / dout);
  }
  return { rowRms, colRms, colMean };
}
