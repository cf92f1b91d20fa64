/**
 * The experiment of notebook 09: a window-limited reader's accuracy on three probes after truncation, the semantic
 * compressor, random selection and top-IDF selection at the same budget W, and the multi-document coverage of the
 * compressor with and without its topic graph; one row per seed and length.
 * @see notebooks/09-semantic-compression.ipynb
 */
import type { Rng } from "../rng";
import { compress, information, selectRandom, selectTopIdf, textRank, tfidf, type Compressed } from "./compress";
import { coverage, multiDocItem, probeItem, readCloze, readCode, readPasskey } from "./probes";
import { tokenize } from "./text";

/** The selections compared, all given the same budget of W tokens. */
export const SELECTIONS = ["truncation", "compression", "random", "top-IDF"] as const;
/** One of SELECTIONS. */
export type Selection = (typeof SELECTIONS)[number];
/** The probes: a natural-sentence cloze, the typical-word passkey, and the rare-word passkey of the first revision. */
export const PROBES = ["cloze", "typical passkey", "rare passkey"] as const;
/** One of PROBES. */
export type Probe = (typeof PROBES)[number];

/** One seed at one length: accuracy per selection and probe, coverage, and checks on every compression. */
export type CompressionRow = {
  seed: number;
  ratio: number;
  /** accuracy[selection][probe] over the seed's items */
  accuracy: Record<Selection, Record<Probe, number>>;
  /** multi-document coverage: compression, compression with one topic (no topic graph), and two random selections */
  coverage: { compression: number; oneTopic: number; random: number; random2: number };
  /** mean input/output tokens of the compressor, and whether every output kept order and fitted W */
  compressionRatio: number;
  ordered: boolean;
  fits: boolean;
  /** mean percentile rank (0 = top) of each probe's sentence under the top-IDF score and under TextRank */
  idfRank: Record<Probe, number>;
  textRankRank: Record<Probe, number>;
};

/** Sizes of the experiment. */
export interface CompressionEvalOptions {
  texts: readonly string[];
  vocabulary: Set<string>;
  W: number;
  items: number;
}

/**
 * For each seed s and length L = ratio·W: `items` probe items from key/"items/ratio/s" (passages of random texts) and
 * as many multi-document items of 2·ratio + 2 documents; random selection draws from key/"random/ratio/s".
 */
export function evaluateCompression(
  ratio: number,
  seeds: readonly number[],
  key: Rng,
  o: CompressionEvalOptions,
): CompressionRow[] {
  const { W } = o;
  return seeds.map((seed) => {
    const r = key.derive(`items/${ratio}/${seed}`),
      rr = key.derive(`random/${ratio}/${seed}`);
    const acc = Object.fromEntries(
      SELECTIONS.map((s) => [s, Object.fromEntries(PROBES.map((p) => [p, 0]))]),
    ) as CompressionRow["accuracy"];
    const ranks = {
      idf: Object.fromEntries(PROBES.map((p) => [p, 0])) as Record<Probe, number>,
      tr: Object.fromEntries(PROBES.map((p) => [p, 0])) as Record<Probe, number>,
    };
    const cov = { compression: 0, oneTopic: 0, random: 0, random2: 0 };
    let ratioSum = 0,
      ordered = true,
      fits = true;
    const check = (c: Compressed) => {
      ordered &&=
        c.kept.every((k, j) => j === 0 || c.kept[j - 1] < k) && c.text === c.kept.map((k) => c.sentences[k]).join(" ");
      fits &&= tokenize(c.text).length <= W;
    };
    for (let i = 0; i < o.items; i++) {
      const it = probeItem(r, o.texts[r.int(o.texts.length)], ratio * W, o.vocabulary);
      const comp = compress(it.sentences, W);
      check(comp);
      ratioSum += comp.tokensIn / Math.max(1, comp.tokensOut);
      const windows: Record<Selection, string[]> = {
        truncation: tokenize(it.sentences.join(" ")).slice(0, W),
        compression: tokenize(comp.text),
        random: tokenize(selectRandom(it.sentences, W, rr).text),
        "top-IDF": tokenize(selectTopIdf(it.sentences, W).text),
      };
      for (const s of SELECTIONS) {
        const w = windows[s];
        acc[s].cloze += +(readCloze(w, it.cloze, W) === it.cloze.answer);
        acc[s]["typical passkey"] += +((readCode(w, W) ?? []).join(" ") === it.code.words.join(" "));
        acc[s]["rare passkey"] += +(readPasskey(w, it.passkey.name, W) === it.passkey.code);
      }
      const { vecs, idf } = tfidf(it.sentences),
        info = it.sentences.map((x) => information(x, idf)),
        tr = textRank(vecs);
      const pct = (score: ArrayLike<number>, j: number) =>
        Array.from(score).filter((x) => x > score[j]).length / score.length;
      const at: Record<Probe, number> = {
        cloze: it.cloze.at,
        "typical passkey": it.code.at,
        "rare passkey": it.passkey.at,
      };
      for (const p of PROBES) {
        ranks.idf[p] += pct(info, at[p]) / o.items;
        ranks.tr[p] += pct(tr, at[p]) / o.items;
      }
      const md = multiDocItem(r, o.texts, ratio * W, 2 * ratio + 2);
      cov.compression += coverage(md, compress(md.sentences, W).kept) / o.items;
      cov.oneTopic += coverage(md, compress(md.sentences, W, { topicTokens: Infinity }).kept) / o.items;
      cov.random += coverage(md, selectRandom(md.sentences, W, rr).kept) / o.items;
      cov.random2 += coverage(md, selectRandom(md.sentences, W, rr).kept) / o.items;
    }
    for (const s of SELECTIONS) for (const p of PROBES) acc[s][p] /= o.items;
    return {
      seed,
      ratio,
      accuracy: acc,
      coverage: cov,
      compressionRatio: ratioSum / o.items,
      ordered,
      fits,
      idfRank: ranks.idf,
      textRankRank: ranks.tr,
    };
  });
}

/**
 * Usable length: the largest L/W of the sweep up to which accuracy stays at least 90% of its value at the first
 * (smallest) L/W, for every length in between.
 */
export function usableLength(ratios: readonly number[], accuracy: readonly number[]): number {
  let u = ratios[0];
  for (let i = 0; i < ratios.length; i++) {
    if (accuracy[i] >= 0.9 * accuracy[0]) u = ratios[i];
    else break;
  }
  return u;
}
