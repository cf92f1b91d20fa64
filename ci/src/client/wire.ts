/**
 * The runner's view of the Jupyter wire format: the shared codec of `@folio/protocol/jupyter` (the same one the
 * Folio kernel uses, and nothing else of the kernel). Message content defaults to loosely typed JSON here, since
 * the runner reads the outputs of any kernel.
 */
import type { Message as WireMessage } from "@folio/protocol/jupyter";

export {
  DELIMITER,
  PROTOCOL_VERSION,
  Signer,
  decode,
  encode,
  makeMessage,
  type Decoded,
  type Encoded,
  type Header,
  type WireFailure,
} from "@folio/protocol/jupyter";
// biome-ignore lint/suspicious/noExplicitAny: content as a kernel sent it; readers check the fields they use
export type Message<C = Record<string, any>> = WireMessage<C>;
