import assert from "node:assert/strict";
import { rng } from "../rng";
import { compress, cosine, probeItem, readCloze, readPasskey, segment, sentences, stateOfTheUnion, tfidf, tokenize } from "./index";

const whales = ["The whale rose beside the ship at dawn.", "Harpoons flew as the whale dove under the ship.", "The crew chased the whale across the sea.",
  "Another whale spouted near the ship's bow.", "The whale struck the ship and the crew shouted."];
const taxes = ["Congress must lower the tariff on imported goods.", "The tariff revenue funds the treasury this year.", "Taxes and the tariff burden farmers in every state.",
  "The treasury reports a surplus from the tariff.", "We ask Congress to reform taxes and the treasury."];

describe("longctx/compress", () => {
  it("tf-idf vectors are unit length and a sentence is most similar to itself", () => {
    const { vecs } = tfidf([...whales, ...taxes]);
    for (const v of vecs) assert.ok(Math.abs(cosine(v, v) - 1) < 1e-12);
    assert.ok(cosine(vecs[0], vecs[1]) > cosine(vecs[0], vecs[6]));
  });
  it("segmentation cuts at the topic change", () => {
    const { vecs } = tfidf([...whales, ...taxes]);
    assert.deepEqual(segment(vecs, 2, 2, 2), [0, 5]);
  });
  it("respects the budget, keeps sentence order, drops redundancy before information", () => {
    const text = [...whales, "The whale rose beside the ship at dawn.", "Ishmael signed aboard the Pequod at Nantucket in December.", ...taxes].join(" ");
    const c = compress(text, 60, { segmentTokens: 1000 });
    assert.ok(c.tokensOut <= 60 && tokenize(c.text).length <= 60);
    assert.deepEqual(c.kept, [...c.kept].sort((a, b) => a - b));
    assert.equal(c.text, c.kept.map((i) => c.sentences[i]).join(" "));
    assert.ok(c.kept.includes(6), "the one sentence with unique content is kept");
    assert.ok(!(c.kept.includes(0) && c.kept.includes(5)), "an exact duplicate is not kept twice");
    assert.equal(compress("Short text. Fits.", 100).text, "Short text. Fits.");
  });
});

describe("longctx/probes", () => {
  const text = stateOfTheUnion().find((a) => a.year === 1962)!.text;
  const vocab = new Set(tokenize(text).map((t) => t.toLowerCase()));
  it("builds seeded items whose passkey and cloze are answerable from the full text", () => {
    const a = probeItem(rng(2), text, 1500, vocab), b = probeItem(rng(2), text, 1500, vocab);
    assert.deepEqual(a, b);
    const all = tokenize(a.sentences.join(" "));
    assert.ok(Math.abs(all.length - 1500) < 80, `${all.length}`);
    assert.equal(readPasskey(all, a.passkey.name, Infinity), a.passkey.code);
    assert.equal(readCloze(all, a.cloze, Infinity), a.cloze.answer);
  });
  it("the reader refuses more than W tokens", () => {
    assert.throws(() => readPasskey(new Array(600).fill("x"), "Bob", 512), /window is 512/);
  });
  it("sentences of the item are real sentences of the address (plus the passkey)", () => {
    const a = probeItem(rng(4), text, 800, vocab), real = new Set(sentences(text));
    assert.equal(a.sentences.filter((s) => !real.has(s)).length, 1);
  });
});
