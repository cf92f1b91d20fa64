/**
 * Okapi BM25 ranking (Robertson & Zaragoza 2009): score(q, d) = Σ_t IDF(t) · f(t,d)(k1+1) / (f(t,d) + k1(1 − b + b|d|/avgdl)),
 * IDF(t) = ln(1 + (N − n_t + 0.5)/(n_t + 0.5)). Kept as postings lists, so a query costs the documents its terms occur in.
 */
import { terms } from "./text";

/** A BM25 index: postings, document lengths and the Okapi parameters k1, b. */
export interface Bm25Index {
  /** term → documents it occurs in and its frequency there */
  postings: Map<string, { doc: Int32Array; tf: Int32Array }>;
  lengths: Float64Array;
  avgdl: number;
  N: number;
  k1: number;
  b: number;
}

/** Builds a BM25 index over documents (chunks of text). */
export function bm25Index(documents: string[], k1 = 1.2, b = 0.75): Bm25Index {
  const lists = new Map<string, { doc: number[]; tf: number[] }>();
  const lengths = new Float64Array(documents.length);
  documents.forEach((d, i) => {
    const tf = new Map<string, number>();
    for (const t of terms(d)) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, c] of tf) {
      let l = lists.get(t);
      if (!l) lists.set(t, (l = { doc: [], tf: [] }));
      l.doc.push(i);
      l.tf.push(c);
      lengths[i] += c;
    }
  });
  const postings = new Map([...lists].map(([t, l]) => [t, { doc: Int32Array.from(l.doc), tf: Int32Array.from(l.tf) }]));
  const avgdl = lengths.reduce((a, x) => a + x, 0) / Math.max(1, lengths.length);
  return { postings, lengths, avgdl, N: documents.length, k1, b };
}

/** BM25 scores of every document for a query. */
export function bm25Scores(index: Bm25Index, query: string): Float64Array {
  const { N, k1, b, lengths, avgdl } = index,
    out = new Float64Array(N);
  for (const t of new Set(terms(query))) {
    const p = index.postings.get(t);
    if (!p) continue;
    const idf = Math.log(1 + (N - p.doc.length + 0.5) / (p.doc.length + 0.5));
    for (let j = 0; j < p.doc.length; j++) {
      const i = p.doc[j],
        f = p.tf[j];
      out[i] += (idf * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * lengths[i]) / avgdl));
    }
  }
  return out;
}

/** Indices of the top-k documents by BM25 score (ties by position), best first. */
export function bm25Top(index: Bm25Index, query: string, k: number): number[] {
  const s = bm25Scores(index, query);
  return Array.from(s.keys())
    .sort((a, b) => s[b] - s[a] || a - b)
    .slice(0, k);
}
