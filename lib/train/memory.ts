/**
 * Peak tensor memory of a training step, backward pass included.
 *
 * Two readings of "live tensor bytes" (neither is process RSS nor the wasm heap's reserved size):
 * - `tf.memory().numBytes` adds every live tensor's size, so views that share one buffer (a reshape, and the
 *   copy-free clones tfjs keeps of every tensor a gradient needs) are counted once per view;
 * - `bufferBytes()` counts each distinct data buffer once, by following the engine's track/dispose calls.
 * The peak of a step is reached inside the gradient computation, where the activations saved by the forward
 * pass and the gradients already computed coexist. A probe is an identity op whose gradient samples the
 * meter, so probes on the parameters sample memory where their gradients are produced.
 * @see notebooks/01-distance-forward.ipynb
 */
import { tf } from "../tensor";

interface EngineInternals {
  trackTensor(a: tf.Tensor, backend: unknown): void;
  disposeTensor(a: tf.Tensor): void;
}

let buffers: Map<object, { bytes: number; refs: number }> | undefined;
let liveBuffer = 0;

/** Starts following tensor creation and disposal (once per process); tensors alive before that are not counted. */
function installBufferTracker(): void {
  if (buffers) return;
  const map = (buffers = new Map());
  const eng = tf.engine() as unknown as EngineInternals;
  const track = eng.trackTensor.bind(eng),
    dispose = eng.disposeTensor.bind(eng);
  eng.trackTensor = (a, backend) => {
    track(a, backend);
    const e = map.get(a.dataId);
    if (e) {
      e.refs++;
      return;
    }
    const bytes = a.dtype === "string" || a.dtype === "complex64" ? 0 : a.size * (a.dtype === "bool" ? 1 : 4);
    map.set(a.dataId, { bytes, refs: 1 });
    liveBuffer += bytes;
  };
  eng.disposeTensor = (a) => {
    dispose(a);
    const e = map.get(a.dataId);
    if (!e) return;
    if (--e.refs <= 0) {
      map.delete(a.dataId);
      liveBuffer -= e.bytes;
    }
  };
}

/** Bytes of the distinct tensor buffers created since the tracker was installed and still alive. */
export function bufferBytes(): number {
  installBufferTracker();
  return liveBuffer;
}

/**
 * Tracks live tensor bytes during training: `begin()` at the start of each step marks what is resting there
 * (parameters, optimiser state, anything else alive); `sample()` inside the step records the peak, both in
 * total and above that step's resting level (the step's working memory: activations kept for the backward
 * pass, gradients, temporaries). Distinct buffers by default; `{ perTensor: true }` reads tf.memory().numBytes.
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

/** A tensor-memory meter (see TensorMeter); create it before the model so that its parameters are counted. */
export function tensorMeter(opts: { perTensor?: boolean } = {}): TensorMeter {
  const read = opts.perTensor ? () => tf.memory().numBytes : bufferBytes;
  read();
  let peak = 0,
    base = 0,
    step = 0;
  return {
    begin() {
      base = read();
    },
    sample() {
      const b = read();
      peak = Math.max(peak, b);
      step = Math.max(step, b - base);
    },
    get peakBytes() {
      return peak;
    },
    get peakStepBytes() {
      return step;
    },
    reset() {
      peak = 0;
      step = 0;
    },
  };
}

/** Identity op y = x that samples `meter` when called and again when its gradient flows back (dy passes unchanged). */
export function probe<T extends tf.Tensor>(x: T, meter: TensorMeter | undefined): T {
  if (!meter) return x;
  meter.sample();
  const f = tf.customGrad(((a: tf.Tensor) => ({
    // a reshape to the same shape is a view: no new buffer
    value: tf.reshape(a, a.shape),
    gradFunc: (dy: tf.Tensor) => {
      meter.sample();
      return tf.reshape(dy, dy.shape);
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as T;
}
