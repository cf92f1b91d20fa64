/**
 * Semantic compression of long text to fit a window (after Fei et al. 2023, "Extending context window of large
 * language models via semantic compression", arXiv 2312.09571): split into sentences, build a sentence
 * similarity graph, cut it into topic segments, compress each segment extractively, and reassemble in order.
 * Folio's compressor is extractive and offline (the paper uses a pre-trained summariser).
 * @see notebooks/09-semantic-compression.ipynb
 */
import { sentences, terms, tokenize } from "./text";

export type SparseVec = Map<string, number>;

/** TF-IDF vectors of sentences, L2-normalised: w(t, s) = tf(t, s) · ln(N / df(t)). */
export function tfidf(sents: string[]): { vecs: SparseVec[]; idf: Map<string, number> } {
  const tfs = sents.map((s) => { const m = new Map<string, number>(); for (const t of terms(s)) m.set(t, (m.get(t) ?? 0) + 1); return m; });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map([...df].map(([t, n]) => [t, Math.log(sents.length / n)]));
  const vecs = tfs.map((tf) => {
    const v: SparseVec = new Map();
    let norm = 0;
    for (const [t, c] of tf) { const w = c * (idf.get(t) ?? 0); v.set(t, w); norm += w * w; }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  return { vecs, idf };
}

/** Cosine similarity of two sparse vectors (dot product; inputs are unit length). */
export function cosine(a: SparseVec, b: SparseVec): number {
  const [s, l] = a.size < b.size ? [a, b] : [b, a];
  let d = 0;
  for (const [t, w] of s) { const x = l.get(t); if (x !== undefined) d += w * x; }
  return d;
}

/**
 * Contiguous topic segmentation in the spirit of TextTiling (Hearst 1997): the gap after sentence i scores
 * cos(Σ of the `block` vectors before, Σ of the `block` vectors after); the `nSegments − 1` lowest-scoring gaps,
 * at least `minLen` sentences apart, become boundaries. Returns segment start indices (first is 0).
 */
export function segment(vecs: SparseVec[], nSegments: number, block = 3, minLen = 3): number[] {
  const n = vecs.length;
  if (nSegments <= 1 || n < 2 * minLen) return [0];
  const sum = (from: number, to: number) => { const m: SparseVec = new Map(); for (let i = Math.max(0, from); i < Math.min(n, to); i++) for (const [t, w] of vecs[i]) m.set(t, (m.get(t) ?? 0) + w); return m; };
  const unit = (m: SparseVec) => { let z = 0; for (const w of m.values()) z += w * w; z = Math.sqrt(z) || 1; for (const [t, w] of m) m.set(t, w / z); return m; };
  const gaps = Array.from({ length: n - 1 }, (_, i) => ({ i: i + 1, score: cosine(unit(sum(i + 1 - block, i + 1)), unit(sum(i + 1, i + 1 + block))) }));
  const cuts: number[] = [];
  for (const g of gaps.sort((a, b) => a.score - b.score || a.i - b.i)) {
    if (cuts.length >= nSegments - 1) break;
    if (g.i < minLen || n - g.i < minLen || cuts.some((c) => Math.abs(c - g.i) < minLen)) continue;
    cuts.push(g.i);
  }
  return [0, ...cuts.sort((a, b) => a - b)];
}

/**
 * Information content of a sentence per token: the mean IDF of its terms, a source-coding proxy (a term seen in
 * few sentences carries more bits, −log of its document frequency).
 */
export function information(sentence: string, idf: Map<string, number>): number {
  const ts = terms(sentence);
  return ts.length === 0 ? 0 : ts.reduce((a, t) => a + (idf.get(t) ?? 0), 0) / ts.length;
}

export interface Compressed {
  /** the compressed text, sentences in their original order */
  text: string;
  /** indices of the kept sentences, increasing */
  kept: number[];
  sentences: string[];
  /** segment start indices */
  segments: number[];
  tokensIn: number;
  tokensOut: number;
}

/**
 * Compresses text to at most `budget` tokens: topic segments get budget in proportion to their length; inside each,
 * sentences are chosen by maximal marginal relevance (Carbonell & Goldstein 1998),
 * argmax_s λ·info(s)/max info − (1 − λ)·max_{k kept} cos(s, k), so the most informative sentences stay and
 * redundant ones go; the result is reassembled in the original order.
 */
export function compress(text: string, budget: number, opts: { segmentTokens?: number; lambda?: number } = {}): Compressed {
  const sents = sentences(text), lens = sents.map((s) => tokenize(s).length);
  const tokensIn = lens.reduce((a, b) => a + b, 0);
  const all = sents.map((_, i) => i);
  if (tokensIn <= budget) return { text: sents.join(" "), kept: all, sentences: sents, segments: [0], tokensIn, tokensOut: tokensIn };
  const { vecs, idf } = tfidf(sents);
  const segs = segment(vecs, Math.max(1, Math.round(tokensIn / (opts.segmentTokens ?? 400))));
  const lambda = opts.lambda ?? 0.7;
  const info = sents.map((s) => information(s, idf));
  const maxInfo = Math.max(...info) || 1;
  const kept: number[] = [];
  let used = 0;
  segs.forEach((start, k) => {
    const end = k + 1 < segs.length ? segs[k + 1] : sents.length;
    const segLen = lens.slice(start, end).reduce((a, b) => a + b, 0);
    let room = Math.floor(budget * segLen / tokensIn);
    const chosen: number[] = [];
    const pool = new Set(all.slice(start, end));
    while (pool.size > 0) {
      let best = -1, bestScore = -Infinity;
      for (const i of pool) {
        const red = chosen.reduce((m, j) => Math.max(m, cosine(vecs[i], vecs[j])), 0);
        const sc = lambda * info[i] / maxInfo - (1 - lambda) * red;
        if (sc > bestScore) { bestScore = sc; best = i; }
      }
      pool.delete(best);
      if (lens[best] <= room && used + lens[best] <= budget) { chosen.push(best); room -= lens[best]; used += lens[best]; }
    }
    kept.push(...chosen);
  });
  kept.sort((a, b) => a - b);
  return { text: kept.map((i) => sents[i]).join(" "), kept, sentences: sents, segments: segs, tokensIn, tokensOut: used };
}
