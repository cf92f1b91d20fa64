/**
 * Okapi BM25 ranking (Robertson & Zaragoza 2009): score(q, d) = Σ_t IDF(t) · f(t,d)(k1+1) / (f(t,d) + k1(1 − b + b|d|/avgdl)),
 * IDF(t) = ln(1 + (N − n_t + 0.5)/(n_t + 0.5)).
 */
import { terms } from "./text";

export interface Bm25Index { docs: Map<string, number>[]; lengths: Float64Array; avgdl: number; df: Map<string, number>; k1: number; b: number }

/** Builds a BM25 index over documents (chunks of text). */
export function bm25Index(documents: string[], k1 = 1.2, b = 0.75): Bm25Index {
  const df = new Map<string, number>();
  const docs = documents.map((d) => {
    const tf = new Map<string, number>();
    for (const t of terms(d)) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const lengths = Float64Array.from(docs, (tf) => { let n = 0; for (const c of tf.values()) n += c; return n; });
  const avgdl = lengths.reduce((a, x) => a + x, 0) / Math.max(1, lengths.length);
  return { docs, lengths, avgdl, df, k1, b };
}

/** BM25 scores of every document for a query. */
export function bm25Scores(index: Bm25Index, query: string): Float64Array {
  const N = index.docs.length, q = [...new Set(terms(query))];
  const out = new Float64Array(N);
  for (const t of q) {
    const n = index.df.get(t) ?? 0;
    if (n === 0) continue;
    const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
    index.docs.forEach((tf, i) => {
      const f = tf.get(t);
      if (f) out[i] += idf * (f * (index.k1 + 1)) / (f + index.k1 * (1 - index.b + index.b * index.lengths[i] / index.avgdl));
    });
  }
  return out;
}

/** Indices of the top-k documents by BM25 score (ties by position), best first. */
export function bm25Top(index: Bm25Index, query: string, k: number): number[] {
  const s = bm25Scores(index, query);
  return Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b).slice(0, k);
}
