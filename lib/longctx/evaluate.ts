/**
 * The experiment of notebook 04: accuracy of truncation, one-shot retrieval and dynamic editing (with its two
 * ablations) on independent item sets, one per seed, for a given document length and question shape.
 * @see notebooks/04-in-context-editing.ipynb
 */
import type { Rng } from "../rng";
import { multiHopItem, type ItemOptions } from "./facts";
import { answerByEditing, answerByRetrieval, answerByTruncation, chunkIndex, correct } from "./multihop";

/** One setting: document length L and the question shape (k hops, or a comparison of two chains). */
export interface Setting {
  L: number;
  hops: number | [number, number];
}

/** Accuracies of one seed's item set at one setting (fractions of `items` questions); a plain row for lib/table. */
export type EvalRow = {
  seed: number;
  L: number;
  shape: string;
  /** facts the answer needs: k for a chain, k_a + k_b + 2 for a comparison */
  facts: number;
  truncation: number;
  retrieval: number;
  editing: number;
  /** editing that searches only by canonical names (forgets the aliases it learnt) */
  editingNoAlias?: number;
  /** editing that retrieves for the whole question at every step instead of for the sub-question's entity */
  editingNoPlan?: number;
  /** mean tokens editing showed the reader, and the largest tokens read per reader call over the items */
  editingTokens: number;
  maxTokensPerCall: number;
};

/** Sizes and corpus of an evaluation. */
export interface EvalOptions {
  corpus: string[];
  vocabulary: Set<string>;
  W: number;
  /** per-fact misreading probability of the reader */
  eps: number;
  /** questions per seed */
  items: number;
  /** also run the two ablations of editing */
  ablations?: boolean;
  item?: Partial<Pick<ItemOptions, "aliasRate" | "aliasUse" | "distractors">>;
}

/**
 * For each seed s, `items` questions drawn from key/"items/<setting>/s"; each strategy's reader misreads from its
 * own stream key/"read/<strategy>/<setting>/s", so strategies do not share luck.
 */
export function evaluateMultiHop(setting: Setting, seeds: readonly number[], key: Rng, o: EvalOptions): EvalRow[] {
  const shape =
    typeof setting.hops === "number" ? `k=${setting.hops}` : `compare ${setting.hops[0]}+${setting.hops[1]}`;
  const tag = `L${setting.L}/${shape}`;
  return seeds.map((seed) => {
    const r = key.derive(`items/${tag}/${seed}`),
      read = (s: string) => key.derive(`read/${s}/${tag}/${seed}`);
    const [rt, rr, re, ra, rp] = ["truncation", "retrieval", "editing", "noalias", "noplan"].map(read);
    const acc = { truncation: 0, retrieval: 0, editing: 0, noAlias: 0, noPlan: 0, tokens: 0 };
    let facts = 0,
      maxPerCall = 0;
    for (let i = 0; i < o.items; i++) {
      const it = multiHopItem({
        rng: r,
        corpus: o.corpus,
        vocabulary: o.vocabulary,
        L: setting.L,
        hops: setting.hops,
        ...o.item,
      });
      const ci = chunkIndex(it.tokens);
      facts = it.facts;
      acc.truncation += +correct(it, answerByTruncation(it, o.W, rt, o.eps));
      acc.retrieval += +correct(it, answerByRetrieval(it, o.W, rr, o.eps, ci));
      const e = answerByEditing(it, o.W, re, o.eps, {}, ci);
      acc.editing += +correct(it, e);
      acc.tokens += e.tokensRead;
      maxPerCall = Math.max(maxPerCall, e.tokensRead / Math.max(1, e.calls));
      if (o.ablations) {
        acc.noAlias += +correct(it, answerByEditing(it, o.W, ra, o.eps, { carryAliases: false }, ci));
        acc.noPlan += +correct(it, answerByEditing(it, o.W, rp, o.eps, { decompose: false }, ci));
      }
    }
    const n = o.items;
    const row: EvalRow = {
      seed,
      L: setting.L,
      shape,
      facts,
      truncation: acc.truncation / n,
      retrieval: acc.retrieval / n,
      editing: acc.editing / n,
      editingTokens: acc.tokens / n,
      maxTokensPerCall: maxPerCall,
    };
    if (o.ablations) {
      row.editingNoAlias = acc.noAlias / n;
      row.editingNoPlan = acc.noPlan / n;
    }
    return row;
  });
}
