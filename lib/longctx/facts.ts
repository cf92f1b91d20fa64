/**
 * The multi-hop benchmark of notebook 04: chains of "keeper" facts and comparison questions over two chains, hidden
 * in L tokens of real prose. Facts are stated in several paraphrases, some through a pronoun ("B walked the deck at
 * dawn. He was the keeper of A."), and an entity introduced with an alias ("B, known to the crew as K") may later be
 * named by its alias only, so that retrieval by the question's words can miss. Questions are planned into a DAG of
 * single-fact sub-questions (Fei et al. 2024, arXiv 2406.12331, §3: planning, then retrieval per sub-question).
 * @see notebooks/04-in-context-editing.ipynb
 */
import type { Rng } from "../rng";

/** Pronounceable nonce names from a seeded syllable generator, none of which occurs in `avoid` (lower case). */
export function nonceNames(rng: Rng, n: number, avoid: Set<string>): string[] {
  const on = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kl", "tr"],
    nu = ["a", "e", "i", "o", "u", "ai", "ou"];
  const out = new Set<string>();
  while (out.size < n) {
    let w = "";
    for (let s = 0; s < 3; s++) w += on[rng.int(on.length)] + nu[rng.int(nu.length)];
    w = w[0].toUpperCase() + w.slice(1);
    if (!avoid.has(w.toLowerCase())) out.add(w);
  }
  return [...out];
}

/** "…, known to the crew as K": the alias clause that binds K to the entity named just before it. */
export const ALIAS_CLAUSE = [",", "known", "to", "the", "crew", "as"];

/**
 * The tokens of the fact keeper(A) = B in paraphrase `form` (0–3): "The keeper of A is B ." / "B keeps A ." /
 * "A is kept by B ." / "B walked the deck at dawn . He was the keeper of A ." `a` and `b` are the mentions used
 * (a name or an alias); `aliasOfB`, if given, is introduced right after B's mention.
 */
export function keeperFact(a: string, b: string, form: number, aliasOfB?: string): string[] {
  const B = aliasOfB ? [b, ...ALIAS_CLAUSE, aliasOfB] : [b];
  const Bmid = aliasOfB ? [...B, ","] : B;
  switch (form) {
    case 0:
      return ["The", "keeper", "of", a, "is", ...B, "."];
    case 1:
      return [...Bmid, "keeps", a, "."];
    case 2:
      return [a, "is", "kept", "by", ...B, "."];
    default:
      return [...Bmid, "walked", "the", "deck", "at", "dawn", ".", "He", "was", "the", "keeper", "of", a, "."];
  }
}

/** The tokens of the attribute ships(X) = n in paraphrase `form` (0–2). */
export function shipsFact(x: string, n: number, form: number): string[] {
  switch (form) {
    case 0:
      return [x, "owns", String(n), "ships", "."];
    case 1:
      return ["The", "ships", "of", x, "number", String(n), "."];
    default:
      return [x, "had", String(n), "ships", "in", "the", "harbour", "."];
  }
}

/** Distracting relations: the keeper templates' shapes with another relation or verb. */
export const DISTRACTOR_RELATIONS = ["rival", "cousin", "neighbour"];
/** Verbs of the "B keeps A" shape that do not state a keeper. */
export const DISTRACTOR_VERBS = ["envies", "visits", "follows"];

/** A chain of `hops` keeper links from `start`. */
export interface Chain {
  start: string;
  hops: number;
}
/** A question: a k-hop chain ("Who is the keeper of … of A?") or a comparison of the ships of two chains' ends. */
export type Question = { kind: "chain"; chain: Chain } | { kind: "compare"; a: Chain; b: Chain };

const phrase = (c: Chain) => `${Array.from({ length: c.hops }, () => "the keeper of").join(" ")} ${c.start}`;

/** The question's text: "Who is the keeper of the keeper of A ?" or "Who has more ships , the keeper of A or the keeper of B ?" */
export function questionText(q: Question): string {
  return q.kind === "chain" ? `Who is ${phrase(q.chain)} ?` : `Who has more ships , ${phrase(q.a)} or ${phrase(q.b)} ?`;
}

/** One node of a plan: find the keeper or the ships of an entity (a literal or another node's answer), or compare two nodes. */
export type PlanNode =
  | { op: "keeper"; of: string | number }
  | { op: "ships"; of: number }
  | { op: "compare"; a: number; b: number; entities: [number, number] };

/**
 * The planner: parses a question of this benchmark's grammar into a DAG of sub-questions in topological order.
 * A chain becomes k keeper nodes, each taking the previous node's answer; a comparison becomes two chains, a ships
 * node at the end of each, and a compare node. Throws on any other question.
 */
export function plan(question: string): PlanNode[] {
  const chainOf = (np: string): Chain => {
    const m = /^((?:the keeper of )+)(\S+)$/.exec(np.trim());
    if (!m) throw new Error(`plan: cannot parse "${np}" as a chain of "the keeper of"`);
    return { start: m[2], hops: m[1].split("the keeper of").length - 1 };
  };
  const nodes: PlanNode[] = [];
  const addChain = (c: Chain) => {
    let prev: string | number = c.start;
    for (let h = 0; h < c.hops; h++) {
      nodes.push({ op: "keeper", of: prev });
      prev = nodes.length - 1;
    }
    return prev as number;
  };
  let m = /^Who is (.+) \?$/.exec(question);
  if (m) {
    addChain(chainOf(m[1]));
    return nodes;
  }
  m = /^Who has more ships , (.+) or (.+) \?$/.exec(question);
  if (!m) throw new Error(`plan: not a question of this benchmark: "${question}"`);
  const ea = addChain(chainOf(m[1])),
    eb = addChain(chainOf(m[2]));
  nodes.push({ op: "ships", of: ea });
  const sa = nodes.length - 1;
  nodes.push({ op: "ships", of: eb });
  const sb = nodes.length - 1;
  nodes.push({ op: "compare", a: sa, b: sb, entities: [ea, eb] });
  return nodes;
}

/** One benchmark item: the document, the question, its answer (and the answer's alias, also accepted). */
export interface MultiHopItem {
  tokens: string[];
  question: string;
  answer: string;
  /** names of the answer entity (canonical name, and its alias if it has one) */
  answerNames: string[];
  /** facts the answer needs (the sub-questions of the plan, less the comparison) */
  facts: number;
  /** token offsets of the needed facts, in document order, and where each ends (exclusive) */
  factPositions: number[];
  factEnds: number[];
}

/** Options of the generator: the corpus and its vocabulary, length L, the question, and how facts are stated. */
export interface ItemOptions {
  rng: Rng;
  corpus: string[];
  vocabulary: Set<string>;
  L: number;
  /** a chain of this many hops, or a comparison of two chains of these lengths */
  hops: number | [number, number];
  /** probability that an entity introduced by a fact also gets an alias (default 0.3) */
  aliasRate?: number;
  /** probability that a later mention of an aliased entity uses the alias (default 0.5) */
  aliasUse?: number;
  /** distracting facts (default 4 per needed fact) */
  distractors?: number;
}

/**
 * Builds an item: L tokens of real prose from a random offset of `corpus`, with the question's facts and distractors
 * inserted at uniformly random places (the next sentence boundary). Each keeper fact uses a random paraphrase; an object entity gets an alias
 * with probability `aliasRate`, introduced in the fact that names it, and each later mention of it uses the alias
 * with probability `aliasUse`. Distractors: the keeper relation between unrelated names, and other relations
 * (in both sentence shapes) about the question's own names, so neither the relation word nor the names alone
 * finds the evidence.
 */
export function multiHopItem(o: ItemOptions): MultiHopItem {
  const { rng } = o,
    aliasRate = o.aliasRate ?? 0.3,
    aliasUse = o.aliasUse ?? 0.5;
  const chains: Chain[] =
    typeof o.hops === "number"
      ? [{ start: "", hops: o.hops }]
      : [
          { start: "", hops: o.hops[0] },
          { start: "", hops: o.hops[1] },
        ];
  const nFacts = chains.reduce((a, c) => a + c.hops, 0) + (chains.length === 2 ? 2 : 0);
  const nd = o.distractors ?? 4 * nFacts;
  const names = nonceNames(rng, 2 * (nFacts + chains.length) + 3 * nd, o.vocabulary);
  let next = 0;
  const take = () => names[next++];
  const alias = new Map<string, string>();
  const mention = (x: string) => (alias.has(x) && rng.uniform() < aliasUse ? alias.get(x)! : x);
  const facts: { tokens: string[]; needed: boolean }[] = [],
    entities: string[] = [];
  const ends = chains.map((c) => {
    c.start = take();
    let x = c.start;
    entities.push(x);
    for (let h = 0; h < c.hops; h++) {
      const y = take(),
        k = rng.uniform() < aliasRate ? take() : undefined;
      facts.push({ tokens: keeperFact(mention(x), y, rng.int(4), k), needed: true });
      if (k) alias.set(y, k);
      x = y;
      entities.push(y);
    }
    return x;
  });
  let answer = ends[0];
  if (chains.length === 2) {
    const [na, nb] = [5 + rng.int(40), 5 + rng.int(40)];
    const nbb = nb === na ? na + 1 + rng.int(5) : nb;
    facts.push(
      { tokens: shipsFact(mention(ends[0]), na, rng.int(3)), needed: true },
      { tokens: shipsFact(mention(ends[1]), nbb, rng.int(3)), needed: true },
    );
    answer = na > nbb ? ends[0] : ends[1];
  }
  for (let d = 0; d < nd; d++) {
    const x = d % 2 === 0 ? take() : entities[rng.int(entities.length)],
      y = take();
    facts.push({
      tokens:
        d % 2 === 0
          ? keeperFact(x, y, rng.int(3))
          : rng.uniform() < 0.5
            ? ["The", DISTRACTOR_RELATIONS[rng.int(3)], "of", mention(x), "is", y, "."]
            : [y, DISTRACTOR_VERBS[rng.int(3)], mention(x), "."],
      needed: false,
    });
  }
  const fillLen = Math.max(1, o.L - facts.reduce((a, f) => a + f.tokens.length, 0));
  if (o.corpus.length < fillLen + 1) throw new Error(`corpus has ${o.corpus.length} tokens, item needs ${fillLen}`);
  const start = rng.int(o.corpus.length - fillLen),
    filler = o.corpus.slice(start, start + fillLen);
  // each fact goes to the first sentence boundary after a uniformly drawn token position, so that its place is
  // uniform in the text (drawing among boundaries would make positions follow the local density of sentences)
  const boundaries = [0, ...filler.flatMap((t, i) => (t === "." ? [i + 1] : []))];
  const slots = facts
    .map(() => {
      const u = rng.int(filler.length + 1);
      return boundaries.find((b) => b >= u) ?? boundaries[boundaries.length - 1];
    })
    .sort((a, b) => a - b);
  rng.shuffle(facts);
  const tokens: string[] = [],
    factPositions: number[] = [],
    factEnds: number[] = [];
  let prev = 0;
  facts.forEach((f, i) => {
    tokens.push(...filler.slice(prev, slots[i]));
    if (f.needed) {
      factPositions.push(tokens.length);
      factEnds.push(tokens.length + f.tokens.length);
    }
    tokens.push(...f.tokens);
    prev = slots[i];
  });
  tokens.push(...filler.slice(prev));
  const q: Question =
    chains.length === 1 ? { kind: "chain", chain: chains[0] } : { kind: "compare", a: chains[0], b: chains[1] };
  return {
    tokens,
    question: questionText(q),
    answer,
    answerNames: alias.has(answer) ? [answer, alias.get(answer)!] : [answer],
    facts: nFacts,
    factPositions,
    factEnds,
  };
}
