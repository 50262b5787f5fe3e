import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { commentMarker } from "../../src/github/index.ts";
import { escapeMarkdown } from "../../src/report/escape.ts";

/** Splits a table row on unescaped pipes, as GitHub's table parser does. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

describe("escapeMarkdown", () => {
  test("leaves plain branch names readable", () => {
    assert.equal(escapeMarkdown("feature/faster-gru.v2"), "feature/faster-gru.v2");
  });

  test("keeps a table row at its number of cells", () => {
    for (const hostile of ["a|b|c", "ends with backslash\\", "line\nbreak | x", "tab\there"]) {
      const row = `| ${escapeMarkdown(hostile)} | 41.2 ms |`;
      assert.equal(cells(row).length, 2, `row for ${JSON.stringify(hostile)}: ${row}`);
      assert.ok(!row.includes("\n"));
    }
  });

  test("neutralises emphasis, code, links, math and HTML", () => {
    assert.equal(
      escapeMarkdown("*a* _b_ `c` [d](e) ~f~ $g$"),
      "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\~f\\~ \\$g\\$",
    );
    assert.equal(escapeMarkdown("<img src=x onerror=y> & co"), "&lt;img src=x onerror=y&gt; &amp; co");
  });

  test("cannot close or forge our hidden marker", () => {
    const escaped = escapeMarkdown(`x --> ${commentMarker("checkout")} <!-- y`);
    assert.ok(!escaped.includes("-->"));
    assert.ok(!escaped.includes("<!--"));
    assert.ok(!escaped.includes(commentMarker("checkout")));
  });

  test("pings nobody and links no issue", () => {
    const escaped = escapeMarkdown("fix @octocat and @acme/team for #123, GH-45 and acme/models#6");
    // What GitHub scans for references: the text after entities are decoded.
    const rendered = escaped.replaceAll("&#8203;", "\u200b");
    assert.ok(!/@[A-Za-z0-9]/.test(rendered), escaped);
    assert.ok(!/#\d/.test(rendered), escaped);
    assert.ok(!/GH-\d/i.test(rendered), escaped);
    assert.match(escaped, /@&#8203;octocat/);
    assert.match(escaped, /#&#8203;123/);
  });

  test("does not let entities in the input decode to markup", () => {
    assert.equal(escapeMarkdown("&lt;script&gt;"), "&amp;lt;script&amp;gt;");
  });
});
