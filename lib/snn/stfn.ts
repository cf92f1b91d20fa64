/**
 * Spatial-temporal feature normalisation (STFN) of Xu, Wu, Deng, Liu, Li & Pei 2021, "Exploiting spiking dynamics
 * with spatial-temporal feature normalization in graph learning", IJCAI, arXiv 2107.06865 (journal version
 * arXiv 2407.20508). For every node v the pre-synaptic input S^v (its C features over all T steps) is standardised
 * over those C·T entries and rescaled to the firing threshold, then an affine map is learned:
 *
 *   Ŝ^v = ρ · V_th · (S^v − E[S^v]) / √(Var[S^v] + ε),     Y^v = λ ⊙ Ŝ^v + γ
 *
 * Legend: E, Var the mean and (biased) variance over the C·T entries of node v, ρ a scale hyper-parameter,
 * V_th the LIF threshold, λ, γ ∈ ℝ^C learned per feature channel (initialised to 1 and 0).
 * Unlike batch norm, the statistics are per node and per forward pass (no running averages), so training and
 * inference agree and nothing depends on the batch. Because it uses all T steps, a layer's inputs for all steps
 * are computed before its neurons run (layer-by-layer unrolling), which the graph layers here do anyway.
 * SGNNBench's `STFNorm` (Zhhuizhe/SGNNBench, nn/stfn.py) instead uses running statistics over the steps seen so
 * far, divides by the standard deviation without ε inside the root, and replaces λ, γ by a full linear layer.
 * @see notebooks/03-spiking-gnn-stfn.ipynb
 */
import * as tf from "@tensorflow/tfjs";

/** Learned STFN parameters: λ (scale) and γ (shift), one per feature channel. */
export interface StfnParams {
  lambda: tf.Tensor1D;
  gamma: tf.Tensor1D;
}

/** Fixed STFN settings: threshold V_th the output is scaled to, ρ and ε. */
export interface StfnOptions {
  vTh: number;
  rho?: number;
  eps?: number;
}

/** Fresh trainable STFN parameters for C channels: λ = 1, γ = 0 (Xu et al. 2021). */
export function stfnInit(
  C: number,
  name?: string,
): { lambda: tf.Variable<tf.Rank.R1>; gamma: tf.Variable<tf.Rank.R1> } {
  return {
    lambda: tf.variable(tf.ones([C]), true, name ? `${name}/lambda` : undefined),
    gamma: tf.variable(tf.zeros([C]), true, name ? `${name}/gamma` : undefined),
  };
}

/**
 * STFN of a time-major input S [T, N, C]: statistics per node over its C·T entries;
 * Y = λ ⊙ ρ V_th (S − E) / √(Var + ε) + γ (Xu et al. 2021, arXiv 2107.06865, eq. of STFN).
 */
export function stfn(S: tf.Tensor3D, p: StfnParams, o: StfnOptions): tf.Tensor3D {
  const { vTh, rho = 1, eps = 1e-5 } = o;
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(S, [0, 2], true); // [1, N, 1]
    const hat = tf.mul(rho * vTh, tf.div(tf.sub(S, mean), tf.sqrt(tf.add(variance, eps))));
    return tf.add(tf.mul(hat, p.lambda), p.gamma) as tf.Tensor3D;
  });
}
