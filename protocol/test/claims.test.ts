import assert from "node:assert/strict";
import { claimCells, claimVerdict, parseClaimRecord, seedsText, sortClaims, type ClaimRecord } from "../src/claims";

const finding: ClaimRecord = {
  paper: "p",
  id: "f",
  claim: "c",
  paperFigure: "1",
  ours: "2",
  holds: true,
  kind: "finding",
  test: "> 1",
  control: { label: "none", ours: "0", holds: false },
  seeds: [1, 2, 3],
  spread: "sd 0.1",
};
const identity: ClaimRecord = {
  paper: "p",
  id: "i",
  claim: "c",
  paperFigure: "1",
  ours: "1",
  holds: true,
  kind: "identity",
  why: "proof",
};

describe("protocol: claim records", () => {
  it("parses what it is given and rejects wrong shapes with a reason", () => {
    assert.deepEqual(parseClaimRecord(finding), { ok: true, record: finding });
    assert.deepEqual(parseClaimRecord({ ...finding, holds: "yes" }), {
      ok: false,
      reason: 'field "holds" is not a boolean',
    });
    assert.deepEqual(parseClaimRecord({ ...finding, seeds: [0.5] }), {
      ok: false,
      reason: 'field "seeds" is not an array of integers',
    });
    assert.equal(parseClaimRecord({ ...finding, control: { label: "x" } }).ok, false);
    assert.equal(parseClaimRecord([]).ok, false);
  });
  it("a finding whose control passes does not discriminate", () => {
    assert.equal(claimVerdict(finding), "holds");
    assert.equal(claimVerdict({ ...finding, control: { ...finding.control!, holds: true } }), "does not discriminate");
    assert.equal(claimVerdict({ ...identity, holds: false }), "fails");
  });
  it("cells and order", () => {
    assert.equal(seedsText(finding), "3 seeds (1, 2, 3); sd 0.1");
    assert.equal(seedsText({ ...finding, seeds: [], spread: undefined }), "deterministic");
    assert.equal(claimCells(identity).control, "proof");
    assert.deepEqual(
      sortClaims([identity, finding]).map((r) => r.id),
      ["f", "i"],
    );
  });
});
