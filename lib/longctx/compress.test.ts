import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  compress,
  cosine,
  coverage,
  multiDocItem,
  probeItem,
  readCloze,
  readCode,
  readPasskey,
  selectRandom,
  selectTopIdf,
  sentenceBlocks,
  sentences,
  similarities,
  spectralClusters,
  stateOfTheUnion,
  textRank,
  tfidf,
  tokenize,
  topicGraph,
  usableLength,
} from "./index";

const whales = [
  "The whale rose beside the ship at dawn.",
  "Harpoons flew as the whale dove under the ship.",
  "The crew chased the whale across the sea.",
  "Another whale spouted near the ship's bow.",
  "The whale struck the ship and the crew shouted.",
];
const taxes = [
  "Congress must lower the tariff on imported goods.",
  "The tariff revenue funds the treasury this year.",
  "Taxes and the tariff burden farmers in every state.",
  "The treasury reports a surplus from the tariff.",
  "We ask Congress to reform taxes and the treasury.",
];

describe("longctx/compress", () => {
  it("tf-idf vectors are unit length and a sentence is most similar to itself", () => {
    const { vecs } = tfidf([...whales, ...taxes]);
    for (const v of vecs) assert.ok(Math.abs(cosine(v, v) - 1) < 1e-12);
    assert.ok(cosine(vecs[0], vecs[1]) > cosine(vecs[0], vecs[6]));
  });
  it("the topic graph splits whales from taxes by spectral clustering; TextRank is a distribution", () => {
    const { vecs } = tfidf([...whales, ...taxes]);
    const labels = spectralClusters(topicGraph(vecs, 3), 10, 2);
    assert.equal(new Set(labels.slice(0, 5)).size, 1);
    assert.equal(new Set(labels.slice(5)).size, 1);
    assert.notEqual(labels[0], labels[5]);
    const tr = textRank(similarities(vecs));
    assert.ok(Math.abs(tr.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.deepEqual(sentenceBlocks([5, 5, 5, 5, 2], 10), [
      [0, 1],
      [2, 3, 4],
    ]);
  });
  it("compression and the controls respect the budget and keep sentence order; short text passes through", () => {
    const text = [
      ...whales,
      "Ishmael signed aboard the Pequod at Nantucket in December.",
      ...taxes,
      ...whales.map((s) => s.replace("whale", "beast")),
    ];
    for (const c of [compress(text, 60, { topicTokens: 40 }), selectRandom(text, 60, rng(1)), selectTopIdf(text, 60)]) {
      assert.ok(c.tokensOut <= 60 && tokenize(c.text).length <= 60);
      assert.deepEqual(
        c.kept,
        [...c.kept].sort((a, b) => a - b),
      );
      assert.equal(c.text, c.kept.map((i) => c.sentences[i]).join(" "));
    }
    const c = compress(text, 60, { topicTokens: 40 });
    assert.ok(c.topics >= 2 && new Set(c.kept.map((i) => c.topic[i])).size >= 2, "more than one topic is represented");
    assert.equal(compress("Short text. Fits.", 100).text, "Short text. Fits.");
  });
});

describe("longctx/probes", () => {
  const texts = stateOfTheUnion()
    .filter((a) => a.year >= 1960)
    .map((a) => a.text);
  const vocab = new Set(tokenize(texts.join(" ")).map((t) => t.toLowerCase()));
  it("builds seeded items whose three probes are answerable from the full text", () => {
    const a = probeItem(rng(2), texts[3], 1500, vocab),
      b = probeItem(rng(2), texts[3], 1500, vocab);
    assert.deepEqual(a, b);
    const all = tokenize(a.sentences.join(" "));
    assert.ok(Math.abs(all.length - 1500) < 80, `${all.length}`);
    assert.equal(readPasskey(all, a.passkey.name, Infinity), a.passkey.code);
    assert.deepEqual(readCode(all, Infinity), a.code.words);
    assert.equal(readCloze(all, a.cloze, Infinity), a.cloze.answer);
    assert.notEqual(a.cloze.at, a.code.at);
  });
  it("the reader refuses more than W tokens", () => {
    assert.throws(() => readPasskey(new Array(600).fill("x"), "Bob", 512), /window is 512/);
  });
  it("items are real sentences of the address, plus the passkey and the extended carrier", () => {
    const a = probeItem(rng(4), texts[0], 800, vocab),
      real = new Set(sentences(texts[0]));
    assert.equal(a.sentences.filter((s) => !real.has(s)).length, 2);
  });
  it("multi-document items label each sentence's document; coverage counts documents kept", () => {
    const md = multiDocItem(rng(5), texts, 2000, 5);
    assert.equal(new Set(md.doc).size, 5);
    assert.equal(
      coverage(
        md,
        md.sentences.map((_, i) => i),
      ),
      1,
    );
    assert.equal(coverage(md, [0]), 0.2);
  });
  it("usable length is the last L/W before accuracy drops below 90% of its first value", () => {
    assert.equal(usableLength([1, 2, 4, 8], [1, 0.95, 0.8, 0.99]), 2);
    assert.equal(usableLength([1, 2, 4], [0.5, 0.5, 0.5]), 4);
  });
});
