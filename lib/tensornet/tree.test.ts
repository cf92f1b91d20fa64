import assert from "node:assert/strict";
import { parseEinsum } from "./network";
import { pathToTree, treeCost, treeToPath, treeToString, validateTree } from "./tree";

/** The CLRS matrix chain: A1..A6 of sizes 30×35, 35×15, 15×5, 5×10, 10×20, 20×25. */
export const chain = () => parseEinsum("ab,bc,cd,de,ef,fg->ag", { a: 30, b: 35, c: 15, d: 5, e: 10, f: 20, g: 25 });

describe("tensornet/tree: costs by hand", () => {
  it("a 3-chain of 10×10 matrices", () => {
    const n = parseEinsum("ab,bc,cd->ad", { a: 10, b: 10, c: 10, d: 10 });
    const c = treeCost(n, [[0, 1], 2]);
    assert.equal(c.oms, 2000);
    assert.equal(c.cms, 1000);
  });
  it("CLRS parenthesisation ((A1(A2A3))((A4A5)A6)) costs 15125 multiply-adds", () => {
    // 35·15·5 + 30·35·5 + 5·10·20 + 5·20·25 + 30·5·25 = 2625 + 5250 + 1000 + 2500 + 3750
    const c = treeCost(chain(), [
      [0, [1, 2]],
      [[3, 4], 5],
    ]);
    assert.equal(c.oms, 15125);
    assert.equal(c.cms, 5250);
    assert.equal(
      treeCost(chain(), [[[[[0, 1], 2], 3], 4], 5]).oms,
      30 * 35 * 15 + 30 * 15 * 5 + 30 * 5 * 10 + 30 * 10 * 20 + 30 * 20 * 25,
    );
  });
  it("an index only one tensor carries is summed in the leaf, free of charge", () => {
    const n = parseEinsum("abx,bc->ac", { a: 2, b: 3, c: 4, x: 100 });
    assert.equal(treeCost(n, [0, 1]).oms, 24);
  });
  it("a batch index shared with the output stays", () => {
    const n = parseEinsum("zab,zbc->zac", { z: 5, a: 2, b: 3, c: 4 });
    const c = treeCost(n, [0, 1]);
    assert.equal(c.oms, 120);
    assert.deepEqual([...c.steps[0].result].sort(), ["a", "c", "z"]);
  });
  it("validates trees and converts them to opt_einsum linear paths", () => {
    assert.throws(() => validateTree([0, 0], 2), /twice/);
    assert.throws(() => validateTree([0, 1], 3), /2 leaves but the network has 3/);
    assert.deepEqual(treeToPath([[0, 1], 2]), [
      [0, 1],
      [0, 1],
    ]);
    assert.deepEqual(
      treeToPath([
        [0, 3],
        [1, 2],
      ]),
      [
        [0, 3],
        [0, 1],
        [0, 1],
      ],
    );
    // opt_einsum's docstring: ssa_to_linear([(0, 3), (2, 4), (1, 5)]) == [(0, 3), (1, 2), (0, 1)]
    assert.deepEqual(treeToPath([1, [2, [0, 3]]]), [
      [0, 3],
      [1, 2],
      [0, 1],
    ]);
  });
  it("reads opt_einsum linear paths back into trees (path → tree → path is the identity)", () => {
    assert.equal(
      treeToString(
        pathToTree(
          [
            [0, 1],
            [0, 1],
          ],
          3,
        ),
      ),
      "(2,(0,1))",
    );
    for (const path of [
      [
        [0, 3],
        [1, 2],
        [0, 1],
      ],
      [
        [1, 2],
        [0, 2],
        [0, 1],
      ],
      [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    ])
      assert.deepEqual(treeToPath(pathToTree(path, 4)), path);
    assert.equal(treeToString(pathToTree([[1], [0, 1]], 2)), "(0,1)"); // a single-operand step only moves it to the end
    assert.throws(() => pathToTree([[0, 5]], 3), /operand 5 of 3/);
    assert.throws(() => pathToTree([[0, 1]], 3), /leaves 2 operands/);
  });
});
