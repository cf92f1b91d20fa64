/**
 * The flags the main thread and the control thread share (one Int32Array over a SharedArrayBuffer, read and
 * written with Atomics; a cell's loops read `INTERRUPT` with a plain load, see executor/transform.ts). The control
 * thread must decide how to interrupt without asking the main thread, which may be stuck in a cell's synchronous
 * loop; and a cell's `process.exit` must wait for the control thread to close its sockets. The one definition of
 * the layout:
 *
 * | slot        | written by | meaning                                                                        |
 * |-------------|------------|--------------------------------------------------------------------------------|
 * | `STATE`     | main       | `IDLE`, `PENDING` (the cell awaits) or `SYNC` (the cell runs synchronous code) |
 * | `ACK`       | main       | incremented each time the main thread handles an interrupt                     |
 * | `SEQ`       | main       | sequence number of the cell being executed                                     |
 * | `CLOSED`    | control    | 1 once the control thread has closed its sockets                               |
 * | `INTERRUPT` | both       | 1 once the running cell is interrupted, 0 when a cell starts (read by its loops) |
 */
export const STATE = 0,
  ACK = 1,
  SEQ = 2,
  CLOSED = 3,
  INTERRUPT = 4;
const SLOTS = 5;

/** Values of `STATE`. */
export const IDLE = 0,
  PENDING = 1,
  SYNC = 2;

export function newSharedFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
}
