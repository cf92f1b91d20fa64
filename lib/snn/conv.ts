/**
 * Small 'same' convolutions (stride 1, odd k) that train on the tfjs wasm backend, which has no
 * Conv2DBackpropFilter kernel and a slow Conv2DBackpropInput. Forward and both gradients are forward
 * convolutions, which wasm runs through XNNPACK:
 *
 *   y  = x ⋆ W                                              (tf.conv2d, 'same')
 *   ∂x = ∂y ⋆ W̃,         W̃[i, j, o, c] = W[k−1−i, k−1−j, c, o]          (the flipped, transposed filter)
 *   ∂W[i, j, c, o] = Σ_{n,p,q} x_pad[n, p+i, q+j, c] · ∂y[n, p, q, o]   (a 'valid' convolution of xᵀ by ∂yᵀ:
 *        batch ↔ channels swapped, so the image itself is the filter, padded by (k−1)/2)
 *
 * On a [150, 18, 18, 8] → 16-channel layer, forward and backward took 30 ms of CPU against 300 ms for im2col (k·k
 * shifted slices, a concat and one matMul, whose backward is a strided split and k·k pads), tfjs-wasm 4.22.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";

const convSame = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D,
    w = args[1] as tf.Tensor4D,
    save = args[2] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, "same"),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D,
        k = ws.shape[0];
      const dx = tf.conv2d(g, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, "same");
      // explicit padding: tfjs's numeric `pad` sizes the output from the filter's height alone (wrong for H ≠ W)
      const p = (k - 1) / 2;
      const dwT = tf.conv2d(
        tf.transpose(xs, [3, 1, 2, 0]) as tf.Tensor4D,
        tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D,
        1,
        [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ],
      ); // [C_in, k, k, C_out]
      return [dx, tf.transpose(dwT, [1, 2, 0, 3])];
    },
  };
}) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/**
 * 'Same' k×k convolution, stride 1, NHWC, odd k, with the filter as a [k·k·C_in, C_out] matrix (tf.conv2d's
 * [k, k, C_in, C_out] filter flattened row-major), differentiable on every backend.
 */
export function conv2dSame(x: tf.Tensor4D, W: tf.Tensor2D, k: number): tf.Tensor4D {
  const C = x.shape[3];
  if (k % 2 !== 1) throw new Error(`conv2dSame: k must be odd, got ${k}`);
  if (W.shape[0] !== k * k * C)
    throw new Error(`conv2dSame: filter has ${W.shape[0]} rows, expected k·k·C_in = ${k * k * C}`);
  return convSame(x, tf.reshape(W, [k, k, C, W.shape[1]]) as tf.Tensor4D);
}

/** 2×2 average pooling, stride 2, NHWC, as reshape + mean (H and W must be even). */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [N, H, W, C] = x.shape;
  if (H % 2 || W % 2) throw new Error(`avgPool2 needs even H and W, got ${H}×${W}`);
  // [N, H/2, 2, W/2, 2·C]: pairs of rows, then pairs of columns folded into the channel axis
  const rows = tf.mean(tf.reshape(x, [(N * H) / 2, 2, W, C]), 1); // [N·H/2, W, C]
  const cols = tf.mean(tf.reshape(rows, [(N * H) / 2, W / 2, 2, C]), 2); // [N·H/2, W/2, C]
  return tf.reshape(cols, [N, H / 2, W / 2, C]);
}
