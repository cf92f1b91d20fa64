import assert from "node:assert/strict";
import { closeNetwork, fromIndexLists, NetworkError, parseEinsum, randomRegularNetwork, toEinsum } from "./network";
import { rng } from "../rng";

describe("tensornet/network: parsing", () => {
  it("parses explicit and implicit einsum", () => {
    const n = parseEinsum("ab,bc->ac", { a: 2, b: 3, c: 4 });
    assert.deepEqual(n.inputs, [
      ["a", "b"],
      ["b", "c"],
    ]);
    assert.deepEqual(n.output, ["a", "c"]);
    assert.deepEqual(parseEinsum("ba,cb", { a: 2, b: 3, c: 4 }).output, ["a", "c"]); // numpy: once-used, sorted
    assert.deepEqual(parseEinsum("ab,ab", { a: 2, b: 3 }).output, []);
  });
  it("takes shapes instead of a size dict", () => {
    const n = parseEinsum("ab, bc -> ca", [
      [2, 3],
      [3, 5],
    ]);
    assert.deepEqual(n.size, { a: 2, b: 3, c: 5 });
    assert.equal(toEinsum(n), "ab,bc->ca");
  });
  const bad: [string, () => unknown, RegExp][] = [
    ["repeated output index", () => parseEinsum("ab,bc->aca", { a: 2, b: 2, c: 2 }), /output: index "a" is repeated/],
    ["unknown output index", () => parseEinsum("ab,bc->ad", { a: 2, b: 2, c: 2 }), /output: index "d" does not appear/],
    [
      "dimension mismatch",
      () =>
        parseEinsum("ab,bc->ac", [
          [2, 3],
          [4, 5],
        ]),
      /index "b" has dimension 3 .* but 4 in operand 1/,
    ],
    ["empty operand", () => parseEinsum("ab,,bc->ac", { a: 2, b: 2, c: 2 }), /operand 1 is empty/],
    ["bad character", () => parseEinsum("ab,b1->a", { a: 2, b: 2 }), /operand 1 \("b1"\) has the character "1"/],
    ["bad output character", () => parseEinsum("ab,bc->a.", { a: 2, b: 2, c: 2 }), /output has the character "\."/],
    ["index twice in an operand", () => parseEinsum("aab->b", { a: 2, b: 2 }), /operand 0: index "a" appears twice/],
    ["missing size", () => parseEinsum("ab,bc->ac", { a: 2, b: 2 }), /index "c" \(operand 1\) has no size/],
    ["non-integer size", () => fromIndexLists([["i", "j"]], ["i"], { i: 2, j: 2.5 }), /index "j" has size 2.5/],
    ["no tensors", () => fromIndexLists([], [], {}), /at least one tensor/],
    ["shape rank", () => parseEinsum("ab,bc->ac", [[2, 3], [3]]), /operand 1 \("bc"\) has 2 indices but shape \[3\]/],
    ["two arrows", () => parseEinsum("ab->b->a", { a: 2, b: 2 }), /more than one "->"/],
  ];
  for (const [what, f, msg] of bad)
    it(`rejects: ${what}`, () =>
      assert.throws(f, (e: unknown) => e instanceof NetworkError && msg.test((e as Error).message)));
});

describe("tensornet/network: CMS-0 closure and generators", () => {
  it("closes the open indices with one extra tensor", () => {
    const n = closeNetwork(parseEinsum("ab,bc->ac", { a: 2, b: 3, c: 4 }));
    assert.deepEqual(n.inputs, [
      ["a", "b"],
      ["b", "c"],
      ["a", "c"],
    ]);
    assert.deepEqual(n.output, []);
  });
  it("random regular networks are reg-regular with nOut open indices", () => {
    const n = randomRegularNetwork(rng(3), 18, 3, { nOut: 2 });
    assert.equal(n.inputs.length, 18);
    assert.equal(n.output.length, 2);
    const degrees = n.inputs.map((op) => op.filter((e) => !n.output.includes(e)).length);
    assert.ok(degrees.every((d) => d === 3));
    assert.ok(Object.values(n.size).every((d) => d >= 2 && d <= 4));
  });
});
