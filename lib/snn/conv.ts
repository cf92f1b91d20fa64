/**
 * Small convolutions written as im2col + one matMul, because the tfjs wasm backend has no Conv2DBackpropFilter
 * kernel (see shared tfjs-notes): pad, take the k·k shifted views, concatenate them along channels, multiply by the
 * filter reshaped to [k·k·C_in, C_out]. Gradients then only need slice/pad/concat/matMul, which wasm has.
 *   y[n, i, j, o] = Σ_{dy,dx,c} x_pad[n, i+dy, j+dx, c] · W[(dy·k + dx)·C_in + c, o]      ('same' padding, stride 1)
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";

/** 'Same' k×k convolution, stride 1, NHWC, with the filter as a [k·k·C_in, C_out] matrix (tf.conv2d's [k,k,C_in,C_out] reshaped). */
export function conv2dIm2col(x: tf.Tensor4D, W: tf.Tensor2D, k: number): tf.Tensor4D {
  const [N, H, Wd, C] = x.shape;
  if (W.shape[0] !== k * k * C) throw new Error(`conv2dIm2col: filter has ${W.shape[0]} rows, expected k·k·C_in = ${k * k * C}`);
  const lo = Math.floor((k - 1) / 2), hi = k - 1 - lo;
  const xp = k > 1 ? tf.pad(x, [[0, 0], [lo, hi], [lo, hi], [0, 0]]) : x;
  const cols: tf.Tensor4D[] = [];
  for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) cols.push(tf.slice(xp, [0, dy, dx, 0], [N, H, Wd, C]));
  const patches = cols.length === 1 ? cols[0] : tf.concat(cols, 3);
  return tf.reshape(tf.matMul(tf.reshape(patches, [N * H * Wd, k * k * C]) as tf.Tensor2D, W), [N, H, Wd, W.shape[1]]);
}

/** 2×2 average pooling, stride 2, NHWC, as reshape + mean (H and W must be even). */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [N, H, W, C] = x.shape;
  if (H % 2 || W % 2) throw new Error(`avgPool2 needs even H and W, got ${H}×${W}`);
  // [N, H/2, 2, W/2, 2·C]: pairs of rows, then pairs of columns folded into the channel axis
  const rows = tf.mean(tf.reshape(x, [N * H / 2, 2, W, C]), 1);                 // [N·H/2, W, C]
  const cols = tf.mean(tf.reshape(rows, [N * H / 2, W / 2, 2, C]), 2);          // [N·H/2, W/2, C]
  return tf.reshape(cols, [N, H / 2, W / 2, C]);
}
