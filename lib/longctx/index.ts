/** Long-context reading with a window-limited reader: corpora, retrieval, multi-hop editing, semantic compression. */
export { mobyDick, stateOfTheUnion, tokenize, terms, sentences, detokenize } from "./text";
export { bm25Index, bm25Scores, bm25Top, type Bm25Index } from "./bm25";
export {
  nonceNames, factTokens, hopQuestion, decompose, multiHopItem, readWindow, WindowExceeded, answerByTruncation, answerByRetrieval,
  answerByEditing, chunk, type MultiHopItem, type Attempt,
} from "./multihop";
export { tfidf, cosine, segment, information, compress, type SparseVec, type Compressed } from "./compress";
export { probeItem, readPasskey, readCloze, type ProbeItem } from "./probes";
