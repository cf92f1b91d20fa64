/**
 * The reader that stands in for a context-limited LLM in notebook 04. It sees at most W tokens and knows nothing
 * outside them. Within its window it reads every paraphrase of the benchmark's facts, binds aliases from "known to
 * the crew as" clauses, and resolves "He" to the man who "walked the deck at dawn" in the sentence before, if that
 * sentence is in view. It is fallible: each fact it extracts is misread with probability ε (it then answers with
 * another name in view), so a chain of k extractions is right with probability (1 − ε)^k at best.
 * @see notebooks/04-in-context-editing.ipynb
 */
import type { Rng } from "../rng";
import { ALIAS_CLAUSE, plan, type PlanNode } from "./facts";
import { tokenize } from "./text";

/** Thrown when a strategy hands the reader more than its window. */
export class WindowExceeded extends Error {}

/** Token that separates non-adjacent spans in a window: no sentence runs across it. */
export const SPAN_BREAK = "|";

/** What the reader understood of a window: keeper and ships facts, aliases, and the names it could misread as. */
export interface Understanding {
  keeper: Map<string, string>;
  ships: Map<string, number>;
  /** alias → entity and entity → alias, as bound by alias clauses in view */
  alias: Map<string, string>;
  names: string[];
}

const isName = (t: string | undefined) => t !== undefined && /^[A-Z][a-z]+$/.test(t) && t !== "He" && t !== "The";

/** Parses a window into facts (all paraphrases, alias clauses, the pronoun form). Pure: no errors are made here. */
export function understand(window: readonly string[]): Understanding {
  const u: Understanding = { keeper: new Map(), ships: new Map(), alias: new Map(), names: [] };
  const names = new Set<string>();
  let prev: string[] | null = null;
  let sent: string[] = [];
  const flush = () => {
    let s = sent;
    for (let i = 1; i + ALIAS_CLAUSE.length < s.length; i++) {
      if (ALIAS_CLAUSE.every((w, j) => s[i + j] === w) && isName(s[i - 1]) && isName(s[i + ALIAS_CLAUSE.length])) {
        const e = s[i - 1],
          a = s[i + ALIAS_CLAUSE.length];
        u.alias.set(a, e);
        u.alias.set(e, a);
        const end = i + ALIAS_CLAUSE.length + 1;
        s = [...s.slice(0, i), ...s.slice(s[end] === "," ? end + 1 : end)];
      }
    }
    let matched = true;
    const m = (pattern: (string | null)[]) =>
      s.length === pattern.length
      && pattern.every((w, j) => (w === null ? isName(s[j]) || /^\d+$/.test(s[j]) : s[j] === w));
    if (m(["The", "keeper", "of", null, "is", null])) u.keeper.set(s[3], s[5]);
    else if (m([null, "keeps", null])) u.keeper.set(s[2], s[0]);
    else if (m([null, "is", "kept", "by", null])) u.keeper.set(s[0], s[4]);
    else if (m(["He", "was", "the", "keeper", "of", null])) {
      if (prev && prev.length === 6 && isName(prev[0]) && prev[1] === "walked" && prev[5] === "dawn")
        u.keeper.set(s[5], prev[0]);
    } else if (m([null, "owns", null, "ships"])) u.ships.set(s[0], Number(s[2]));
    else if (m(["The", "ships", "of", null, "number", null])) u.ships.set(s[3], Number(s[5]));
    else if (m([null, "had", null, "ships", "in", "the", "harbour"])) u.ships.set(s[0], Number(s[2]));
    else matched = false;
    // names a misreading can produce: any capitalised word inside a sentence, and the subject of a fact
    for (let j = matched ? 0 : 1; j < s.length; j++) if (isName(s[j])) names.add(s[j]);
    prev = s;
    sent = [];
  };
  for (const t of window) {
    if (t === SPAN_BREAK) {
      if (sent.length) flush();
      prev = null;
      continue;
    }
    if (t === ".") {
      flush();
      continue;
    }
    sent.push(t);
  }
  if (sent.length) flush();
  u.names = [...names];
  return u;
}

/** An entity as the reader knows it: all the names it goes by. */
export type Names = readonly string[];

/** The names of an entity given the aliases in view: its own names plus any alias clause's partner. */
export function namesInView(names: Names, u: Understanding): string[] {
  const out = new Set(names);
  for (const n of names) {
    const a = u.alias.get(n);
    if (a) out.add(a);
  }
  return [...out];
}

/** The reader's answer to one sub-question, and the names the answer entity goes by in view. */
export interface Extraction {
  answer: string | null;
  names: string[];
  misread: boolean;
}

/**
 * Extracts one fact about `names` from an understood window: its keeper, or its number of ships. With probability
 * ε the reader misreads: a keeper question then gets another name in view (null if there is none), a ships question
 * no number. Returns null when no fact about the entity is in view.
 */
export function extract(u: Understanding, op: "keeper" | "ships", names: Names, rng: Rng, eps: number): Extraction {
  const known = namesInView(names, u);
  let found: string | null = null;
  for (const n of known) {
    const v = op === "keeper" ? u.keeper.get(n) : u.ships.get(n);
    if (v !== undefined) {
      found = String(v);
      break;
    }
  }
  if (found === null) return { answer: null, names: [], misread: false };
  if (eps > 0 && rng.uniform() < eps) {
    if (op === "ships") return { answer: null, names: [], misread: true };
    const others = u.names.filter((x) => x !== found && !known.includes(x));
    const wrong = others.length ? others[rng.int(others.length)] : null;
    return { answer: wrong, names: wrong ? [wrong] : [], misread: true };
  }
  return { answer: found, names: op === "keeper" ? namesInView([found], u) : [], misread: false };
}

/** Checks the reader's window limit: context + question must fit in W tokens. */
export function checkWindow(context: readonly string[], question: string, W: number): void {
  const n = context.length + tokenize(question).length;
  if (n > W) throw new WindowExceeded(`reader given ${n} tokens, window is ${W}`);
}

/**
 * The reader answering a whole question from one window (truncation, one-shot retrieval): it plans the question
 * and executes every sub-question against the same window, each extraction fallible. Returns the answer or null.
 */
export function readWindow(window: readonly string[], question: string, W: number, rng: Rng, eps = 0): string | null {
  checkWindow(window, question, W);
  const u = understand(window);
  return executePlan(plan(question), (node, names) => extract(u, node.op as "keeper" | "ships", names, rng, eps))
    .answer;
}

/** Runs a plan, asking `ask` for each keeper/ships node (given the names of the entity it is about). */
export function executePlan(
  nodes: PlanNode[],
  ask: (node: PlanNode, names: Names, index: number) => Extraction,
): { answer: string | null; calls: number } {
  const results: Extraction[] = [];
  let calls = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.op === "compare") {
      const [a, b] = [Number(results[n.a].answer), Number(results[n.b].answer)];
      const ok = results[n.a].answer !== null && results[n.b].answer !== null;
      return { answer: ok ? results[n.entities[a > b ? 0 : 1]].answer : null, calls };
    }
    const names = typeof n.of === "string" ? [n.of] : results[n.of].names;
    if (names.length === 0) return { answer: null, calls };
    calls++;
    const r = ask(n, names, i);
    results.push(r);
    if (r.answer === null) return { answer: null, calls };
  }
  return { answer: results[results.length - 1].answer, calls };
}
