/**
 * Downstream probes a window-limited reader can score on long text: a planted passkey to retrieve, and a cloze
 * question on one of the text's own sentences (its rarest word masked).
 * @see notebooks/09-semantic-compression.ipynb
 */
import { Rng } from "../rng";
import { nonceNames } from "./facts";
import { sentences, terms, tokenize } from "./text";

/** A long-text item: the text (sentences), the planted passkey and a cloze on a natural sentence. */
export interface ProbeItem { sentences: string[]; passkey: { name: string; code: string }; cloze: { tokens: string[]; mask: number; answer: string } }

/**
 * Takes a contiguous run of sentences of about `L` tokens from `text` starting at a random sentence, plants
 * "The passkey for <Name> is <5 digits>." at a random sentence boundary, and picks a cloze sentence
 * (≥ 10 tokens, not the passkey) whose rarest term within the run is masked.
 */
export function probeItem(rng: Rng, text: string, L: number, vocabulary: Set<string>): ProbeItem {
  const all = sentences(text), lens = all.map((s) => tokenize(s).length);
  const start = rng.int(Math.max(1, all.length - 5));
  const run: string[] = [];
  let n = 0;
  for (let i = start; n < L - 8; i = (i + 1) % all.length) { run.push(all[i]); n += lens[i]; }
  const name = nonceNames(rng, 1, vocabulary)[0], code = String(10000 + rng.int(90000));
  const at = rng.int(run.length + 1);
  run.splice(at, 0, `The passkey for ${name} is ${code}.`);
  const df = new Map<string, number>();
  for (const s of run) for (const t of new Set(terms(s))) df.set(t, (df.get(t) ?? 0) + 1);
  const candidates = run.map((s, i) => i).filter((i) => i !== at && tokenize(run[i]).length >= 10 && terms(run[i]).length > 0);
  const ci = candidates.length > 0 ? candidates[rng.int(candidates.length)] : (at === 0 ? 1 : 0);
  const tokens = tokenize(run[ci]);
  let mask = tokens.findIndex((t) => /[A-Za-z0-9]/.test(t)), best = Infinity;
  tokens.forEach((t, i) => { const d = df.get(t.toLowerCase()); if (d !== undefined && d < best) { best = d; mask = i; } });
  return { sentences: run, passkey: { name, code }, cloze: { tokens, mask, answer: tokens[mask] } };
}

/** The reader on a passkey question: scans its window (≤ W tokens, else it throws) for "passkey for <name> is <code>". */
export function readPasskey(window: string[], name: string, W: number): string | null {
  if (window.length > W) throw new Error(`reader given ${window.length} tokens, window is ${W}`);
  for (let i = 0; i + 3 < window.length; i++) if (window[i] === "passkey" && window[i + 1] === "for" && window[i + 2] === name && window[i + 3] === "is") return window[i + 4] ?? null;
  return null;
}

/** The reader on a cloze question: finds the sentence in its window (all tokens but the mask must match) and reads the masked word. */
export function readCloze(window: string[], cloze: { tokens: string[]; mask: number }, W: number): string | null {
  if (window.length > W) throw new Error(`reader given ${window.length} tokens, window is ${W}`);
  const m = cloze.tokens.length;
  outer: for (let i = 0; i + m <= window.length; i++) {
    for (let j = 0; j < m; j++) if (j !== cloze.mask && window[i + j] !== cloze.tokens[j]) continue outer;
    return window[i + cloze.mask];
  }
  return null;
}
