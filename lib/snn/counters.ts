/**
 * Activity and cost accounting for spiking networks. A spiking layer does one accumulate per spike per outgoing
 * synapse (a synaptic operation, SOP = spikes × fan-out), where an ANN layer does one multiply-accumulate (MAC) per
 * synapse per input. Energy estimates use the 45 nm figures of Horowitz 2014 (ISSCC, doi:10.1109/ISSCC.2014.6757323):
 * E_AC ≈ 0.9 pJ, E_MAC ≈ 4.6 pJ (32-bit float), as MA-SNN (Yao et al. 2022, arXiv:2209.13929) and most SNN papers do.
 * @see notebooks/13-ma-snn-attention.ipynb
 */
import * as tf from "@tensorflow/tfjs";

/** Total number of spikes in a 0/1 tensor of any shape: Σ o. */
export function spikeCount(spikes: tf.Tensor): number {
  return tf.tidy(() => tf.sum(spikes).dataSync()[0]);
}

/** Firing rate: spikes per neuron per time step, Σ o / (number of elements). */
export function firingRate(spikes: tf.Tensor): number {
  return spikes.size === 0 ? 0 : spikeCount(spikes) / spikes.size;
}

/** Synaptic operations: SOP = spikes × fan-out (each spike triggers one accumulate per outgoing synapse). */
export function synapticOps(spikes: number, fanOut: number): number {
  return spikes * fanOut;
}

/** Fan-out of a neuron feeding a dense layer of n outputs: n. */
export function denseFanOut(nOut: number): number {
  return nOut;
}

/** Fan-out of a neuron feeding a k×k convolution with cOut channels and stride s: cOut·k²/s² (borders ignored). */
export function convFanOut(cOut: number, k: number, stride = 1): number {
  return (cOut * k * k) / (stride * stride);
}

/** MACs of a dense layer for one input vector: nIn · nOut. */
export function denseMacs(nIn: number, nOut: number): number {
  return nIn * nOut;
}

/** MACs of a k×k convolution for one input: cIn · cOut · k² · hOut · wOut. */
export function convMacs(cIn: number, cOut: number, k: number, hOut: number, wOut: number): number {
  return cIn * cOut * k * k * hOut * wOut;
}

/** Energy in picojoules: E = SOP · E_AC + MAC · E_MAC (Horowitz 2014 defaults, 0.9 pJ and 4.6 pJ). */
export function energyPJ(ops: { sops?: number; macs?: number }, e: { ac?: number; mac?: number } = {}): number {
  return (ops.sops ?? 0) * (e.ac ?? 0.9) + (ops.macs ?? 0) * (e.mac ?? 4.6);
}

/** Activity of one layer: its spikes, neurons × steps × samples observed, firing rate and SOPs it causes downstream. */
export interface LayerActivity {
  name: string;
  spikes: number;
  events: number;
  rate: number;
  sops: number;
}

/**
 * Summarises a layer's spike tensor (any shape; `events` = its size, i.e. neurons × steps × samples) with the
 * fan-out of its neurons into the next layer.
 */
export function layerActivity(name: string, spikes: tf.Tensor, fanOut: number): LayerActivity {
  const s = spikeCount(spikes);
  return {
    name,
    spikes: s,
    events: spikes.size,
    rate: spikes.size ? s / spikes.size : 0,
    sops: synapticOps(s, fanOut),
  };
}

/** Adds per-layer activities from several batches, layer by layer (names must match). */
export function sumActivity(a: LayerActivity[], b: LayerActivity[]): LayerActivity[] {
  if (a.length === 0) return b.map((x) => ({ ...x }));
  if (a.length !== b.length) throw new Error("sumActivity: layer lists differ in length");
  return a.map((x, i) => {
    const y = b[i];
    if (x.name !== y.name)
      throw new Error(`sumActivity: layer ${i} is "${x.name}" in one list and "${y.name}" in the other`);
    const spikes = x.spikes + y.spikes,
      events = x.events + y.events;
    return { name: x.name, spikes, events, rate: events ? spikes / events : 0, sops: x.sops + y.sops };
  });
}
