/** Long-context reading with a window-limited reader: corpora, retrieval, multi-hop editing, semantic compression. */
export { mobyDick, stateOfTheUnion, tokenize, terms, sentences, detokenize } from "./text";
export { bm25Index, bm25Scores, bm25Top, type Bm25Index } from "./bm25";
export {
  nonceNames,
  keeperFact,
  shipsFact,
  questionText,
  plan,
  multiHopItem,
  type MultiHopItem,
  type ItemOptions,
  type PlanNode,
  type Question,
} from "./facts";
export {
  understand,
  extract,
  readWindow,
  executePlan,
  WindowExceeded,
  SPAN_BREAK,
  type Understanding,
  type Extraction,
} from "./reader";
export {
  chunkIndex,
  retrieve,
  answerByTruncation,
  answerByRetrieval,
  answerByEditing,
  correct,
  type Attempt,
  type ChunkIndex,
  type EditingOptions,
} from "./multihop";
export {
  tfidf,
  unit,
  cosine,
  similarities,
  information,
  sentenceBlocks,
  topicGraph,
  spectralClusters,
  textRank,
  compress,
  selectRandom,
  selectTopIdf,
  type SparseVec,
  type Compressed,
  type CompressOptions,
  type TextInput,
} from "./compress";
export {
  passage,
  probeItem,
  readPasskey,
  readCode,
  readCloze,
  multiDocItem,
  coverage,
  type ProbeItem,
  type MultiDocItem,
} from "./probes";
export { evaluateMultiHop, type Setting, type EvalRow, type EvalOptions } from "./evaluate";
export {
  evaluateCompression,
  usableLength,
  SELECTIONS,
  PROBES,
  type Selection,
  type Probe,
  type CompressionRow,
  type CompressionEvalOptions,
} from "./compress-eval";
