/**
 * Zachary's karate club (Zachary 1977, "An information flow model for conflict and fission in small groups",
 * J. Anthropological Research 33:452–473): 34 members, 78 friendships, and the real outcome, the club each member
 * joined when the club split ("Mr. Hi" or "Officer"). The data come from the npm package graphology-generators
 * (`social/karate-club`), whose generator builds the graph through whatever graphology-style class it is handed;
 * we hand it a recorder of nodes and edges, so graphology itself is not needed.
 * @see notebooks/06-spiking-graph-attention.ipynb
 */
import karateGenerator from "graphology-generators/social/karate-club";
import type { GraphConstructor } from "graphology-types";
import { fromEdges } from "./csr";
import type { GraphData } from "./csbm";

/** Collects what the generator adds: node keys with attributes, and undirected edges. */
class Recorder {
  nodes: { key: string; attrs: Record<string, unknown> }[] = [];
  edges: [string, string][] = [];
  addNode(key: unknown, attrs: Record<string, unknown> = {}) {
    this.nodes.push({ key: String(key), attrs });
    return key;
  }
  addEdgeWithKey(_key: unknown, s: unknown, t: unknown) {
    this.edges.push([String(s), String(t)]);
    return _key;
  }
  addUndirectedEdgeWithKey(key: unknown, s: unknown, t: unknown) {
    return this.addEdgeWithKey(key, s, t);
  }
  addEdge(s: unknown, t: unknown) {
    return this.addEdgeWithKey(undefined, s, t);
  }
  addUndirectedEdge(s: unknown, t: unknown) {
    return this.addEdgeWithKey(undefined, s, t);
  }
  dropNode() {
    throw new Error("karateClub: the generator is not expected to drop nodes");
  }
}

/**
 * The karate club as a node-classification task: y = 0 for Mr. Hi's club, 1 for the Officer's; features are
 * one-hot node identities (x = I₃₄), as in Kipf & Welling's karate-club demonstration (arXiv 1609.02907), so
 * everything a model knows beyond the labelled members comes from the edges.
 */
export function karateClub(): GraphData & { club: string[] } {
  const rec = karateGenerator(Recorder as unknown as GraphConstructor) as unknown as Recorder;
  const n = rec.nodes.length,
    index = new Map(rec.nodes.map((v, i) => [v.key, i]));
  const club = rec.nodes.map((v) => String(v.attrs.club));
  const names = [...new Set(club)].sort((a, b) => (a === "Mr. Hi" ? -1 : b === "Mr. Hi" ? 1 : a.localeCompare(b)));
  if (n !== 34 || names.length !== 2)
    throw new Error(`karateClub: expected 34 members in 2 clubs, got ${n} in ${names.length}`);
  const at = (k: string) => {
    const i = index.get(k);
    if (i === undefined) throw new Error(`karateClub: edge to unknown node ${k}`);
    return i;
  };
  const graph = fromEdges(
    n,
    rec.edges.map(([s]) => at(s)),
    rec.edges.map(([, t]) => at(t)),
  );
  const x = new Float32Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  return { graph, x, y: Int32Array.from(club, (c) => names.indexOf(c)), n, f: n, classes: 2, club };
}
