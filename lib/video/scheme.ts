/**
 * The accept/restart control loop of Li et al.'s extreme video compression (arXiv 2402.08934, `city_sender.py`):
 * code two keyframes; the decoder predicts the next `horizon` frames from the last two decoded frames; the encoder,
 * running the same predictor, accepts the longest prefix whose per-frame quality stays at or above a threshold τ
 * and sends only that count; when it is 0, the next two frames are coded as keyframes (a restart).
 * Rate: bpp = (header + keyframe streams + counts) / (H·W·frames).
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import { decodeFrame, encodeFrame } from "./codec";
import { psnr } from "./metrics";
import { predictFrames } from "./motion";
import type { Video } from "./generate";

/** What an encoder sends, in order: keyframe byte streams, accepted-prefix counts (predictive scheme) and the
 *  inter-coded stream of all P-frames (`interCode`). */
export type Message =
  | { kind: "key"; bytes: Uint8Array }
  | { kind: "count"; n: number }
  | { kind: "inter"; bytes: Uint8Array };

export interface CodeResult {
  /** Decoded frames (what the receiver shows). */
  recon: Float32Array[];
  /** The transmitted messages; `decodePredictive` rebuilds `recon` from them alone. */
  messages: Message[];
  bits: number;
  bpp: number;
  /** Bits spent on coded streams (keyframes, P-frames) and on counts. */
  keyBits: number;
  countBits: number;
  /** Per frame: coded as a keyframe or predicted. */
  isKey: boolean[];
  /** Frames where a restart (a new keyframe pair after a rejected prediction) begins; the opening pair excluded. */
  restarts: number[];
  psnr: number[];
  meanPsnr: number;
}

export interface PredictiveOptions {
  /** Keyframe quality q ∈ [1, 100]. */
  quality: number;
  /** Acceptance threshold τ on per-frame PSNR (dB). */
  threshold: number;
  /** Frames predicted per round (the paper: 5). */
  horizon?: number;
}

const HEADER_BITS = 8; // the quality q, once per video

/** Bits of one count message: ⌈log2(horizon + 1)⌉. */
export const countBitsFor = (horizon: number) => Math.ceil(Math.log2(horizon + 1));

/**
 * The rate and quality of a coding: bits = header + 8·(bytes of every stream) + ⌈log2(h+1)⌉ per count;
 * per-frame PSNR (capped at 100 dB for exact frames) and its mean over frames.
 */
export function codingResult(
  video: Video,
  recon: Float32Array[],
  messages: Message[],
  isKey: boolean[],
  restarts: number[],
  horizon = 5,
): CodeResult {
  const { H, W, frames } = video;
  let keyBits = 0,
    countBits = 0;
  for (const m of messages)
    if (m.kind === "count") countBits += countBitsFor(horizon);
    else keyBits += 8 * m.bytes.length;
  const bits = HEADER_BITS + keyBits + countBits;
  const ps = frames.map((f, t) => Math.min(psnr(f, recon[t]), 100));
  return {
    recon,
    messages,
    bits,
    bpp: bits / (H * W * frames.length),
    keyBits,
    countBits,
    isKey,
    restarts,
    psnr: ps,
    meanPsnr: ps.reduce((a, b) => a + b, 0) / ps.length,
  };
}

/** Predictive coding of a whole video with the accept/restart loop. */
export function predictiveCode(video: Video, opts: PredictiveOptions): CodeResult {
  const { H, W, frames } = video,
    F = frames.length,
    h = opts.horizon ?? 5;
  const recon: Float32Array[] = [],
    messages: Message[] = [],
    isKey: boolean[] = [],
    restarts: number[] = [];
  const key = (t: number) => {
    const c = encodeFrame(frames[t], H, W, opts.quality);
    messages.push({ kind: "key", bytes: c.bytes });
    recon.push(c.recon);
    isKey.push(true);
  };
  key(0);
  if (F > 1) key(1);
  while (recon.length < F) {
    const l = recon.length,
      n = Math.min(h, F - l);
    const pred = predictFrames(recon[l - 2], recon[l - 1], H, W, n).frames;
    let a = 0;
    while (a < n && psnr(pred[a], frames[l + a]) >= opts.threshold) a++;
    messages.push({ kind: "count", n: a });
    for (let j = 0; j < a; j++) {
      recon.push(pred[j]);
      isKey.push(false);
    }
    if (a === 0) {
      restarts.push(l);
      key(l);
      if (l + 1 < F) key(l + 1);
    }
  }
  return codingResult(video, recon, messages, isKey, restarts, h);
}

/** The receiver: rebuilds the video from the messages alone (same predictor on the same decoded frames). */
export function decodePredictive(
  messages: Message[],
  H: number,
  W: number,
  F: number,
  quality: number,
  horizon = 5,
): Float32Array[] {
  const recon: Float32Array[] = [];
  let i = 0;
  const take = () => {
    if (i >= messages.length) throw new Error("stream ended early");
    return messages[i++];
  };
  const key = () => {
    const m = take();
    if (m.kind !== "key") throw new Error("expected a keyframe");
    recon.push(decodeFrame(m.bytes, H, W, quality).recon);
  };
  key();
  if (F > 1) key();
  while (recon.length < F) {
    const l = recon.length,
      n = Math.min(horizon, F - l),
      m = take();
    if (m.kind !== "count") throw new Error("expected a count");
    if (m.n > 0) recon.push(...predictFrames(recon[l - 2], recon[l - 1], H, W, n).frames.slice(0, m.n));
    else {
      key();
      if (l + 1 < F) key();
    }
  }
  return recon;
}

/** The baseline: every frame coded as a keyframe at quality q (no counts are sent). */
export function allKeyframes(video: Video, quality: number): CodeResult {
  const { H, W, frames } = video;
  const messages: Message[] = [],
    recon: Float32Array[] = [];
  for (const f of frames) {
    const c = encodeFrame(f, H, W, quality);
    messages.push({ kind: "key", bytes: c.bytes });
    recon.push(c.recon);
  }
  return codingResult(
    video,
    recon,
    messages,
    frames.map(() => true),
    [],
  );
}
