/**
 * The experiments of notebook 08 as functions: rate–quality sweeps of the three schemes on one video (the
 * predictive scheme over keyframe quality q and threshold τ, all-keyframe coding and the motion-compensated
 * baseline over q), their Bjøntegaard delta rates, restart clustering over a set of videos, and the controls
 * (the same video with its frames shuffled, the baseline without motion vectors, restarts against another
 * video's motion changes).
 * @see notebooks/08-diffusion-video-compression.ipynb
 */
import { encodeFrame } from "./codec";
import type { Video } from "./generate";
import { interCode, type MotionSearch } from "./inter";
import { psnr } from "./metrics";
import { allKeyframes, predictiveCode } from "./scheme";
import type { Rng } from "../rng";
import { bdRate, paretoFront, restartClustering, type Clustering, type RatePoint } from "./stats";

/** One coding of a sweep: its operating point and, for the predictive scheme, where it restarted. */
export interface SweepPoint extends RatePoint {
  q: number;
  tau?: number;
  restarts?: number[];
}

/** The grids of a sweep. The predictive thresholds are offsets below the keyframe's own PSNR at each q. */
export interface SweepGrid {
  /** Keyframe qualities of the predictive scheme. */
  predictiveQ: number[];
  /** τ = PSNR(first keyframe at q) − δ for each δ here (dB): thresholds the keyframes can meet. */
  tauBelowKey: number[];
  /** Qualities of all-keyframe coding. */
  intraQ: number[];
  /** Qualities of the motion-compensated baseline (empty: not run). */
  interQ: number[];
  /** Motion search of the baseline (default quarter-pel). */
  motion?: MotionSearch;
}

/** The default grids (a few seconds per 60-frame 64×64 video). */
export const SWEEP: SweepGrid = {
  predictiveQ: [3, 6, 12, 25],
  tauBelowKey: [0.5, 2, 4],
  intraQ: [1, 2, 3, 5, 8, 12, 20],
  interQ: [2, 3, 4, 6, 8, 12, 16, 24, 32],
};

/** Rate–quality points of each scheme on one video (quality = mean PSNR over frames). */
export interface Sweep {
  predictive: SweepPoint[];
  intra: SweepPoint[];
  inter: SweepPoint[];
}

/** Codes one video with every setting of the grid. */
export function sweep(video: Video, grid: SweepGrid = SWEEP): Sweep {
  const keyPsnr = (q: number) => psnr(video.frames[0], encodeFrame(video.frames[0], video.H, video.W, q).recon);
  const predictive = grid.predictiveQ.flatMap((q) =>
    grid.tauBelowKey.map((d) => {
      const tau = Math.round(10 * (keyPsnr(q) - d)) / 10,
        r = predictiveCode(video, { quality: q, threshold: tau });
      return { bpp: r.bpp, quality: r.meanPsnr, q, tau, restarts: r.restarts, label: `q${q} τ${tau}` };
    }),
  );
  const intra = grid.intraQ.map((q) => {
    const r = allKeyframes(video, q);
    return { bpp: r.bpp, quality: r.meanPsnr, q, label: `q${q}` };
  });
  const inter = grid.interQ.map((q) => {
    const r = interCode(video, { quality: q, motion: grid.motion });
    return { bpp: r.bpp, quality: r.meanPsnr, q, label: `q${q}` };
  });
  return { predictive, intra, inter };
}

/** The video with its frames in a random order (same content, no smooth motion): the control of the rate claims. */
export function shuffledFrames(video: Video, r: Rng): Video {
  return { ...video, frames: r.shuffle(video.frames.slice()) as Float32Array[], changes: [] };
}

/** BD-rates of one sweep: the predictive scheme against all-keyframe coding and against the baseline. */
export function sweepBdRates(s: Sweep): { vsIntra: number; vsInter: number } {
  return { vsIntra: bdRate(s.intra, s.predictive).rate, vsInter: bdRate(s.inter, s.predictive).rate };
}

/** The Pareto fronts of a sweep, for plotting. */
export function sweepFronts(s: Sweep): { predictive: RatePoint[]; intra: RatePoint[]; inter: RatePoint[] } {
  return { predictive: paretoFront(s.predictive), intra: paretoFront(s.intra), inter: paretoFront(s.inter) };
}

/** Restarts of the predictive scheme at one setting over several videos, clustered against their motion changes;
 *  the control pairs each video's restarts with the next video's changes (same statistic, the link broken). */
export function restartStudy(
  videos: Video[],
  setting: { quality: number; threshold: number },
  w = 2,
): {
  runs: { restarts: number[]; changes: number[]; frames: number }[];
  clustering: Clustering;
  control: Clustering;
  perVideoLift: number[];
} {
  const runs = videos.map((v) => ({
    restarts: predictiveCode(v, setting).restarts,
    changes: v.changes,
    frames: v.frames.length,
  }));
  const mismatched = runs.map((r, i) => ({ ...r, changes: runs[(i + 1) % runs.length].changes }));
  const perVideoLift = runs.map((r) => restartClustering([r], w).lift).filter(Number.isFinite);
  return { runs, clustering: restartClustering(runs, w), control: restartClustering(mismatched, w), perVideoLift };
}

/** Sweeps of several videos (seeds) and each one's BD-rates; `tick` is called after each video (a progress bar). */
export function rateStudy(
  videos: Video[],
  grid: SweepGrid = SWEEP,
  tick?: () => void,
): { sweeps: Sweep[]; vsIntra: number[]; vsInter: number[] } {
  const sweeps = videos.map((v) => {
    const s = sweep(v, grid);
    tick?.();
    return s;
  });
  const bd = sweeps.map(sweepBdRates);
  return { sweeps, vsIntra: bd.map((b) => b.vsIntra), vsInter: bd.map((b) => b.vsInter) };
}
