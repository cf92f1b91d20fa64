import assert from "node:assert/strict";
import { rng } from "../rng";
import {
  answerByEditing,
  answerByRetrieval,
  answerByTruncation,
  bm25Index,
  bm25Scores,
  bm25Top,
  chunkIndex,
  correct,
  detokenize,
  evaluateMultiHop,
  extract,
  keeperFact,
  mobyDick,
  multiHopItem,
  plan,
  readWindow,
  retrieve,
  sentences,
  shipsFact,
  SPAN_BREAK,
  tokenize,
  understand,
  WindowExceeded,
} from "./index";

describe("longctx/text", () => {
  it("tokenizes words and punctuation and joins them back", () => {
    assert.deepEqual(tokenize("Call me Ishmael. Don't!"), ["Call", "me", "Ishmael", ".", "Don't", "!"]);
    assert.equal(detokenize(["Call", "me", "Ishmael", "."]), "Call me Ishmael.");
  });
  it("splits sentences", () => {
    assert.deepEqual(sentences("It rained. Then it stopped! Did it? Yes."), [
      "It rained.",
      "Then it stopped!",
      "Did it?",
      "Yes.",
    ]);
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
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)),
      dl = 3,
      avgdl = 7 / 3;
    const expected = (idf * (2 * 2.2)) / (2 + 1.2 * (1 - 0.75 + (0.75 * dl) / avgdl));
    assert.ok(Math.abs(s[0] - expected) < 1e-12, `${s[0]} vs ${expected}`);
    assert.equal(s[1], 0);
    assert.deepEqual(bm25Top(idx, "sea sky", 2), [2, 1]);
  });
});

describe("longctx/multihop", () => {
  const corpus = tokenize(mobyDick()).slice(0, 60000);
  const vocabulary = new Set(corpus.map((t) => t.toLowerCase()));
  it("the planner turns chains and comparisons into DAGs of sub-questions", () => {
    assert.deepEqual(plan("Who is the keeper of the keeper of Zorba ?"), [
      { op: "keeper", of: "Zorba" },
      { op: "keeper", of: 0 },
    ]);
    const p = plan("Who has more ships , the keeper of Ab or the keeper of the keeper of Cd ?");
    assert.deepEqual(
      p.map((n) => n.op),
      ["keeper", "keeper", "keeper", "ships", "ships", "compare"],
    );
    assert.throws(() => plan("What is the keeper?"), /not a question/);
  });
  it("the reader understands every paraphrase, alias clause and the pronoun form, and nothing across a span break", () => {
    const w = [
      ...keeperFact("Ab", "Bo", 0, "Ko"),
      ...keeperFact("Ko", "Cu", 1),
      ...keeperFact("Cu", "Da", 3),
      ...keeperFact("Da", "Ev", 2),
      ...shipsFact("Ev", 12, 1),
      ...keeperFact("Xy", "Zu", 3).slice(0, 7),
      SPAN_BREAK,
      ...keeperFact("Xy", "Zu", 3).slice(7),
    ];
    const u = understand(w);
    assert.deepEqual(
      [...u.keeper],
      [
        ["Ab", "Bo"],
        ["Ko", "Cu"],
        ["Cu", "Da"],
        ["Da", "Ev"],
      ],
    );
    assert.equal(u.alias.get("Bo"), "Ko");
    assert.equal(u.ships.get("Ev"), 12);
    assert.equal(extract(u, "keeper", ["Bo"], rng(1), 0).answer, "Cu", "Bo is found by its alias Ko");
  });
  it("items are seeded, have length ≈ L, and the reader answers them from the whole document (ε = 0)", () => {
    const a = multiHopItem({ rng: rng(3), corpus, vocabulary, L: 2000, hops: 4 });
    assert.deepEqual(a, multiHopItem({ rng: rng(3), corpus, vocabulary, L: 2000, hops: 4 }));
    assert.ok(Math.abs(a.tokens.length - 2000) < 10, `${a.tokens.length}`);
    const r = rng(4);
    for (let i = 0; i < 30; i++) {
      const it = multiHopItem({
        rng: r,
        corpus,
        vocabulary,
        L: 1500,
        hops: i % 3 === 0 ? [1 + (i % 2), 2] : 1 + (i % 5),
      });
      assert.ok(it.answerNames.includes(readWindow(it.tokens, it.question, Infinity, r, 0) ?? ""), it.question);
    }
  });
  it("a misreading reader errs at rate ε per fact", () => {
    const it = multiHopItem({ rng: rng(5), corpus, vocabulary, L: 400, hops: 1 }),
      r = rng(6);
    let wrong = 0;
    for (let i = 0; i < 2000; i++) wrong += +(readWindow(it.tokens, it.question, Infinity, r, 0.2) !== it.answer);
    assert.ok(Math.abs(wrong / 2000 - 0.2) < 0.03, `${wrong / 2000}`);
  });
  it("the reader never sees more than W tokens", () => {
    const it = multiHopItem({ rng: rng(5), corpus, vocabulary, L: 1000, hops: 2 });
    assert.throws(() => readWindow(it.tokens, it.question, 256, rng(1)), WindowExceeded);
    const ci = chunkIndex(it.tokens);
    for (const a of [
      answerByTruncation(it, 256, rng(1)),
      answerByRetrieval(it, 256, rng(1), 0, ci),
      answerByEditing(it, 256, rng(1), 0, {}, ci),
    ])
      assert.ok(a.tokensRead <= a.calls * 256);
  });
  it("retrieval pages through the ranking and keeps every fact whole in some chunk", () => {
    const it = multiHopItem({ rng: rng(9), corpus, vocabulary, L: 3000, hops: 5 });
    const ci = chunkIndex(it.tokens),
      shown = new Set<number>();
    const a = retrieve(ci, "whale", 200, shown),
      b = retrieve(ci, "whale", 200, shown);
    assert.ok(a.length <= 200 && b.length <= 200 && a.join(" ") !== b.join(" "));
    for (const [k, p] of it.factPositions.entries()) {
      const fact = it.tokens.slice(p, it.factEnds[k]).join(" ");
      assert.ok(
        ci.starts.some((s) =>
          it.tokens
            .slice(s, s + ci.size)
            .join(" ")
            .includes(fact),
        ),
        fact,
      );
    }
  });
  it("truncation answers (ε = 0) exactly when every needed fact lies inside the window", () => {
    const r = rng(12);
    for (let i = 0; i < 20; i++) {
      const it = multiHopItem({ rng: r, corpus, vocabulary, L: 500, hops: 2, aliasRate: 0 });
      const room = 256 - tokenize(it.question).length;
      const inside = it.factEnds.every((e) => e <= room);
      assert.equal(correct(it, answerByTruncation(it, 256, r)), inside, it.tokens.slice(0, room).join(" "));
    }
  });
  it("editing answers 5-hop chains and comparisons in documents 20 windows long; without aliases it loses some", () => {
    const rows = evaluateMultiHop({ L: 256 * 20, hops: 5 }, [0], rng(21), {
      corpus,
      vocabulary,
      W: 256,
      eps: 0,
      items: 10,
      ablations: true,
    });
    assert.equal(rows[0].editing, 1);
    assert.ok(rows[0].retrieval < 0.5 && rows[0].editingNoAlias! < 1, JSON.stringify(rows[0]));
    assert.equal(
      evaluateMultiHop({ L: 256 * 20, hops: [2, 1] }, [0], rng(22), { corpus, vocabulary, W: 256, eps: 0, items: 5 })[0]
        .editing,
      1,
    );
  });
});
