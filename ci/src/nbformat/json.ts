/**
 * Where JSON text stops being JSON, as line and column (1-based) and a reason in words. V8's own JSON.parse
 * messages name a position only sometimes ("Unexpected token 'x', "…" is not valid JSON" does not), so a
 * malformed notebook or config would otherwise be reported without saying where. RFC 8259's grammar.
 */

export interface JsonProblem {
  line: number;
  column: number;
  offset: number;
  reason: string;
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | undefined {
  let i = 0;
  class Stop extends Error {
    constructor(
      readonly at: number,
      readonly reason: string,
    ) {
      super(reason);
    }
  }
  const found = () => (i >= text.length ? "the end of the text" : `${JSON.stringify(text[i])}`);
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected}, found ${found()}`);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const lit = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("a value");
  };
  const str = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(i, "a string is not closed");
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c < " ") throw new Stop(i, "a control character in a string (write it escaped, e.g. \\n)");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            throw new Stop(i, "a \\u escape needs four hex digits");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, `an invalid escape \\${e ?? ""} in a string`);
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (!m) fail("a value");
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        str();
        ws();
        if (text[i] !== ":") fail("':' after a property name");
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("',' or '}' after a property");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("',' or ']' after an element");
      }
    }
    if (c === '"') str();
    else if (c === "t") lit("true");
    else if (c === "f") lit("false");
    else if (c === "n") lit("null");
    else if (c === "-" || (c >= "0" && c <= "9")) num();
    else fail("a value");
  };
  try {
    // JSON.parse, like Python's json, rejects a byte-order mark; some Windows editors write one
    if (text.charCodeAt(0) === 0xfeff)
      throw new Stop(0, "a byte-order mark (U+FEFF) before the JSON: save the file as UTF-8 without BOM");
    value();
    ws();
    if (i < text.length) fail("the end of the text after the value");
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at);
    const line = before.split("\n").length;
    return { offset: e.at, line, column: e.at - before.lastIndexOf("\n"), reason: e.reason };
  }
}

/** "malformed JSON at FILE:LINE:COLUMN: reason" (or "at line L, column C" without a file), for a parse error of `text`. */
export function malformedJson(text: string, err: unknown, file?: string): string {
  const p = jsonProblem(text);
  if (!p) return `malformed JSON: ${(err as Error).message.split("\n")[0]}`;
  return `malformed JSON at ${file ? `${file}:${p.line}:${p.column}` : `line ${p.line}, column ${p.column}`}: ${p.reason}`;
}
