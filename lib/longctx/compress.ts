/**
 * Semantic compression of long text to fit a window (after Fei et al. 2023, "Extending context window of large
 * language models via semantic compression", arXiv 2312.09571): cut the text into blocks of sentences, build a
 * topic graph over the blocks (TF-IDF cosine, k nearest neighbours), partition it into topics by spectral
 * clustering, compress each topic to its share of the budget, and reassemble what is kept in the original order.
 * The paper compresses each topic with a pre-trained summariser; Folio's stand-in is extractive: TextRank
 * (Mihalcea & Tarau 2004) inside each topic, with a redundancy penalty. Also here: the selections a notebook
 * compares it with (random sentences, the highest-IDF sentences, truncation), at the same budget.
 * @see notebooks/09-semantic-compression.ipynb
 */
import { eigSym } from "../linalg";
import type { Rng } from "../rng";
import { sentences, terms, tokenize } from "./text";

/** A sparse term vector: term → weight. */
export type SparseVec = Map<string, number>;

/** TF-IDF vectors of sentences, L2-normalised: w(t, s) = tf(t, s) · ln(N / df(t)). */
export function tfidf(sents: string[]): { vecs: SparseVec[]; idf: Map<string, number> } {
  const tfs = sents.map((s) => {
    const m = new Map<string, number>();
    for (const t of terms(s)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map([...df].map(([t, n]) => [t, Math.log(sents.length / n)]));
  return { vecs: tfs.map((tf) => unit(new Map([...tf].map(([t, c]) => [t, c * (idf.get(t) ?? 0)])))), idf };
}

/** Scales a sparse vector to unit length (in place); the zero vector stays zero. */
export function unit(v: SparseVec): SparseVec {
  let z = 0;
  for (const w of v.values()) z += w * w;
  z = Math.sqrt(z);
  if (z > 0) for (const [t, w] of v) v.set(t, w / z);
  return v;
}

/** Cosine similarity of two sparse vectors (dot product; inputs are unit length). */
export function cosine(a: SparseVec, b: SparseVec): number {
  const [s, l] = a.size < b.size ? [a, b] : [b, a];
  let d = 0;
  for (const [t, w] of s) {
    const x = l.get(t);
    if (x !== undefined) d += w * x;
  }
  return d;
}

/**
 * Information content of a sentence per token: the mean IDF of its terms, a source-coding proxy (a term seen in
 * few sentences carries more bits, −log of its document frequency). Used by the top-IDF control.
 */
export function information(sentence: string, idf: Map<string, number>): number {
  const ts = terms(sentence);
  return ts.length === 0 ? 0 : ts.reduce((a, t) => a + (idf.get(t) ?? 0), 0) / ts.length;
}

/** Consecutive sentences grouped into blocks of at least `blockTokens` tokens: returns each block's sentence indices. */
export function sentenceBlocks(lens: number[], blockTokens: number): number[][] {
  const blocks: number[][] = [];
  let cur: number[] = [],
    n = 0;
  lens.forEach((l, i) => {
    cur.push(i);
    n += l;
    if (n >= blockTokens) {
      blocks.push(cur);
      cur = [];
      n = 0;
    }
  });
  if (cur.length) {
    if (blocks.length && n < blockTokens / 2) blocks[blocks.length - 1].push(...cur);
    else blocks.push(cur);
  }
  return blocks;
}

/**
 * The topic graph: a symmetric weight matrix over blocks, w_ij = cos(b_i, b_j) when j is among i's `k` most
 * similar blocks or i among j's, else 0 (row-major n × n).
 */
export function topicGraph(vecs: SparseVec[], k = 5): Float64Array {
  const n = vecs.length,
    S = new Float64Array(n * n),
    Wg = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) S[i * n + j] = S[j * n + i] = cosine(vecs[i], vecs[j]);
  for (let i = 0; i < n; i++) {
    const nn = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => S[i * n + b] - S[i * n + a] || a - b)
      .slice(0, k);
    for (const j of nn) Wg[i * n + j] = Wg[j * n + i] = S[i * n + j];
  }
  return Wg;
}

/**
 * Spectral clustering of a weighted graph into `k` topics (Ng, Jordan & Weiss 2001): the k leading eigenvectors of
 * D^{−1/2} W D^{−1/2}, rows normalised, grouped by k-means (farthest-point start, so it is deterministic).
 * Returns each node's topic.
 */
export function spectralClusters(Wg: Float64Array, n: number, k: number): Int32Array {
  const labels = new Int32Array(n);
  if (k <= 1 || n <= k) {
    for (let i = 0; i < n; i++) labels[i] = Math.min(i, k - 1);
    return k <= 1 ? labels.fill(0) : labels;
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) d[i] += Wg[i * n + j];
    d[i] = d[i] > 0 ? 1 / Math.sqrt(d[i]) : 0;
  }
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = d[i] * Wg[i * n + j] * d[j];
  const { values, U: vectors } = eigSym(M, n);
  const top = Array.from(values.keys())
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, k);
  const X = Array.from({ length: n }, (_, i) => {
    const r = top.map((c) => vectors[i * n + c]);
    const z = Math.hypot(...r) || 1;
    return r.map((x) => x / z);
  });
  const dist = (a: number[], b: number[]) => a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0);
  const centres = [X[0]];
  while (centres.length < k) {
    let best = 0,
      far = -1;
    X.forEach((x, i) => {
      const m = Math.min(...centres.map((c) => dist(x, c)));
      if (m > far) {
        far = m;
        best = i;
      }
    });
    centres.push(X[best]);
  }
  for (let it = 0; it < 50; it++) {
    let moved = false;
    X.forEach((x, i) => {
      let b = 0;
      centres.forEach((c, j) => {
        if (dist(x, c) < dist(x, centres[b])) b = j;
      });
      if (labels[i] !== b) {
        labels[i] = b;
        moved = true;
      }
    });
    for (let j = 0; j < k; j++) {
      const members = X.filter((_, i) => labels[i] === j);
      if (members.length) centres[j] = members[0].map((_, c) => members.reduce((s, m) => s + m[c], 0) / members.length);
    }
    if (!moved && it > 0) break;
  }
  return labels;
}

/** Pairwise cosine similarities of unit sparse vectors (row-major m × m, zero diagonal). */
export function similarities(vecs: SparseVec[]): Float64Array {
  const m = vecs.length,
    S = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) S[i * m + j] = S[j * m + i] = cosine(vecs[i], vecs[j]);
  return S;
}

/**
 * TextRank scores (Mihalcea & Tarau 2004): PageRank with damping d = 0.85 on the sentence-similarity graph,
 * r_i = (1 − d)/m + d Σ_j r_j S_ji / Σ_k S_jk. Takes the vectors or their similarity matrix.
 */
export function textRank(input: SparseVec[] | Float64Array, iters = 30, damping = 0.85): Float64Array {
  const S = input instanceof Float64Array ? input : similarities(input),
    m = Math.round(Math.sqrt(S.length)),
    deg = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) deg[i] += S[i * m + j];
  let r = new Float64Array(m).fill(1 / m);
  for (let it = 0; it < iters; it++) {
    const next = new Float64Array(m).fill((1 - damping) / m);
    for (let j = 0; j < m; j++)
      if (deg[j] > 0) {
        const f = (damping * r[j]) / deg[j];
        for (let i = 0; i < m; i++) next[i] += f * S[j * m + i];
      }
    r = next;
  }
  return r;
}

/** A compression: the kept sentences (increasing indices) and their text in the original order. */
export interface Compressed {
  text: string;
  kept: number[];
  sentences: string[];
  /** each sentence's topic (−1 where no topics were formed) */
  topic: Int32Array;
  topics: number;
  tokensIn: number;
  tokensOut: number;
}

/** Options of the compressor. */
export interface CompressOptions {
  /** tokens per sentence block, the topic graph's nodes (default 60) */
  blockTokens?: number;
  /** tokens of input per topic (default 400): the number of topics is ⌈L / topicTokens⌉ */
  topicTokens?: number;
  /** weight of the TextRank score against redundancy with what is already kept (default 0.7) */
  lambda?: number;
}

const finish = (sents: string[], lens: number[], kept: number[], topic: Int32Array, topics: number): Compressed => {
  kept.sort((a, b) => a - b);
  return {
    text: kept.map((i) => sents[i]).join(" "),
    kept,
    sentences: sents,
    topic,
    topics,
    tokensIn: lens.reduce((a, b) => a + b, 0),
    tokensOut: kept.reduce((a, i) => a + lens[i], 0),
  };
};

/**
 * Compresses text to at most `budget` tokens: sentence blocks → topic graph → spectral topics; each topic gets a
 * budget share proportional to its length; inside it sentences are taken by
 * argmax_s λ·TR(s)/max TR − (1 − λ)·max_{k kept} cos(s, k), TR = TextRank within the topic, while they fit; any
 * budget a topic cannot use goes to the next. The result is reassembled in the original order.
 */
export function compress(text: TextInput, budget: number, opts: CompressOptions = {}): Compressed {
  const sents = splitSentences(text),
    lens = sents.map((s) => tokenize(s).length);
  const tokensIn = lens.reduce((a, b) => a + b, 0);
  if (tokensIn <= budget)
    return finish(
      sents,
      lens,
      sents.map((_, i) => i),
      new Int32Array(sents.length).fill(-1),
      0,
    );
  const { vecs } = tfidf(sents);
  const blocks = sentenceBlocks(lens, opts.blockTokens ?? 60);
  const bvecs = blocks.map((b) => {
    const m: SparseVec = new Map();
    for (const i of b) for (const [t, w] of vecs[i]) m.set(t, (m.get(t) ?? 0) + w);
    return unit(m);
  });
  const k = Math.min(blocks.length, Math.max(1, Math.ceil(tokensIn / (opts.topicTokens ?? 400))));
  const blockTopic = spectralClusters(topicGraph(bvecs), blocks.length, k);
  const topic = new Int32Array(sents.length);
  blocks.forEach((b, j) => {
    for (const i of b) topic[i] = blockTopic[j];
  });
  const lambda = opts.lambda ?? 0.7,
    kept: number[] = [];
  let carry = 0;
  for (let c = 0; c < k; c++) {
    const members = sents.map((_, i) => i).filter((i) => topic[i] === c);
    if (!members.length) continue;
    const S = similarities(members.map((i) => vecs[i])),
      tr = textRank(S),
      maxTr = Math.max(...tr) || 1,
      m = members.length;
    let room = Math.floor((budget * members.reduce((a, i) => a + lens[i], 0)) / tokensIn) + carry;
    const chosen: number[] = [],
      pool = new Set(members.keys()),
      redundancy = new Float64Array(m);
    while (pool.size) {
      let best = -1,
        bestScore = -Infinity;
      for (const j of pool) {
        const sc = (lambda * tr[j]) / maxTr - (1 - lambda) * redundancy[j];
        if (sc > bestScore) {
          bestScore = sc;
          best = j;
        }
      }
      pool.delete(best);
      if (lens[members[best]] <= room) {
        chosen.push(members[best]);
        room -= lens[members[best]];
        for (const j of pool) redundancy[j] = Math.max(redundancy[j], S[best * m + j]); // max similarity to what is kept
      }
    }
    carry = room;
    kept.push(...chosen);
  }
  return finish(sents, lens, kept, topic, k);
}

/** The control "random selection": sentences in a random order, each kept if it still fits, reassembled in order. */
export function selectRandom(text: TextInput, budget: number, rng: Rng): Compressed {
  const sents = splitSentences(text),
    lens = sents.map((s) => tokenize(s).length);
  return finish(
    sents,
    lens,
    greedyFit(Array.from(rng.permutation(sents.length)), lens, budget),
    new Int32Array(sents.length).fill(-1),
    0,
  );
}

/** The control "top-IDF": sentences by decreasing information (mean IDF), each kept if it still fits, in order. */
export function selectTopIdf(text: TextInput, budget: number): Compressed {
  const sents = splitSentences(text),
    lens = sents.map((s) => tokenize(s).length),
    { idf } = tfidf(sents);
  const info = sents.map((s) => information(s, idf));
  return finish(
    sents,
    lens,
    greedyFit(
      sents.map((_, i) => i).sort((a, b) => info[b] - info[a] || a - b),
      lens,
      budget,
    ),
    new Int32Array(sents.length).fill(-1),
    0,
  );
}

function greedyFit(order: number[], lens: number[], budget: number): number[] {
  const kept: number[] = [];
  let used = 0;
  for (const i of order)
    if (used + lens[i] <= budget) {
      kept.push(i);
      used += lens[i];
    }
  return kept;
}

/** A text given as one string (split into sentences) or as its list of sentences. */
export type TextInput = string | readonly string[];
const splitSentences = (text: TextInput): string[] => (typeof text === "string" ? sentences(text) : [...text]);
