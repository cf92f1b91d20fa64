/**
 * Tensor views of a graph for tfjs. tfjs has no sparse matmul and, on wasm, no gradient through tf.gather, so
 * propagation by the fixed matrix Â is a dense matMul: for the few hundred to ~2k nodes used here that is also the
 * fastest path (one BLAS call instead of thousands of small ops).
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import { tf } from "../tensor";
import { Graph, normalizedAdjacency, csrToDense, neighbourMask } from "./csr";

/** Dense Â = D̃^{-1/2}(A + I)D̃^{-1/2} as an n × n tensor (Kipf & Welling 2017, arXiv 1609.02907). */
export function adjacencyTensor(g: Graph): tf.Tensor2D {
  if (g.n > 4000) throw new Error(`adjacencyTensor: ${g.n} nodes is too many for a dense n × n matrix`);
  return tf.tensor2d(csrToDense(normalizedAdjacency(g)), [g.n, g.n]);
}

/** Additive attention mask (n × n): 0 on N(i) ∪ {i}, −1e9 elsewhere, so softmax(e + mask) is the masked softmax over neighbours. */
export function attentionMaskTensor(g: Graph): tf.Tensor2D {
  const m = neighbourMask(g, true);
  return tf.tensor2d(m.map((v) => (v ? 0 : -1e9)), [g.n, g.n]);
}
