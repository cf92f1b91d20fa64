import assert from "node:assert/strict";
import { greedyFast } from "./dp";
import { greedyTree } from "./greedy";
import { randomRegularNetwork, randomSmallNetwork, type Network } from "./network";
import { getSolver, registerSolver, solverNames } from "./solvers";
import { treeCost, treeToString, validateTree } from "./tree";
import { rng } from "../rng";

describe("tensornet/solvers: the registry", () => {
  it("refuses a duplicate name and names the known ones on a miss", () => {
    assert.throws(() => registerSolver("greedy", getSolver("greedy")), /already registered/);
    assert.throws(() => getSolver("nope"), /known: dp-oms, dp-cms, greedy/);
  });

  const r = rng(11);
  const nets: Network[] = [
    ...Array.from({ length: 40 }, () => randomSmallNetwork(r, 2 + r.int(6), { hyper: false })),
    ...Array.from({ length: 6 }, (_, k) => randomRegularNetwork(r, 8 + 2 * k, 3)),
  ];
  for (const name of solverNames()) {
    it(`${name}: returns a valid tree on every network it accepts; an optimal one never costs more than greedy`, () => {
      const s = getSolver(name);
      for (const net of nets) {
        if (net.inputs.length > s.maxTensors) continue;
        const t = s.solve(net);
        validateTree(t, net.inputs.length);
        if (s.optimal) {
          const g = treeCost(net, getSolver("greedy").solve(net))[s.optimal];
          assert.ok(treeCost(net, t)[s.optimal] <= g, `${name} on ${net.inputs.length} tensors`);
        }
      }
    });
  }

  it("the bitset greedy builds exactly the tree of the Set-based greedy", () => {
    const q = rng(12);
    for (let k = 0; k < 200; k++) {
      const net = k < 150 ? randomSmallNetwork(q, 2 + q.int(8)) : randomRegularNetwork(q, 10 + 2 * q.int(6), 3);
      assert.equal(treeToString(greedyFast(net)), treeToString(greedyTree(net)));
    }
  });
});
