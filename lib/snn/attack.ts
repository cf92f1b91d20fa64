/**
 * Adversarial inputs for spiking networks, through the same surrogate gradients that train them (a white-box
 * attack by backpropagation through time, as SNN robustness studies do: Sharmin et al. 2020, arXiv:2003.10399).
 * Projected gradient descent in the L∞ ball (Madry et al. 2018, arXiv:1706.06083):
 *
 *   x^{k+1} = Π_{‖x − x⁰‖∞ ≤ ε, lo ≤ x ≤ hi} ( x^k + α · sign ∇ₓ L(x^k) )
 *
 * One step with α = ε from x⁰ is FGSM (Goodfellow, Shlens & Szegedy 2015, arXiv:1412.6572).
 * @see notebooks/07-lif-components.ipynb
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng";
import { timeMajorBatch, type SeqSet } from "./tasks";
import { perNetworkLoss, rsnnForward, type Rsnn } from "./rsnn";

/** Budget and box of an L∞ attack. */
export interface AttackOptions {
  /** Radius ε of the L∞ ball around the clean input. */
  eps: number;
  /** Gradient steps (1 = FGSM). */
  steps: number;
  /** Step size α (default ε for one step, 2.5·ε/steps otherwise, Madry et al.'s choice). */
  alpha?: number;
  /** Valid input range (default [0, 1]). */
  lo?: number;
  hi?: number;
  /** Start from a uniform point of the ball (PGD's random start) drawn from this stream; default: from x⁰. */
  randomStart?: Rng;
}

/** The adversarial input for a differentiable scalar loss of the input; x⁰ is not changed. */
export function pgd(loss: (x: tf.Tensor) => tf.Scalar, x0: tf.Tensor, o: AttackOptions): tf.Tensor {
  const lo = o.lo ?? 0,
    hi = o.hi ?? 1,
    alpha = o.alpha ?? (o.steps === 1 ? o.eps : (2.5 * o.eps) / o.steps);
  const grad = tf.grad(loss);
  return tf.tidy(() => {
    const floor = tf.maximum(tf.sub(x0, o.eps), lo),
      ceil = tf.minimum(tf.add(x0, o.eps), hi);
    let x: tf.Tensor = o.randomStart
      ? tf.clipByValue(tf.add(x0, tf.tensor(o.randomStart.uniformArray(x0.size, -o.eps, o.eps), x0.shape)), lo, hi)
      : x0;
    for (let k = 0; k < o.steps; k++) {
      const next = tf.tidy(() => tf.minimum(tf.maximum(tf.add(x, tf.mul(alpha, tf.sign(grad(x)))), floor), ceil));
      if (x !== x0) x.dispose();
      x = next;
    }
    return x === x0 ? tf.clone(x0) : x;
  });
}

/**
 * Accuracy of every network of a grid under an L∞ attack on its own inputs: each network gets its own copy of the
 * batch and is attacked with its own gradient (the loss is the sum over networks, and network m's input reaches
 * only network m).
 */
export function attackRsnn(net: Rsnn, set: SeqSet, o: AttackOptions & { batch?: number }): number[] {
  const Bt = o.batch ?? 50,
    correct = new Float64Array(net.M);
  for (let s = 0; s < set.n; s += Bt) {
    const idx = Array.from({ length: Math.min(Bt, set.n - s) }, (_, i) => s + i),
      B = idx.length;
    tf.tidy(() => {
      const one = tf.tensor2d(timeMajorBatch(set, idx), [set.T * B, set.c]);
      const x0 = tf.stack(Array.from({ length: net.M }, () => one)); // [M, T·B, c]
      const y = tf.tensor1d(
        Array.from({ length: net.M * B }, (_, j) => set.y[idx[j % B]]),
        "int32",
      );
      const logitsOf = (x: tf.Tensor) => rsnnForward(net, tf.unstack(x) as tf.Tensor2D[], set.T).logits;
      const adv = pgd((x) => tf.sum(perNetworkLoss(logitsOf(x), y)) as tf.Scalar, x0, {
        ...o,
        randomStart: o.randomStart?.derive(`batch/${s}`),
      });
      const pred = tf.argMax(logitsOf(adv), 2).dataSync();
      for (let m = 0; m < net.M; m++)
        idx.forEach((i, j) => {
          if (pred[m * B + j] === set.y[i]) correct[m]++;
        });
    });
  }
  return Array.from(correct, (c) => c / set.n);
}
