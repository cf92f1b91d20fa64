/** Where malformed JSON breaks: line, column and a reason, for any syntax error JSON.parse rejects. */
import assert from "node:assert/strict";
import { jsonProblem, malformedJson } from "../src/nbformat/json";

describe("ci malformed JSON", () => {
  it("names the line and column of the first error and says what was expected", () => {
    const cases: [string, string][] = [
      ['{"nbformat": 4, "cells": [', "1:27 expected a value, found the end of the text"],
      ['{\n "a": 1,\n "b": x\n}', '3:7 expected a value, found "x"'],
      ['{\n "a": 1,\n}', '3:1 expected a property name in double quotes, found "}"'],
      ['{"a": [1 2]}', "1:10 expected ',' or ']' after an element, found \"2\""],
      ['{"a": "tab\there"}', "1:11 a control character in a string (write it escaped, e.g. \\n)"],
      ['{"a": "\\x"}', "1:8 an invalid escape \\x in a string"],
      ['{"a": 01}', "1:8 expected ',' or '}' after a property, found \"1\""],
      ['{"a": NaN}', '1:7 expected a value, found "N"'],
      ["{} {}", '1:4 expected the end of the text after the value, found "{"'],
      ["\ufeff{}", "1:1 a byte-order mark (U+FEFF) before the JSON: save the file as UTF-8 without BOM"],
      ['{"a": "open', "1:12 a string is not closed"],
    ];
    for (const [text, want] of cases) {
      assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse rejects ${JSON.stringify(text)}`);
      const p = jsonProblem(text);
      assert.equal(p && `${p.line}:${p.column} ${p.reason}`, want, JSON.stringify(text));
    }
    for (const ok of ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}', " [] ", '"x"'])
      assert.equal(jsonProblem(ok), undefined, ok);
    assert.equal(
      malformedJson('{\n "a": x}', new Error(), "nb/a.ipynb"),
      'malformed JSON at nb/a.ipynb:2:7: expected a value, found "x"',
    );
  });
});
