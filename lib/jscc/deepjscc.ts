/**
 * A small DeepJSCC baseline (Bourtsoulatze, Burth Kurka & Gündüz 2019): a learned encoder maps an image to k real
 * channel symbols, normalised per image to average power 1 (z ← √k z/‖z‖), the AWGN channel adds N(0, 1/SNR), and a
 * learned decoder reconstructs; both are trained end to end on MSE at the evaluation SNR. Here both are two-layer
 * MLPs (tfjs), small enough to train in seconds. With a `target` the decoder reconstructs that instead of the image:
 * Yilmaz et al. (arXiv 2309.15889; ipc-lab/deepjscc-diffusion feeds DDNM the decoded low-resolution image as y)
 * train DeepJSCC to deliver the range space A x, which the diffusion receiver then completes.
 * @see notebooks/11-deepjscc-range-null-ddpm.ipynb
 */
import { tf } from "../tensor";
import type { Rng } from "../rng";
import { trainLoopAsync, gatherRows } from "../train";
import type { Progress } from "../display";
import { snrLinear } from "./channel";

export interface DeepJscc {
  /** Transmits rows of x (d each) over AWGN at snrDb and decodes them (rows of the target's width). */
  run(x: Float32Array, snrDb: number, rng: Rng): Float32Array;
  /** Width of a decoded row (d, or the target's). */
  dOut: number;
  dispose(): void;
  finalLoss: number;
}

/**
 * Trains encoder d→hidden→k and decoder k→hidden→d_out (ReLU, sigmoid output) with Adam at one SNR on
 * MSE(decoded, target), target = the image itself or `target.x` (rows of `target.d`, e.g. the image's block means).
 * Yields to the event loop between steps so a notebook's progress bar updates.
 */
export async function trainDeepJscc(
  x: Float32Array,
  d: number,
  opts: {
    k: number;
    hidden: number;
    snrDb: number;
    epochs: number;
    batch: number;
    lr: number;
    rng: Rng;
    label?: string;
    target?: { x: Float32Array; d: number };
    progress?: Progress;
  },
): Promise<DeepJscc> {
  const { k, hidden, snrDb, rng } = opts,
    n = x.length / d,
    sd = 1 / Math.sqrt(snrLinear(snrDb));
  const tgt = opts.target ?? { x, d },
    dOut = tgt.d;
  if (tgt.x.length / dOut !== n) throw new Error(`trainDeepJscc: target has ${tgt.x.length / dOut} rows, images ${n}`);
  const init = (r: number, c: number) =>
    tf.variable(tf.randomNormal([r, c], 0, Math.sqrt(2 / r), "float32", rng.seedInt()));
  const W = [init(d, hidden), init(hidden, k), init(k, hidden), init(hidden, dOut)];
  const b = [
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.zeros([k])),
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.zeros([dOut])),
  ];
  const forward = (xb: tf.Tensor2D, noiseSeed: number) => {
    const h = tf.relu(tf.matMul(xb, W[0]).add(b[0]));
    const z = tf.matMul(h, W[1]).add(b[1]);
    const zn = z.mul(tf.sqrt(tf.scalar(k)).div(tf.norm(z, "euclidean", 1, true).add(1e-8)));
    const yb = zn.add(tf.randomNormal(zn.shape, 0, sd, "float32", noiseSeed));
    const h2 = tf.relu(tf.matMul(yb, W[2]).add(b[2]));
    return tf.sigmoid(tf.matMul(h2, W[3]).add(b[3]));
  };
  const optim = tf.train.adam(opts.lr);
  const hist = await trainLoopAsync({
    epochs: opts.epochs,
    batchSize: opts.batch,
    n,
    rng,
    label: opts.label ?? `DeepJSCC ${snrDb} dB`,
    dropLast: true,
    progress: opts.progress,
    step: (idx) => {
      const xb = tf.tensor2d(gatherRows(x, d, idx), [idx.length, d]);
      const tb = opts.target ? tf.tensor2d(gatherRows(tgt.x, dOut, idx), [idx.length, dOut]) : xb;
      const seed = rng.seedInt();
      const loss = optim.minimize(() => tf.mean(tf.square(forward(xb, seed).sub(tb))) as tf.Scalar, true) as tf.Scalar;
      const v = loss.dataSync()[0];
      loss.dispose();
      tf.dispose([xb, tb]);
      return v;
    },
  });
  return {
    finalLoss: hist[hist.length - 1].loss,
    dOut,
    run(xt, snr, r) {
      if (snr !== snrDb) throw new Error(`this model was trained at ${snrDb} dB, not ${snr} dB`);
      return tf.tidy(() => forward(tf.tensor2d(xt, [xt.length / d, d]), r.seedInt()).dataSync() as Float32Array);
    },
    dispose() {
      W.forEach((w) => w.dispose());
      b.forEach((v) => v.dispose());
      optim.dispose();
    },
  };
}
