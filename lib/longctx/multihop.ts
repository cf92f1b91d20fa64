/**
 * Three ways for the window-limited reader (reader.ts) to answer the benchmark's questions (facts.ts) over a
 * document of L ≫ W tokens: truncation, one-shot retrieval (BM25 chunks for the whole question into one window),
 * and dynamic in-context editing (Fei et al. 2024, "Retrieval meets reasoning: dynamic in-context editing for
 * long-text understanding", arXiv 2406.12331): plan the question into a DAG of sub-questions, retrieve for each
 * sub-question's entity by all the names it is known by, extract the one fact, and edit the working context so it
 * holds only what has been established (the fact, and the alias it revealed), then go on.
 * @see notebooks/04-in-context-editing.ipynb
 */
import type { Rng } from "../rng";
import { bm25Index, bm25Scores, type Bm25Index } from "./bm25";
import { ALIAS_CLAUSE, plan, shipsFact, type MultiHopItem } from "./facts";
import { checkWindow, executePlan, extract, readWindow, SPAN_BREAK, understand, type Extraction } from "./reader";
import { tokenize } from "./text";

/** What a strategy returns: its answer, the tokens it showed the reader in total, and the reader calls. */
export interface Attempt {
  answer: string | null;
  tokensRead: number;
  calls: number;
  /** editing only: each sub-question, the reader's answer, whether it misread, and the windows it needed */
  steps?: { question: string; answer: string | null; misread: boolean; windows: number }[];
}

/** A document cut into chunks of `size` tokens overlapping by `overlap`, indexed by BM25. */
export interface ChunkIndex {
  tokens: string[];
  starts: number[];
  size: number;
  index: Bm25Index;
}

/**
 * Chunks a document so that any span of at most `overlap + 1` tokens lies whole inside some chunk (default 48/24:
 * the longest fact, the pronoun form with an alias clause, is 22 tokens), and indexes the chunks.
 */
export function chunkIndex(tokens: string[], size = 48, overlap = 24): ChunkIndex {
  if (overlap >= size) throw new Error(`chunk overlap ${overlap} must be smaller than the chunk size ${size}`);
  const starts: number[] = [];
  for (let i = 0; ; i += size - overlap) {
    starts.push(i);
    if (i + size >= tokens.length) break;
  }
  return { tokens, starts, size, index: bm25Index(starts.map((s) => tokens.slice(s, s + size).join(" "))) };
}

/**
 * The best-ranked chunks for `query` that are not in `shown`, merged where they overlap, in document order,
 * separated by SPAN_BREAK, as many as fit in `budget` tokens (ties in rank go to the earlier chunk). The chunks
 * used are added to `shown`, so a second call returns the next page of the ranking.
 */
export function retrieve(ci: ChunkIndex, query: string, budget: number, shown: Set<number> = new Set()): string[] {
  const s = bm25Scores(ci.index, query);
  const ranked = Array.from(s.keys())
    .filter((i) => s[i] > 0 && !shown.has(i))
    .sort((a, b) => s[b] - s[a] || a - b);
  let spans: [number, number][] = [];
  const cost = (sp: [number, number][]) => sp.reduce((a, [x, y]) => a + y - x, 0) + sp.length - 1;
  for (const i of ranked) {
    const x = ci.starts[i],
      y = Math.min(ci.tokens.length, x + ci.size);
    const merged = mergeSpans([...spans, [x, y]]);
    if (cost(merged) <= budget) {
      spans = merged;
      shown.add(i);
    } else if (cost(spans) + 2 > budget) break;
  }
  return spans.flatMap(([x, y], k) => (k === 0 ? ci.tokens.slice(x, y) : [SPAN_BREAK, ...ci.tokens.slice(x, y)]));
}

function mergeSpans(sp: [number, number][]): [number, number][] {
  const s = [...sp].sort((a, b) => a[0] - b[0]),
    out: [number, number][] = [];
  for (const [x, y] of s) {
    const last = out[out.length - 1];
    if (last && x <= last[1]) last[1] = Math.max(last[1], y);
    else out.push([x, y]);
  }
  return out;
}

/** Truncation: the reader sees the first W − |question| tokens. */
export function answerByTruncation(item: MultiHopItem, W: number, rng: Rng, eps = 0): Attempt {
  const ctx = item.tokens.slice(0, W - tokenize(item.question).length);
  return { answer: readWindow(ctx, item.question, W, rng, eps), tokensRead: ctx.length, calls: 1 };
}

/** One-shot retrieval (RAG): BM25 over chunks with the whole question as the query, the top chunks into one window. */
export function answerByRetrieval(
  item: MultiHopItem,
  W: number,
  rng: Rng,
  eps = 0,
  ci = chunkIndex(item.tokens),
): Attempt {
  const ctx = retrieve(ci, item.question, W - tokenize(item.question).length);
  return { answer: readWindow(ctx, item.question, W, rng, eps), tokensRead: ctx.length, calls: 1 };
}

/** Switches of dynamic editing, for its ablations. */
export interface EditingOptions {
  /** retrieve for each sub-question's entity (true), or for the whole question at every step (false) */
  decompose?: boolean;
  /** keep the alias a fact revealed in the working context and search by it (true), or only the canonical name */
  carryAliases?: boolean;
  /** windows of retrieved text the reader may ask for per sub-question before giving up (default 3) */
  pages?: number;
}

/**
 * Dynamic in-context editing over the question's plan: for each sub-question (keeper or ships of an entity), the
 * window holds the working context (the facts established so far) and the chunks retrieved for the entity's names;
 * if the reader finds no fact about the entity it asks for the next page of the ranking (up to `pages` windows);
 * once it extracts the fact, the working context is edited to add it (with the entity's alias, if one was revealed)
 * and the retrieved text is dropped. A comparison is decided from the two numbers established.
 */
export function answerByEditing(
  item: MultiHopItem,
  W: number,
  rng: Rng,
  eps = 0,
  opts: EditingOptions = {},
  ci = chunkIndex(item.tokens),
): Attempt {
  const decompose = opts.decompose ?? true,
    carry = opts.carryAliases ?? true,
    pages = opts.pages ?? 3;
  const memory: string[] = [],
    steps: NonNullable<Attempt["steps"]> = [];
  let read = 0,
    calls = 0;
  const run = executePlan(plan(item.question), (node, names) => {
    const op = node.op as "keeper" | "ships";
    const sub = op === "keeper" ? `Who is the keeper of ${names[0]} ?` : `How many ships has ${names[0]} ?`;
    const query = decompose ? names.join(" ") : item.question; // the entity identifies the fact; the relation word is common
    const budget = W - tokenize(sub).length - memory.length - 1,
      shown = new Set<number>();
    let x: Extraction = { answer: null, names: [], misread: false },
      windows = 0;
    for (let page = 0; page < pages && x.answer === null; page++) {
      const found = retrieve(ci, query, memory.length ? budget : budget + 1, shown);
      if (found.length === 0) break;
      const window = memory.length ? [...memory, SPAN_BREAK, ...found] : found;
      checkWindow(window, sub, W);
      read += window.length;
      calls++;
      windows++;
      x = extract(understand(window), op, names, rng, eps);
    }
    steps.push({ question: sub, answer: x.answer, misread: x.misread, windows });
    if (x.answer === null) return x;
    if (op === "keeper") {
      const alias = carry ? x.names.find((n) => n !== x.answer) : undefined;
      memory.push("The", "keeper", "of", names[0], "is", x.answer, ...(alias ? [...ALIAS_CLAUSE, alias] : []), ".");
      return carry ? x : { ...x, names: [x.answer] };
    }
    memory.push(...shipsFact(names[0], Number(x.answer), 0));
    return x;
  });
  return { answer: run.answer, tokensRead: read, calls, steps };
}

/** Whether an attempt named the answer entity (by its name or its alias). */
export const correct = (item: MultiHopItem, a: Attempt) => a.answer !== null && item.answerNames.includes(a.answer);
