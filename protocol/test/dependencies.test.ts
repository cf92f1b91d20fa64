/** The dependency report of execute replies: what the kernel writes is what the runner's cache reads. */
import assert from "node:assert/strict";
import { DEPENDENCIES_KEY, packageFolder, parseDependencyReport, type DependencyReport } from "../src/dependencies";

describe("protocol dependency report", () => {
  it("round-trips through execute_reply metadata, and rejects what is not a report", () => {
    const r: DependencyReport = {
      loaded: ["/p/helper.ts"],
      packages: ["/p/node_modules/@scope/x"],
      read: ["/p/data.txt"],
      listed: ["/p"],
      probed: ["/p/missing.json"],
    };
    assert.deepEqual(parseDependencyReport(JSON.parse(JSON.stringify({ [DEPENDENCIES_KEY]: r }))), r);
    assert.deepEqual(parseDependencyReport({ [DEPENDENCIES_KEY]: { read: ["/a"] } }), {
      loaded: [],
      packages: [],
      read: ["/a"],
      listed: [],
      probed: [],
    });
    assert.equal(parseDependencyReport({}), undefined);
    assert.equal(parseDependencyReport({ [DEPENDENCIES_KEY]: { read: [1] } }), undefined);
    assert.equal(parseDependencyReport({ [DEPENDENCIES_KEY]: ["/a"] }), undefined);
  });

  it("names the package folder of a file inside node_modules", () => {
    assert.equal(packageFolder("/p/node_modules/tsx/dist/cjs/index.cjs"), "/p/node_modules/tsx");
    assert.equal(packageFolder("/p/node_modules/a/node_modules/@s/b/lib/x.js"), "/p/node_modules/a/node_modules/@s/b");
    assert.equal(packageFolder("/p/node_modules/tsx"), "/p/node_modules/tsx");
    assert.equal(packageFolder("/p/lib/x.ts"), undefined);
    assert.equal(packageFolder("/p/node_modules/@s"), undefined);
  });
});
