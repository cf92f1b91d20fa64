import assert from "node:assert/strict";
import { solveDP } from "./dp";
import { bruteForce } from "./brute";
import { graphNetwork } from "./network";
import { completeGraph, cycleGraph, gridGraph, lineGraph, treewidth, type Graph } from "./treewidth";

describe("tensornet/treewidth", () => {
  it("known treewidths: path 1, cycle 2, ladder 2, 3×3 grid 3, 3×4 grid 3, K5 4", () => {
    assert.equal(treewidth(gridGraph(1, 6)), 1);
    assert.equal(treewidth(cycleGraph(7)), 2);
    assert.equal(treewidth(gridGraph(2, 5)), 2);
    assert.equal(treewidth(gridGraph(3, 3)), 3);
    assert.equal(treewidth(gridGraph(3, 4)), 3);
    assert.equal(treewidth(completeGraph(5)), 4);
  });
  it("line graphs: L(C_n) = C_n, L(K4) is the octahedron (treewidth 4)", () => {
    assert.equal(lineGraph(cycleGraph(6)).edges.length, 6);
    assert.equal(treewidth(lineGraph(completeGraph(4))), 4);
  });
  it("closed uniform networks: log_d CMS = tw(L(G)) + 1 (Markov & Shi), brute force on small graphs and DP on larger", () => {
    const d = 2;
    const check = (g: Graph, useBrute: boolean) => {
      const net = graphNetwork(g.n, g.edges, d);
      const cms = useBrute ? bruteForce(net, "cms", { outer: false })!.cms : solveDP(net, "cms").cost;
      assert.equal(Math.log2(cms), treewidth(lineGraph(g)) + 1, JSON.stringify(g));
    };
    for (const g of [cycleGraph(4), cycleGraph(6), gridGraph(2, 3), completeGraph(4), gridGraph(2, 4)]) check(g, true);
    for (const g of [cycleGraph(10), gridGraph(2, 6), gridGraph(3, 4), completeGraph(5)]) check(g, false);
  });
});
