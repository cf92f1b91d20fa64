import assert from "node:assert/strict";
import { allTrees, bruteForce } from "./brute";
import { solveDP } from "./dp";
import { closeNetwork, parseEinsum, randomRegularNetwork, randomSmallNetwork, type Network } from "./network";
import { hasNoOuterProducts, treeCost, validateTree } from "./tree";
import { chain } from "./tree.test";
import { rng } from "../rng";

const searches = ["best-first", "capped"] as const;
const objectives = ["oms", "cms"] as const;

/** Is every index of the network reachable from tensor 0 through summed indices (no outer product needed)? */
function connected(net: Network): boolean {
  const out = new Set(net.output);
  const seen = new Set([0]), stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    net.inputs.forEach((op, j) => { if (!seen.has(j) && op.some((e) => !out.has(e) && net.inputs[i].includes(e))) { seen.add(j); stack.push(j); } });
  }
  return seen.size === net.inputs.length;
}

describe("tensornet/dp: exact DP", () => {
  it("matrix chain ab,bc,cd,de,ef,fg->ag (30,35,15,5,10,20,25): OMS optimum 15125", () => {
    for (const search of searches) {
      const r = solveDP(chain(), "oms", { search });
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
          const withOuter = solveDP(net, objective, { outer: true, search });
          validateTree(withOuter.tree, net.inputs.length);
          assert.equal(withOuter.cost, all[objective], `net ${k} ${objective} ${search} outer`);
          assert.equal(treeCost(net, withOuter.tree)[objective], withOuter.cost);
          const plain = solveDP(net, objective, { search });
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

  it("both searches agree on 18- and 20-tensor random regular networks, and 18 tensors solve in well under a second", () => {
    for (let s = 0; s < 3; s++) {
      const net = randomRegularNetwork(rng(100 + s), s === 2 ? 20 : 18, 3);
      for (const objective of objectives) {
        const t0 = performance.now();
        const a = solveDP(net, objective);
        const ms = performance.now() - t0;
        if (s < 2) assert.ok(ms < 1000, `${objective} took ${ms} ms`);
        const b = solveDP(net, objective, { search: "capped" });
        assert.equal(a.cost, b.cost);
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
        if (feasible.length === 0 || budget < cmsOpt) { assert.throws(() => solveDP(net, "oms", { maxStep: budget, outer: true, search }), /no contraction tree/); continue; }
        const d = solveDP(net, "oms", { maxStep: budget, outer: true, search });
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
    const big = parseEinsum(Array.from({ length: 33 }, () => "a").join(",") + "->", { a: 2 });
    assert.throws(() => solveDP(big, "oms"), /at most 32 tensors/);
  });
});
