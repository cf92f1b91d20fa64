import assert from "node:assert/strict";
import { einsumReference, contract } from "./contract";
import { solveDP } from "./dp";
import { greedyTree } from "./greedy";
import { parseEinsum, randomSmallNetwork, type Network } from "./network";
import type { Tree } from "./tree";
import { initBackend, tf } from "../tensor";
import { rng, type Rng } from "../rng";

function randomData(r: Rng, net: Network): Float64Array[] {
  return net.inputs.map((op) =>
    Float64Array.from({ length: op.reduce((p, e) => p * net.size[e], 1) }, () => r.uniform() * 2 - 1),
  );
}

function run(net: Network, tree: Tree, data: Float64Array[]): Float32Array {
  const ts = net.inputs.map((op, i) =>
    tf.tensor(
      Float32Array.from(data[i]),
      op.map((e) => net.size[e]),
      "float32",
    ),
  );
  const out = contract(net, tree, ts);
  const v = out.dataSync() as Float32Array;
  tf.dispose([...ts, out]);
  return v;
}

describe("tensornet/contract: executing trees on tfjs", () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

  it("reference einsum: a 2×2 matrix product and a trace-free contraction, by hand", () => {
    const mm = parseEinsum("ab,bc->ac", { a: 2, b: 2, c: 2 });
    assert.deepEqual(
      [...einsumReference(mm, [Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8)])],
      [19, 22, 43, 50],
    );
    const dot = parseEinsum("a,a->", { a: 3 });
    assert.deepEqual([...einsumReference(dot, [Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)])], [32]);
  });

  it("the optimal and greedy trees give the reference einsum's tensor on 60 random networks", () => {
    const r = rng(5);
    for (let k = 0; k < 60; k++) {
      const net = randomSmallNetwork(r, 2 + r.int(5), { dMax: 3 });
      const data = randomData(r, net);
      const want = einsumReference(net, data);
      for (const tree of [solveDP(net, "oms").tree, solveDP(net, "cms", { outer: true }).tree, greedyTree(net)]) {
        const got = run(net, tree, data);
        assert.equal(got.length, want.length);
        const scale = Math.max(1, ...Array.from(want, Math.abs));
        want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= 1e-4 * scale, `net ${k}: ${got[i]} vs ${w}`));
      }
    }
  });

  it("respects the output order and checks shapes", () => {
    const net = parseEinsum("ab,bc->ca", { a: 2, b: 3, c: 4 });
    const r = rng(1),
      data = randomData(r, net);
    const got = run(net, [0, 1], data),
      want = einsumReference(net, data);
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-5));
    assert.throws(() => contract(net, [0, 1], [tf.zeros([2, 3]), tf.zeros([3, 5])]), /tensor 1 has shape \[3,5\]/);
  });
});
