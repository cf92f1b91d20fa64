/**
 * The delay-constrained random-access system of Deng, Wu, Deng, Chen & Han, "The Story of 1/e: ALOHA-based and
 * Reinforcement-Learning-based Random Access for Delay-Constrained Communications" (arXiv 2206.09779), in the
 * simulation conventions of the same group's published code (DanzhouWu/TSRA, `multi_device/ALOHA/environment.py` and
 * `aloha_agent.py`):
 * - N stations share one slotted collision channel to an access point (AP); a slot delivers a packet iff exactly
 *   one station transmits.
 * - Every station receives a packet at the end of each slot with probability λ (Bernoulli arrivals); a packet may be
 *   sent in the next D slots and is dropped when its deadline passes. A station queues its live packets and
 *   always sends the one closest to its deadline (TSRA's `queue.index(1)`).
 * - After every slot all stations hear the AP's feedback: idle, success (the sender learns it was its own) or
 *   collision.
 * System timely throughput = packets delivered before their deadline per slot.
 * @see notebooks/14-rlra-dc-random-access.ipynb
 */

/** System parameters: N stations, deadline D slots, per-slot arrival probability λ at every station. */
export interface AccessSystem {
  N: number;
  D: number;
  lambda: number;
}

/** What every station hears after a slot (TSRA's 'I', 'S'/'B', 'F'): idle, one success, a collision. */
export type Feedback = "idle" | "success" | "collision";

/** The classical limit of ALOHA-type access: lim (1 − 1/n)^{n−1} = 1/e. */
export const ONE_OVER_E = 1 / Math.E;

/** Throws a clear error for a system that cannot be simulated. */
export function checkSystem(sys: AccessSystem): void {
  const { N, D, lambda } = sys;
  if (!Number.isInteger(N) || N < 1) throw new Error(`aloha: N must be a positive integer, got ${N}`);
  if (!Number.isInteger(D) || D < 1) throw new Error(`aloha: deadline D must be a positive integer, got ${D}`);
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`aloha: arrival probability λ must lie in [0, 1], got ${lambda}`);
}

/**
 * Probability that a station that never gets to send holds at least one live packet: a₀ = 1 − (1 − λ)^D (some
 * arrival in the last D slots). The busy fraction of every station as N → ∞ under ALOHA.
 */
export function saturatedBusy(D: number, lambda: number): number {
  return 1 - (1 - lambda) ** D;
}
