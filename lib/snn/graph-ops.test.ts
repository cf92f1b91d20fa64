import assert from "node:assert/strict";
import { spikingGcnCost, gcnCost, spikingGatCost, gatCost, opCount, energyNJ } from "./graph-ops";

describe("snn/graph-ops", () => {
  // N = 10 nodes, nnz(A + I) = 30, 6 binary features with 12 ones; 2 layers of width 4, 3 classes, T = 2
  const g = { N: 10, nnz: 30, inDim: 6, nnzX: 12 };
  const part = (c: ReturnType<typeof opCount>, name: string) =>
    c.rows.find((r) => r.part === name) ?? { acs: 0, macs: 0 };

  it("charges a 0/1 input layer nnz(X)·C accumulates in the GCN, and N·F·C MACs only when asked to (the old artefact)", () => {
    const c = gcnCost(g, { hidden: 4, classes: 3, layers: 2 });
    assert.deepEqual(part(c, "input layer (W x)"), { part: "input layer (W x)", acs: 12 * 4, macs: 0 });
    assert.deepEqual(part(c, "hidden layers (W h)").macs, 10 * 4 * 4);
    assert.equal(part(c, "propagation: additions").acs, 2 * 30 * 4);
    assert.equal(part(c, "propagation: degree scalings").macs, 2 * 2 * 10 * 4);
    assert.equal(c.acs, 12 * 4 + 2 * 10 * 4 + 2 * 30 * 4 + 10 * 3);
    assert.equal(c.macs, 10 * 4 * 4 + 2 * 2 * 10 * 4 + 10 * 4 * 3);
    assert.equal(
      part(gcnCost(g, { hidden: 4, classes: 3, layers: 2 }, { inputAsDense: true }), "input layer (W x)").macs,
      10 * 6 * 4,
    );
    assert.equal(
      part(gcnCost({ ...g, nnzX: undefined }, { hidden: 4, classes: 3, layers: 1 }), "input layer (W x)").macs,
      10 * 6 * 4,
      "real features",
    );
  });

  it("charges the spiking GCN per step for propagation, STFN and membranes, and per spike for W s", () => {
    // direct coding: the 12 input ones arrive at both steps (24 spikes); 15 spikes leave layer 1, 9 leave layer 2
    const s = { T: 2, spikesIn: [24, 15], spikesOut: 9 };
    const c = spikingGcnCost(g, { hidden: 4, classes: 3, layers: 2, stfn: true }, s);
    assert.equal(part(c, "input layer (W x)").acs, 24 * 4);
    assert.equal(part(c, "hidden layers (W s)").acs, 15 * 4);
    assert.equal(part(c, "propagation: additions").acs, 2 * 2 * 30 * 4);
    assert.equal(part(c, "STFN").macs, 2 * (2 * 2 * 10 * 4 + 2 * 10 * 4));
    assert.equal(part(c, "STFN").acs, 2 * 2 * 10 * 4);
    assert.equal(part(c, "neurons (LIF)").macs, 2 * 2 * 10 * 4);
    assert.deepEqual(part(c, "readout"), { part: "readout", acs: 9 * 3, macs: 10 * 3 });
    // the constant input current of direct coding, counted once: layer 1's W x, bias, propagation and STFN at one step
    const once = spikingGcnCost(g, { hidden: 4, classes: 3, layers: 2, stfn: true }, s, { constantInput: true });
    assert.equal(part(once, "input layer (W x)").acs, 12 * 4);
    assert.equal(part(once, "propagation: additions").acs, (1 + 2) * 30 * 4);
    assert.equal(part(once, "STFN").acs, (1 + 2) * 10 * 4);
    assert.equal(part(once, "neurons (LIF)").macs, part(c, "neurons (LIF)").macs);
    const plain = spikingGcnCost(g, { hidden: 4, classes: 3, layers: 2, stfn: false }, s);
    assert.equal(plain.macs, c.macs - part(c, "STFN").macs);
    // the same network counted at T = 1 with the same spikes costs the GCN's propagation once per layer
    const one = spikingGcnCost(g, { hidden: 4, classes: 3, layers: 2, stfn: false }, { ...s, T: 1 });
    assert.equal(
      part(one, "propagation: additions").acs,
      part(gcnCost(g, { hidden: 4, classes: 3, layers: 2 }), "propagation: additions").acs,
    );
  });

  it("counts attention per head and step; the bilinear score costs a dot product per edge", () => {
    const cfg = { heads: 2, headDim: 3, classes: 3, layers: 1 };
    const c = gatCost(g, cfg);
    assert.deepEqual(part(c, "attention scores"), {
      part: "attention scores",
      acs: 2 * 30,
      macs: 2 * (2 * 10 * 3 + 30),
    });
    assert.equal(part(c, "attention aggregation (Σ α h)").macs, 2 * 30 * 3);
    const b = spikingGatCost(g, { ...cfg, score: "bilinear", stfn: false }, { T: 2, spikesIn: [24], spikesOut: 5 });
    assert.equal(part(b, "attention scores").macs, 2 * 2 * (10 * 3 + 30 * 3));
    assert.equal(part(b, "input layer (W x)").acs, 24 * 6);
  });

  it("merges parts by name and prices them at 0.9 pJ per AC, 4.6 pJ per MAC", () => {
    const c = opCount([
      { part: "a", acs: 1000, macs: 0 },
      { part: "b", acs: 0, macs: 1000 },
      { part: "a", acs: 1000, macs: 0 },
    ]);
    assert.equal(c.rows.length, 2);
    assert.ok(Math.abs(energyNJ(c) - (2000 * 0.9 + 1000 * 4.6) / 1000) < 1e-9);
  });
});
