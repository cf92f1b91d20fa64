/**
 * Downstream probes a window-limited reader can score on long text (notebook 09). Two of them cannot be given away
 * by word rarity: a cloze on a random natural sentence with a random content word masked, and a passkey made of typical
 * words of the passage, drawn in proportion to their frequency, riding on a natural sentence ("…; we must remember
 * nation trade congress ."). The third, a passkey with a
 * nonce name and five digits, is the first revision's probe, kept as the case rarity does give away. A multi-document
 * item asks whether each source document is still represented after compression.
 * @see notebooks/09-semantic-compression.ipynb
 */
import type { Rng } from "../rng";
import { nonceNames } from "./facts";
import { sentences, terms, tokenize } from "./text";

/** A long-text item: its sentences, the three probes, and the index of each planted or chosen sentence. */
export interface ProbeItem {
  sentences: string[];
  /** rare-word passkey: "The passkey for <Name> is <5 digits>." */
  passkey: { name: string; code: string; at: number };
  /** typical-word passkey: a natural sentence extended by "; we must remember w1 w2 w3 ." (words drawn by their frequency in the passage) */
  code: { words: string[]; at: number };
  /** cloze on a natural sentence: its tokens, the masked position, the answer */
  cloze: { tokens: string[]; mask: number; answer: string; at: number };
}

/** A contiguous run of sentences of about `L` tokens from `text`, from a random sentence on (wrapping around). */
export function passage(rng: Rng, text: string, L: number): string[] {
  const { all, lens } = split(text);
  const run: string[] = [];
  let n = 0;
  for (let i = rng.int(all.length); n < L; i = (i + 1) % all.length) {
    run.push(all[i]);
    n += lens[i];
  }
  return run;
}

// sentence splits of the corpus texts, computed once per text (the corpora are immutable strings)
const splits = new Map<string, { all: string[]; lens: number[] }>();
function split(text: string) {
  let s = splits.get(text);
  if (!s) {
    const all = sentences(text);
    s = { all, lens: all.map((x) => tokenize(x).length) };
    splits.set(text, s);
  }
  return s;
}

/**
 * Builds an item of about `L` tokens: a passage of `text` with the rare-word passkey planted at a random sentence
 * boundary, the typical-word passkey appended to a random natural sentence, and a cloze on a random natural sentence of at least 10 tokens, whose masked word is a random content word
 * (not chosen by rarity).
 */
export function probeItem(rng: Rng, text: string, L: number, vocabulary: Set<string>): ProbeItem {
  const run = passage(rng, text, L - 16);
  // typical words: content words drawn in proportion to their frequency in the passage (neither rare nor the commonest)
  const pool = run.flatMap((s) => terms(s).filter((t) => t.length > 3 && !/\d/.test(t)));
  const words = Array.from({ length: 3 }, () => pool[rng.int(pool.length)]);
  const name = nonceNames(rng, 1, vocabulary)[0],
    digits = String(10000 + rng.int(90000));
  run.splice(rng.int(run.length + 1), 0, `The passkey for ${name} is ${digits}.`);
  const isPasskey = (s: string) => s.startsWith("The passkey for ");
  const natural = run
    .map((_, i) => i)
    .filter((i) => !isPasskey(run[i]) && tokenize(run[i]).length >= 10 && terms(run[i]).length > 0);
  // the code rides on a natural sentence (typical length and words): "<sentence> ; we must remember w1 w2 w3 ."
  const carrier = natural.length ? natural[rng.int(natural.length)] : run.findIndex((s) => !isPasskey(s));
  run[carrier] = `${run[carrier].replace(/[.!?]+["”’)]*$/, "")} ; we must remember ${words.join(" ")} .`;
  const candidates = natural.filter((i) => i !== carrier);
  const at = candidates.length
    ? candidates[rng.int(candidates.length)]
    : run.findIndex((s, i) => i !== carrier && !isPasskey(s));
  const tokens = tokenize(run[at]);
  const content = tokens.map((_, i) => i).filter((i) => terms(tokens[i]).length > 0);
  const mask = content[rng.int(content.length)];
  return {
    sentences: run,
    passkey: { name, code: digits, at: run.findIndex(isPasskey) },
    code: { words, at: carrier },
    cloze: { tokens, mask, answer: tokens[mask], at },
  };
}

/** Throws unless the reader's window holds at most W tokens. */
function limit(window: readonly string[], W: number): void {
  if (window.length > W) throw new Error(`reader given ${window.length} tokens, window is ${W}`);
}

/** The reader on the rare-word passkey: scans its window for "passkey for <name> is <code>". */
export function readPasskey(window: readonly string[], name: string, W: number): string | null {
  limit(window, W);
  for (let i = 0; i + 4 < window.length; i++)
    if (window[i] === "passkey" && window[i + 1] === "for" && window[i + 2] === name && window[i + 3] === "is")
      return window[i + 4];
  return null;
}

/** The reader on the typical-word passkey: reads the three words after "we must remember". */
export function readCode(window: readonly string[], W: number): string[] | null {
  limit(window, W);
  for (let i = 0; i + 5 < window.length; i++)
    if (window[i] === "we" && window[i + 1] === "must" && window[i + 2] === "remember")
      return window.slice(i + 3, i + 6);
  return null;
}

/** The reader on a cloze: finds the sentence in its window (all tokens but the mask must match) and reads the masked word. */
export function readCloze(
  window: readonly string[],
  cloze: { tokens: string[]; mask: number },
  W: number,
): string | null {
  limit(window, W);
  const m = cloze.tokens.length;
  outer: for (let i = 0; i + m <= window.length; i++) {
    for (let j = 0; j < m; j++) if (j !== cloze.mask && window[i + j] !== cloze.tokens[j]) continue outer;
    return window[i + cloze.mask];
  }
  return null;
}

/** A multi-document item: sentences of several documents one after another, and each sentence's document. */
export interface MultiDocItem {
  sentences: string[];
  doc: Int32Array;
  docs: number;
}

/**
 * Concatenates passages of `docs` different texts into about `L` tokens; their lengths are shares drawn from a flat
 * Dirichlet (so some documents are short), at least two sentences each.
 */
export function multiDocItem(rng: Rng, texts: readonly string[], L: number, docs: number): MultiDocItem {
  const pick = rng.permutation(texts.length).slice(0, docs),
    w = Array.from({ length: docs }, () => -Math.log(1 - rng.uniform()));
  const z = w.reduce((a, b) => a + b, 0),
    out: string[] = [],
    doc: number[] = [];
  pick.forEach((t, d) => {
    const run = passage(rng, texts[t], Math.max(1, Math.round((L * w[d]) / z)));
    const sents = run.length >= 2 ? run : passage(rng, texts[t], 60).slice(0, 2);
    for (const s of sents) {
      out.push(s);
      doc.push(d);
    }
  });
  return { sentences: out, doc: Int32Array.from(doc), docs };
}

/** Fraction of an item's documents with at least one sentence among `kept`. */
export function coverage(item: MultiDocItem, kept: readonly number[]): number {
  return new Set(kept.map((i) => item.doc[i])).size / item.docs;
}
