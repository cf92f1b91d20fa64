import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../rng";
import { csbm, nodeSplit } from "../graph/csbm";
import { edgeCount } from "../graph/csr";
import { trainNodeClassifier } from "../graph/train";
import { depthSweep, codingSweep, graphShape, withoutEdges, type GraphTask } from "./graph-experiment";
import { compareModels, bySeed } from "./graph-compare";
import { gcnCost } from "./graph-ops";
import { arctan } from "./surrogate";

const quiet = async <T>(f: () => Promise<T>): Promise<T> => {
  const log = console.log;
  console.log = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
  }
};
const lif = { kTau: 0.5, uTh: 1, reset: "hard" as const, surrogate: arctan(2) };
const key = rng(21);
const task = (s: number, feature: "binary" | "gaussian" = "binary"): GraphTask => {
  const data = csbm({
    n: 40,
    classes: 2,
    features: 8,
    degree: 4,
    homophily: 0.8,
    feature: feature === "binary" ? { kind: "binary", density: 0.2, boost: 2 } : { kind: "gaussian", mu: 2 },
    rng: key.derive(`g/${s}`),
  });
  return { data, split: nodeSplit(data.y, 2, { trainPerClass: 5, valCount: 10, rng: key.derive(`s/${s}`) }) };
};
const train = { epochs: 4, lr: 0.01, weightDecay: 5e-4 };

describe("snn/graph-experiment and graph-compare (tiny runs)", function () {
  this.timeout(20000);
  it("depthSweep: one row per seed × depth × model, reproducible from the key, GCN counted by gcnCost", async () => {
    const o = {
      seeds: [0, 1],
      depths: [1, 2],
      task,
      init: (s: number, L: number) => key.derive(`i/${s}/${L}`),
      T: 2,
      hidden: 4,
      lif,
      train,
      models: ["SNN + STFN", "GCN", "SNN + STFN, no edges"] as const,
    };
    const a = await quiet(() => depthSweep(o)),
      b = await quiet(() => depthSweep(o));
    assert.equal(a.length, 2 * 2 * 3);
    assert.deepEqual(
      a.map((r) => r.acc),
      b.map((r) => r.acc),
      "same key, same runs",
    );
    for (const r of a) assert.ok(r.acc >= 0 && r.acc <= 1 && r.mad >= 0 && r.energy > 0 && r.epochs === 4);
    const g = a.find((r) => r.model === "GCN" && r.layers === 2)!;
    assert.deepEqual(g.cost, gcnCost(g.shape, { hidden: 4, classes: 2, layers: 2 }));
    const s = a.find((r) => r.model === "SNN + STFN" && r.layers === 2)!;
    assert.equal(s.trace!.spikesIn[0], 2 * g.shape.nnzX!, "direct coding: the binary input arrives at both steps");
    assert.equal(s.rates.length, 2);
  });
  it("codingSweep trains every code and the GCN on the scaled features", async () => {
    const rows = await quiet(() =>
      codingSweep({
        seeds: [0],
        task: (s) => task(s, "gaussian"),
        codes: [
          { name: "rate", coding: "rate" },
          { name: "latency", coding: "latency" },
        ],
        init: (s) => key.derive(`ci/${s}`),
        spikes: (s, d) => key.derive(`sp/${s}/${d}`),
        T: 3,
        hidden: 4,
        layers: 1,
        lif,
        train,
      }),
    );
    assert.deepEqual(
      rows.map((r) => r.model),
      ["rate", "latency", "GCN"],
    );
    assert.equal(rows[2].shape.nnzX, undefined, "scaled real features are not binary");
  });
  it("compareModels: paired rows per setting, attention shares only where attention is learned", async () => {
    const rows = await quiet(() =>
      compareModels({
        seeds: [1, 0],
        settings: { a: (s) => task(s), b: (s) => task(s + 5) },
        init: (s, g) => key.derive(`c/${g}/${s}`),
        models: {
          default: [
            { name: "sgcn", arch: "spiking GCN" },
            { name: "sgat", arch: "spiking GAT", score: "gat" },
            { name: "uni", arch: "spiking GAT", score: "uniform" },
            { name: "gat", arch: "GAT" },
          ],
          b: [{ name: "none", arch: "no edges" }],
        },
        T: 2,
        heads: 2,
        headDim: 2,
        lif,
        train,
      }),
    );
    assert.equal(rows.length, 2 * (4 + 1));
    assert.equal(bySeed(rows, "a", "sgat").length, 2);
    assert.deepEqual(
      rows.filter((r) => r.setting === "a" && r.model === "sgcn").map((r) => r.seed),
      [1, 0],
    );
    assert.deepEqual(
      bySeed(rows, "a", "sgcn"),
      [0, 1].map((s) => rows.find((r) => r.setting === "a" && r.model === "sgcn" && r.seed === s)!.acc),
      "bySeed sorts by seed",
    );
    assert.ok(
      rows.find((r) => r.model === "sgat")!.share !== undefined
        && rows.find((r) => r.model === "gat")!.share !== undefined,
    );
    assert.equal(rows.find((r) => r.model === "uni")!.share, undefined);
    assert.throws(() => bySeed(rows, "a", "none"), /no runs/);
  });
  it("withoutEdges keeps nodes, features and split; graphShape counts nnz(A + I) and nnz(x)", () => {
    const t = task(0),
      e = withoutEdges(t);
    assert.equal(edgeCount(e.data.graph), 0);
    assert.equal(e.data.n, t.data.n);
    assert.equal(e.split, t.split);
    const sh = graphShape(t.data);
    assert.equal(sh.nnz, 2 * edgeCount(t.data.graph) + 40);
    assert.equal(
      sh.nnzX,
      t.data.x.reduce((a, b) => a + b, 0),
    );
  });
  it("trainNodeClassifier stops after `patience` evaluations without a better validation accuracy", async () => {
    const t = task(0),
      b = tf.variable(tf.zeros([2]));
    const r = await trainNodeClassifier({
      forward: () => tf.add(tf.zeros([40, 2]), tf.mul(b, 0)) as tf.Tensor2D,
      vars: [b],
      y: t.data.y,
      classes: 2,
      split: t.split,
      epochs: 100,
      lr: 0.01,
      patience: 2,
    });
    assert.equal(r.epochs, 15, "evaluations at 5 (best), 10 and 15 (no better): stop");
    assert.equal(r.bestEpoch, 5);
  });
});
