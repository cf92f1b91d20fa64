/**
 * Peak tensor memory of a training step, backward pass included. `tf.memory().numBytes` counts the bytes of
 * live tensor buffers (not process RSS, not the wasm heap's reserved size); the peak of a step is reached
 * inside the gradient computation, where the activations saved by the forward pass and the gradients
 * already computed coexist. A probe is an identity op whose gradient samples the meter, so placing probes
 * on the parameters samples memory at the points where their gradients are produced.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";

/**
 * Tracks live tensor bytes during training: `begin()` at the start of each step marks what is resting there
 * (parameters, optimiser state, anything else alive); `sample()` inside the step records the peak, both in
 * total and above that step's resting level (the step's working memory: activations kept for the backward
 * pass, gradients, temporaries).
 */
export interface TensorMeter {
  /** Marks the start of a step: the current live bytes become the step's resting level. */
  begin(): void;
  /** Records the current live tensor bytes. */
  sample(): void;
  /** Largest live tensor bytes seen (everything alive, resting state included). */
  readonly peakBytes: number;
  /** Largest excess of live bytes over the resting level of the step it was seen in. */
  readonly peakStepBytes: number;
  reset(): void;
}

/** A tensor-memory meter (see TensorMeter). */
export function tensorMeter(): TensorMeter {
  let peak = 0, base = 0, step = 0;
  return {
    begin() { base = tf.memory().numBytes; },
    sample() { const b = tf.memory().numBytes; peak = Math.max(peak, b); step = Math.max(step, b - base); },
    get peakBytes() { return peak; },
    get peakStepBytes() { return step; },
    reset() { peak = 0; step = 0; },
  };
}

/** Identity op y = x that samples `meter` when called and again when its gradient flows back (dy passes unchanged). */
export function probe<T extends tf.Tensor>(x: T, meter: TensorMeter | undefined): T {
  if (!meter) return x;
  meter.sample();
  const f = tf.customGrad(((a: tf.Tensor) => ({
    value: a.clone(),
    gradFunc: (dy: tf.Tensor) => { meter.sample(); return dy.clone(); },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as T;
}
