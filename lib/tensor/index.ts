/**
 * Tensor backend selection for every notebook: tfjs-node when it loads (native TensorFlow), else the
 * WebAssembly backend with SIMD and a faster BatchMatMul gradient, else the pure-JS `cpu` backend.
 * See ../shared/tfjs-notes.md for the measurements behind these choices.
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";

export { tf };

let chosen: Promise<string> | undefined;

/** Picks and initialises the fastest available backend once per process; returns its name ("tensorflow" | "wasm" | "cpu"). */
export function initBackend(opts: { prefer?: "tensorflow" | "wasm" | "cpu"; quiet?: boolean } = {}): Promise<string> {
  chosen ??= (async () => {
    const order = opts.prefer
      ? [opts.prefer]
      : process.env.FOLIO_BACKEND
        ? [process.env.FOLIO_BACKEND]
        : ["tensorflow", "wasm", "cpu"];
    for (const name of order) {
      try {
        if (name === "tensorflow") require("@tensorflow/tfjs-node");
        if (name === "wasm") {
          const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
          wasm.setWasmPaths(
            path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep,
          );
          registerFastMatMulGrad();
        }
        if (await tf.setBackend(name)) {
          await tf.ready();
          if (!opts.quiet) console.log(`tfjs backend: ${name}`);
          return name;
        }
      } catch {
        // not installed or failed to initialise on this machine: try the next backend
      }
    }
    throw new Error("no tfjs backend could be initialised (tried tensorflow, wasm, cpu)");
  })();
  return chosen;
}

let gradPatched = false;

/**
 * Re-registers the BatchMatMul gradient with explicit transposes: dA = dY·Bᵀ, dB = Aᵀ·dY.
 * The stock gradient calls matMul with transposeA/transposeB, which the wasm backend runs 10–20x slower
 * than a plain matMul of transposed copies.
 */
export function registerFastMatMulGrad(): void {
  if (gradPatched) return;
  gradPatched = true;
  const T = (x: tf.Tensor) => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return tf.transpose(x, perm);
  };
  // Sums a gradient over the broadcast batch dimensions so it matches its input's shape.
  const unbroadcast = (g: tf.Tensor, shape: number[]) => {
    if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
    const lead = g.rank - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < g.rank - 2; i++) if (i < lead || shape[i - lead] === 1) axes.push(i);
    return tf.reshape(tf.sum(g, axes), shape);
  };
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const g = dy as tf.Tensor;
      const mm = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y);
      // Lazy: the engine calls a thunk only for inputs on a path to the variables, so a layer fed with
      // data (or a detached input) never pays for dA.
      const da = () =>
        !transposeA && !transposeB ? mm(g, T(b)) : !transposeA ? mm(g, b) : !transposeB ? mm(b, T(g)) : mm(T(b), T(g));
      const db = () =>
        !transposeA && !transposeB ? mm(T(a), g) : !transposeA ? mm(T(g), a) : !transposeB ? mm(a, g) : mm(T(g), T(a));
      return { a: () => unbroadcast(da(), a.shape), b: () => unbroadcast(db(), b.shape) };
    },
  });
}
