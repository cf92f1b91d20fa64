import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  answerByEditing, answerByRetrieval, answerByTruncation, bm25Index, bm25Scores, bm25Top, chunk, decompose, detokenize,
  hopQuestion, mobyDick, multiHopItem, readWindow, sentences, tokenize, WindowExceeded,
} from "./index";

describe("longctx/text", () => {
  it("tokenizes words and punctuation and joins them back", () => {
    assert.deepEqual(tokenize("Call me Ishmael. Don't!"), ["Call", "me", "Ishmael", ".", "Don't", "!"]);
    assert.equal(detokenize(["Call", "me", "Ishmael", "."]), "Call me Ishmael.");
  });
  it("splits sentences", () => {
    assert.deepEqual(sentences("It rained. Then it stopped! Did it? Yes."), ["It rained.", "Then it stopped!", "Did it?", "Yes."]);
  });
  it("reads Moby Dick from the npm package (≈ 0.5 million tokens)", () => {
    const n = tokenize(mobyDick()).length;
    assert.ok(n > 400000 && n < 700000, `${n}`);
  });
});

describe("longctx/bm25", () => {
  it("scores by the Okapi formula on a hand case", () => {
    const idx = bm25Index(["whale whale ship", "ship sea", "sea sky"]);
    const s = bm25Scores(idx, "whale");
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)), dl = 3, avgdl = 7 / 3;
    const expected = idf * (2 * 2.2) / (2 + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl));
    assert.ok(Math.abs(s[0] - expected) < 1e-12, `${s[0]} vs ${expected}`);
    assert.equal(s[1], 0);
    assert.deepEqual(bm25Top(idx, "sea sky", 2), [2, 1]);
  });
});

describe("longctx/multihop", () => {
  const corpus = tokenize(mobyDick()).slice(0, 60000);
  const vocabulary = new Set(corpus.map((t) => t.toLowerCase()));
  it("questions decompose into start entity and hop count", () => {
    assert.deepEqual(decompose(hopQuestion("Zorba", 3)), { start: "Zorba", hops: 3 });
  });
  it("items are seeded, have length ≈ L, and are solvable by reading the whole document", () => {
    const a = multiHopItem({ rng: rng(3), corpus, vocabulary, L: 2000, hops: 4 });
    const b = multiHopItem({ rng: rng(3), corpus, vocabulary, L: 2000, hops: 4 });
    assert.deepEqual(a, b);
    assert.ok(Math.abs(a.tokens.length - 2000) < 10, `${a.tokens.length}`);
    assert.equal(readWindow(a.tokens, a.question, Infinity), a.answer);
    for (const p of a.factPositions) assert.equal(a.tokens[p + 1], "keeper");
  });
  it("the reader never sees more than W tokens", () => {
    const it = multiHopItem({ rng: rng(5), corpus, vocabulary, L: 1000, hops: 2 });
    assert.throws(() => readWindow(it.tokens, it.question, 256), WindowExceeded);
    for (const f of [answerByTruncation, answerByRetrieval, answerByEditing]) assert.doesNotThrow(() => f(it, 256));
  });
  it("overlapping chunks keep every fact whole", () => {
    const it = multiHopItem({ rng: rng(9), corpus, vocabulary, L: 3000, hops: 5 });
    const chunks = chunk(it.tokens, 32);
    for (const p of it.factPositions) {
      const fact = it.tokens.slice(p, p + 7).join(" ");
      assert.ok(chunks.some((c) => c.join(" ").includes(fact)), fact);
    }
  });
  it("truncation answers exactly when every fact lies inside the window", () => {
    const r = rng(12);
    for (let i = 0; i < 20; i++) {
      const it = multiHopItem({ rng: r, corpus, vocabulary, L: 600, hops: 2 });
      const room = 256 - tokenize(it.question).length;
      const inside = it.factPositions.every((p) => p + 7 <= room);
      assert.equal(answerByTruncation(it, 256).answer === it.answer, inside);
    }
  });
  it("editing answers a 5-hop question in a document 20 windows long while reading a fraction of it", () => {
    const it = multiHopItem({ rng: rng(21), corpus, vocabulary, L: 256 * 20, hops: 5 });
    const e = answerByEditing(it, 256);
    assert.equal(e.answer, it.answer);
    assert.ok(e.tokensRead < 0.3 * it.tokens.length, `${e.tokensRead}`);
  });
});
