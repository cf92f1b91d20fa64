/**
 * A multi-hop question answering benchmark over long real text, and three ways for a reader limited to W tokens
 * to answer it: truncation, one-shot retrieval, and dynamic in-context editing (Fei et al. 2024, "Retrieval meets reasoning: dynamic in-context editing
 * for long-text understanding", arXiv 2406.12331).
 * @see notebooks/04-in-context-editing.ipynb
 */
import { Rng } from "../rng";
import { bm25Index, bm25Top } from "./bm25";
import { tokenize } from "./text";

const RELATION = "keeper";
const DISTRACTOR_RELATIONS = ["rival", "cousin", "neighbour"];

/** One benchmark item: a document of L tokens with a k-hop chain of facts hidden in it. */
export interface MultiHopItem {
  tokens: string[];
  question: string;
  answer: string;
  hops: number;
  /** token offsets of the chain's facts, in hop order */
  factPositions: number[];
}

/** Pronounceable nonce names from a seeded syllable generator, none of which occurs in `avoid`. */
export function nonceNames(rng: Rng, n: number, avoid: Set<string>): string[] {
  const on = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kl", "tr"], nu = ["a", "e", "i", "o", "u", "ai", "ou"];
  const out = new Set<string>();
  while (out.size < n) {
    let w = "";
    for (let s = 0; s < 3; s++) w += on[rng.int(on.length)] + nu[rng.int(nu.length)];
    w = w[0].toUpperCase() + w.slice(1);
    if (!avoid.has(w.toLowerCase())) out.add(w);
  }
  return [...out];
}

/** The sentence stating one fact: "The keeper of A is B ." as tokens. */
export function factTokens(subject: string, object: string, relation = RELATION): string[] {
  return ["The", relation, "of", subject, "is", object, "."];
}

/** The k-hop question "Who is the keeper of the keeper of … of A ?" */
export function hopQuestion(start: string, hops: number): string {
  return `Who is ${Array.from({ length: hops }, () => `the ${RELATION} of`).join(" ")} ${start} ?`;
}

/** Parses a k-hop question back into its start entity and hop count (the decomposition step of editing). */
export function decompose(question: string): { start: string; hops: number } {
  const hops = question.split(` ${RELATION} of`).length - 1;
  const m = /of (\S+) \?$/.exec(question);
  if (!m || hops < 1) throw new Error(`not a ${RELATION} question: "${question}"`);
  return { start: m[1], hops };
}

/**
 * Builds an item: L tokens of real filler text from a random offset of `corpus`, with the chain's k facts and
 * `distractors` (default 4k) distracting facts placed at random sentence boundaries.
 */
export function multiHopItem(opts: { rng: Rng; corpus: string[]; vocabulary: Set<string>; L: number; hops: number; distractors?: number }): MultiHopItem {
  const { rng, corpus, L, hops } = opts;
  const nd = opts.distractors ?? 4 * hops;
  const names = nonceNames(rng, hops + 1 + 2 * nd, opts.vocabulary);
  const chain = names.slice(0, hops + 1), others = names.slice(hops + 1);
  const facts: { tokens: string[]; hop: number }[] = chain.slice(0, hops).map((s, j) => ({ tokens: factTokens(s, chain[j + 1]), hop: j }));
  // Distractors of two kinds: the same relation between unrelated names (so the relation word alone does not
  // find the chain), and other relations about the chain's own names (so the names alone do not either).
  for (let d = 0; d < nd; d++) {
    facts.push(d % 2 === 0
      ? { tokens: factTokens(others[2 * d], others[2 * d + 1]), hop: -1 }
      : { tokens: factTokens(chain[rng.int(hops)], others[2 * d], DISTRACTOR_RELATIONS[rng.int(DISTRACTOR_RELATIONS.length)]), hop: -1 });
  }
  const fillLen = Math.max(1, L - facts.reduce((a, f) => a + f.tokens.length, 0));
  if (corpus.length < fillLen + 1) throw new Error(`corpus has ${corpus.length} tokens, item needs ${fillLen}`);
  const start = rng.int(corpus.length - fillLen);
  const filler = corpus.slice(start, start + fillLen);
  const boundaries = [0, ...filler.flatMap((t, i) => (t === "." ? [i + 1] : []))];
  const slots = facts.map(() => boundaries[rng.int(boundaries.length)]).sort((a, b) => a - b);
  rng.shuffle(facts);
  const tokens: string[] = [];
  const factPositions = new Array<number>(hops);
  let prev = 0;
  facts.forEach((f, i) => {
    tokens.push(...filler.slice(prev, slots[i]));
    if (f.hop >= 0) factPositions[f.hop] = tokens.length;
    tokens.push(...f.tokens);
    prev = slots[i];
  });
  tokens.push(...filler.slice(prev));
  return { tokens, question: hopQuestion(chain[0], hops), answer: chain[hops], hops, factPositions };
}

/** Thrown when a strategy hands the reader more than its window. */
export class WindowExceeded extends Error {}

/**
 * The window-limited reader standing in for the LLM: it sees at most W tokens (context + question), and answers
 * by following "The keeper of X is Y" facts present in what it sees, from `start` for `hops` steps; null if a hop's
 * fact is not in view. It reasons perfectly inside its window and knows nothing outside it.
 */
export function readWindow(context: string[], question: string, W: number): string | null {
  const q = tokenize(question);
  if (context.length + q.length > W) throw new WindowExceeded(`reader given ${context.length + q.length} tokens, window is ${W}`);
  const { start, hops } = decompose(question);
  const keeperOf = new Map<string, string>();
  for (let i = 0; i + 5 < context.length; i++)
    if (context[i] === "The" && context[i + 1] === RELATION && context[i + 2] === "of" && context[i + 4] === "is") keeperOf.set(context[i + 3], context[i + 5]);
  let e: string | undefined = start;
  for (let h = 0; h < hops && e !== undefined; h++) e = keeperOf.get(e);
  return e ?? null;
}

/** What a strategy returns: its answer and how many tokens it showed the reader in total. */
export interface Attempt { answer: string | null; tokensRead: number; calls: number }

/** Truncation: the reader sees the first W − |question| tokens. */
export function answerByTruncation(item: MultiHopItem, W: number): Attempt {
  const ctx = item.tokens.slice(0, W - tokenize(item.question).length);
  return { answer: readWindow(ctx, item.question, W), tokensRead: ctx.length, calls: 1 };
}

/**
 * Splits tokens into chunks of `size` tokens that overlap by `overlap`, so that any span of at most `overlap + 1`
 * tokens (a fact sentence is 7) lies whole inside some chunk.
 */
export function chunk(tokens: string[], size: number, overlap = 8): string[][] {
  if (overlap >= size) throw new Error(`chunk overlap ${overlap} must be smaller than the chunk size ${size}`);
  const out: string[][] = [];
  for (let i = 0; ; i += size - overlap) { out.push(tokens.slice(i, i + size)); if (i + size >= tokens.length) break; }
  return out;
}

/** Fills a window with the best-ranked chunks for `query` (kept in document order), leaving `reserve` tokens free. */
function retrieve(chunks: string[][], index: ReturnType<typeof bm25Index>, query: string, budget: number): string[] {
  const k = Math.max(1, Math.floor(budget / chunks[0].length));
  return bm25Top(index, query, k).sort((a, b) => a - b).flatMap((i) => chunks[i]).slice(0, budget);
}

/** One-shot retrieval (RAG): BM25 over chunks with the whole question as query, top chunks into one window. */
export function answerByRetrieval(item: MultiHopItem, W: number, chunkSize = 32): Attempt {
  const chunks = chunk(item.tokens, chunkSize), index = bm25Index(chunks.map((c) => c.join(" ")));
  const ctx = retrieve(chunks, index, item.question, W - tokenize(item.question).length);
  return { answer: readWindow(ctx, item.question, W), tokensRead: ctx.length, calls: 1 };
}

/**
 * Dynamic in-context editing: decompose the question into single hops; for each hop retrieve for the current
 * entity only, let the reader extract the one fact, then edit the working context so that it holds just the facts
 * established so far (the retrieved text is dropped), and continue from the new entity.
 */
export function answerByEditing(item: MultiHopItem, W: number, chunkSize = 32): Attempt {
  const { start, hops } = decompose(item.question);
  const chunks = chunk(item.tokens, chunkSize), index = bm25Index(chunks.map((c) => c.join(" ")));
  let entity = start, read = 0, calls = 0;
  const established: string[] = [];
  for (let h = 0; h < hops; h++) {
    const sub = hopQuestion(entity, 1);
    const ctx = retrieve(chunks, index, sub, W - tokenize(sub).length - established.length);
    const next = readWindow([...established, ...ctx], sub, W);
    read += ctx.length + established.length; calls++;
    if (next === null) return { answer: null, tokensRead: read, calls };
    established.push(...factTokens(entity, next));
    entity = next;
  }
  return { answer: readWindow(established, item.question, W), tokensRead: read + established.length, calls: calls + 1 };
}
