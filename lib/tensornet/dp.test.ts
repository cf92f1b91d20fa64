import assert from "node:assert/strict";
import { allTrees, bruteForce } from "./brute";
import { solveDP, type DPOptions } from "./dp";
import {
  closeNetwork,
  fromIndexLists,
  graphNetwork,
  parseEinsum,
  randomRegularNetwork,
  randomSmallNetwork,
  type Network,
} from "./network";
import { hasNoOuterProducts, treeCost, validateTree } from "./tree";
import { chain } from "./tree.test";
import { rng } from "../rng";

const searches = ["best-first", "capped", "wide"] as const;
/** Options for one of the three searches: one-word best-first, one-word capped, two-word best-first. */
const via = (s: (typeof searches)[number], o: DPOptions = {}): DPOptions =>
  s === "wide" ? { ...o, wide: true } : { ...o, search: s };
const objectives = ["oms", "cms"] as const;

/** Is every index of the network reachable from tensor 0 through summed indices (no outer product needed)? */
function connected(net: Network): boolean {
  const out = new Set(net.output);
  const seen = new Set([0]),
    stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    net.inputs.forEach((op, j) => {
      if (!seen.has(j) && op.some((e) => !out.has(e) && net.inputs[i].includes(e))) {
        seen.add(j);
        stack.push(j);
      }
    });
  }
  return seen.size === net.inputs.length;
}

describe("tensornet/dp: exact DP", () => {
  it("matrix chain ab,bc,cd,de,ef,fg->ag (30,35,15,5,10,20,25): OMS optimum 15125", () => {
    for (const search of searches) {
      const r = solveDP(chain(), "oms", via(search));
      assert.equal(r.cost, 15125);
      assert.equal(treeCost(chain(), r.tree).oms, 15125);
    }
  });

  it("equals brute force on 300 seeded random networks (both objectives, both searches, with and without outer products)", () => {
    const r = rng(2023);
    let connectedCount = 0;
    for (let k = 0; k < 300; k++) {
      const net = randomSmallNetwork(r, 2 + r.int(6)); // 2..7 tensors: ≤ 10 395 trees each
      const conn = connected(net);
      connectedCount += conn ? 1 : 0;
      for (const objective of objectives) {
        const all = bruteForce(net, objective, { outer: true })!;
        const noOuter = conn ? bruteForce(net, objective, { outer: false })! : null;
        for (const search of searches) {
          const withOuter = solveDP(net, objective, via(search, { outer: true }));
          validateTree(withOuter.tree, net.inputs.length);
          assert.equal(withOuter.cost, all[objective], `net ${k} ${objective} ${search} outer`);
          assert.equal(treeCost(net, withOuter.tree)[objective], withOuter.cost);
          const plain = solveDP(net, objective, via(search));
          assert.equal(treeCost(net, plain.tree)[objective], plain.cost);
          if (noOuter) {
            assert.equal(plain.cost, noOuter[objective], `net ${k} ${objective} ${search}`);
            assert.ok(hasNoOuterProducts(net, plain.tree));
          }
        }
      }
    }
    assert.ok(connectedCount > 150, `only ${connectedCount} connected networks`);
  });

  it("CMS → CMS-0: closing the open indices keeps the CMS optimum (brute force, 200 networks)", () => {
    const r = rng(7);
    for (let k = 0; k < 200; k++) {
      const net = randomSmallNetwork(r, 2 + r.int(5));
      assert.equal(bruteForce(closeNetwork(net), "cms")!.cms, bruteForce(net, "cms")!.cms, `net ${k}`);
    }
  });

  it("the three searches agree on 18- and 20-tensor random regular networks", () => {
    for (let s = 0; s < 3; s++) {
      const net = randomRegularNetwork(rng(100 + s), s === 2 ? 20 : 18, 3);
      for (const objective of objectives) {
        const a = solveDP(net, objective),
          b = solveDP(net, objective, { search: "capped" }),
          w = solveDP(net, objective, { wide: true });
        assert.equal(a.cost, b.cost);
        assert.equal(a.cost, w.cost);
        assert.equal(treeCost(net, a.tree)[objective], a.cost);
      }
    }
  });

  it("maxStep: OMS among trees whose every contraction fits a budget equals brute force (150 networks)", () => {
    const r = rng(99);
    for (let k = 0; k < 150; k++) {
      const net = randomSmallNetwork(r, 3 + r.int(4));
      const trees = allTrees(net);
      const cmsOpt = Math.min(...trees.map((t) => t.cms));
      const budget = k % 2 ? cmsOpt : Math.max(...trees.map((t) => t.cms)) / 2;
      const feasible = trees.filter((t) => t.cms <= budget);
      for (const search of searches) {
        if (feasible.length === 0 || budget < cmsOpt) {
          assert.throws(
            () => solveDP(net, "oms", via(search, { maxStep: budget, outer: true })),
            /no contraction tree/,
          );
          continue;
        }
        const d = solveDP(net, "oms", via(search, { maxStep: budget, outer: true }));
        assert.equal(d.cost, Math.min(...feasible.map((t) => t.oms)), `net ${k}`);
        assert.ok(treeCost(net, d.tree).cms <= budget);
      }
    }
  });

  it("a user cap below the optimum grows by netcon's rule and still finds the optimum", () => {
    const r = solveDP(chain(), "oms", { cap: 1 });
    assert.equal(r.cost, 15125);
    assert.ok(r.iterations > 1);
  });

  it("joins disconnected components by outer products, and refuses more than 32 tensors", () => {
    const net = parseEinsum("ab,bc,de,ef->acdf", { a: 2, b: 3, c: 2, d: 4, e: 5, f: 4 });
    const r = solveDP(net, "oms");
    assert.equal(r.cost, treeCost(net, r.tree).oms);
    assert.equal(r.cost, 12 + 80 + 64); // ab·bc (2·3·2), de·ef (4·5·4), then the 2×2 and 4×4 results' outer product
    const big = fromIndexLists(
      Array.from({ length: 65 }, () => ["a"]),
      [],
      { a: 2 },
    );
    assert.throws(() => solveDP(big, "oms"), /at most 64 tensors/);
  });

  it("beyond 32 tensors (two-word subsets): a 40-matrix chain matches the classic O(n³) matrix-chain recursion", () => {
    const r = rng(40);
    const p = Array.from({ length: 41 }, () => 2 + r.int(49)); // A_i is p[i-1] × p[i]
    const names = Array.from({ length: 41 }, (_, i) => `i${i}`);
    const net = fromIndexLists(
      Array.from({ length: 40 }, (_, i) => [names[i], names[i + 1]]),
      [names[0], names[40]],
      Object.fromEntries(names.map((e, i) => [e, p[i]])),
    );
    // m[i][j]: cheapest product of A_i..A_j (0-based, A_i = p[i] × p[i+1])
    const m = Array.from({ length: 40 }, () => new Array<number>(40).fill(0));
    for (let len = 2; len <= 40; len++)
      for (let i = 0; i + len - 1 < 40; i++) {
        const j = i + len - 1;
        m[i][j] = Infinity;
        for (let k = i; k < j; k++) m[i][j] = Math.min(m[i][j], m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]);
      }
    const d = solveDP(net, "oms");
    assert.equal(d.cost, m[0][39]);
    assert.equal(treeCost(net, d.tree).oms, m[0][39]);
  });

  it("beyond 32 tensors: a closed ring of 40 2×2 matrices has OMS 38·8 + 4 and CMS 8", () => {
    const ring = graphNetwork(
      40,
      Array.from({ length: 40 }, (_, i) => [i, (i + 1) % 40] as [number, number]),
      2,
    );
    assert.equal(solveDP(ring, "oms").cost, 38 * 8 + 4);
    assert.equal(solveDP(ring, "cms").cost, 8);
  });
});
