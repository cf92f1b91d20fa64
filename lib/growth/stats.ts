/**
 * Per-neuron weight statistics for comparing small and grown networks (the KS test and log–log fits are in lib/stats).
 * @see notebooks/02-rc-ansatz-weight-transfer.ipynb
 */
import type { MeanFieldMLP } from "./mlp";

// the tests and fits moved to lib/stats; re-exported so that notebook 02 keeps its imports
export { kolmogorovQ, ks2, logLogSlope } from "../stats";

/**
 * Per-neuron statistics of hidden layer l (1-based, as in h^l): the RMS of the neuron's incoming row of W^{l−1}
 * and the mean of its outgoing column of W^l. Under the RC ansatz both are functions of the neuron's label.
 */
export function neuronStats(net: MeanFieldMLP, l: number): { rowRms: Float64Array; colMean: Float64Array } {
  const N = net.sizes[l], din = net.sizes[l - 1], dout = net.sizes[l + 1];
  const Win = net.W[l - 1], Wout = net.W[l];
  const rowRms = new Float64Array(N), colMean = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    let s = 0;
    for (let j = 0; j < din; j++) s += Win[a * din + j] ** 2;
    rowRms[a] = Math.sqrt(s / din);
    let t = 0;
    for (let i = 0; i < dout; i++) t += Wout[i * N + a];
    colMean[a] = t / dout;
  }
  return { rowRms, colMean };
}
