/** The claims table at the end of a run: clipped to a terminal, whole in a pipe or a CI log. */
import assert from "node:assert/strict";
import type { ClaimRecord } from "@folio/protocol/claims";
import { claimsTable } from "../src/claims";
import { tableWidth } from "../src/runner";

describe("ci claims table", () => {
  const ours = `min p = ${"5".repeat(150)}`;
  const rows: ClaimRecord[] = [
    {
      paper: "wide",
      id: "w",
      claim: "a wide claim",
      paperFigure: "x",
      ours,
      holds: true,
      kind: "identity",
      why: "by construction",
    },
  ];

  it("is clipped to a terminal's width and never when the output is not a terminal", () => {
    const tty = claimsTable(rows, tableWidth({ write: () => true, isTTY: true, columns: 100 }));
    assert.ok(
      tty.split("\n").every((l) => l.length <= 100),
      tty,
    );
    assert.match(tty, /min p = 5+…/);
    const pipe = claimsTable(rows, tableWidth({ write: () => true, isTTY: false, columns: 100 }));
    assert.ok(pipe.includes(ours), pipe);
    assert.equal(tableWidth({ write: () => true }), Infinity);
  });
});
