/**
 * pytest's `-k EXPR` over notebooks and cells: words joined by `and`, `or`, `not` and parentheses, each word
 * matching (case-insensitively, as a substring) one of an item's names. A notebook's names are its path and
 * file stem; a cell's are its notebook's, plus `cellN` (1-based), its id and its tags.
 * @see https://docs.pytest.org/en/stable/how-to/usage.html#specifying-which-tests-to-run
 */

type Expr = { word: string } | { not: Expr } | { and: [Expr, Expr] } | { or: [Expr, Expr] };

/** A `-k` expression that cannot be parsed. */
export class SelectError extends Error {}

function tokenize(s: string): string[] {
  return s.match(/\(|\)|[^\s()]+/g) ?? [];
}

/** Parses a `-k` expression (pytest's grammar: or < and < not < word | ( expr )). */
export function parseSelection(text: string): Expr {
  const t = tokenize(text);
  let i = 0;
  const peek = () => t[i];
  const expr = (): Expr => {
    let left = term();
    while (peek() === "or") {
      i++;
      left = { or: [left, term()] };
    }
    return left;
  };
  const term = (): Expr => {
    let left = factor();
    while (peek() === "and") {
      i++;
      left = { and: [left, factor()] };
    }
    return left;
  };
  const factor = (): Expr => {
    const tok = t[i++];
    if (tok === undefined) throw new SelectError(`-k ${JSON.stringify(text)}: expression ends too early`);
    if (tok === "not") return { not: factor() };
    if (tok === "(") {
      const e = expr();
      if (t[i++] !== ")") throw new SelectError(`-k ${JSON.stringify(text)}: missing ")"`);
      return e;
    }
    if (tok === ")" || tok === "and" || tok === "or")
      throw new SelectError(`-k ${JSON.stringify(text)}: unexpected "${tok}"`);
    return { word: tok.toLowerCase() };
  };
  const e = expr();
  if (i < t.length) throw new SelectError(`-k ${JSON.stringify(text)}: unexpected "${t[i]}"`);
  return e;
}

/** True when the expression holds for an item with these names. */
export function matches(e: Expr, names: string[]): boolean {
  if ("word" in e) return names.some((n) => n.toLowerCase().includes(e.word));
  if ("not" in e) return !matches(e.not, names);
  if ("and" in e) return matches(e.and[0], names) && matches(e.and[1], names);
  return matches(e.or[0], names) || matches(e.or[1], names);
}

/** A notebook's names for `-k`. */
export function notebookNames(rel: string, stem: string): string[] {
  return [rel, stem];
}

/** A cell's own names for `-k` (add its notebook's). */
export function cellNames(index: number, id: string, tags: string[]): string[] {
  return [`cell${index + 1}`, id, ...tags];
}
