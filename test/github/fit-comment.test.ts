import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { commentMarker, fitComment, GITHUB_COMMENT_LIMIT } from "../../src/github/index.ts";

const marker = commentMarker("checkout");
const details = (title: string, size: number) =>
  `<details><summary>${title}</summary>\n\n${"x".repeat(size)}\n\n</details>\n`;

describe("fitComment", () => {
  test("returns a comment within the limit unchanged", () => {
    const body = `${marker}\n## Report\n${details("Per window", 1000)}`;
    assert.equal(fitComment(body), body);
  });

  test("removes collapsible sections, last first, until the comment fits", () => {
    const head = `${marker}\n## Report\n| p90 | 41 ms |\n`;
    const body =
      head + details("Raw windows", 50_000) + details("Server timings", 20_000) + details("Env", 10_000);
    const fitted = fitComment(body);

    assert.ok(fitted.length <= GITHUB_COMMENT_LIMIT);
    assert.ok(fitted.startsWith(`${head}<details><summary>Raw windows</summary>`));
    const [kept] = fitted.split("\n\n---\n> [!NOTE]");
    assert.ok(!kept!.includes("Server timings") && !kept!.includes("Env"));
    assert.match(fitted, /removed 2 collapsible section\(s\): "Server timings", "Env"/);
    assert.match(fitted, /GitHub's comment limit of 65,536 characters/);
    assert.ok(!fitted.includes("cut the last"));
  });

  test("truncates at a line when sections are not enough, closing an open code fence", () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `line ${i} ${"y".repeat(20)}`).join("\n");
    const body = `${marker}\n${details("Big", 5000)}\`\`\`text\n${lines}\n\`\`\`\n`;
    const fitted = fitComment(body, 20_000);

    assert.ok(fitted.length <= 20_000, `length ${fitted.length}`);
    assert.ok(fitted.startsWith(marker));
    assert.ok(!fitted.includes("<details>"));
    const [kept] = fitted.split("\n\n---\n> [!NOTE]");
    assert.ok(kept!.endsWith("\n```"), "the open code block is closed");
    assert.match(kept!, /line \d+ y+\n```$/, "cut at a line boundary");
    const cut = Number(/cut the last ([\d,]+) characters/.exec(fitted)?.[1]?.replace(/,/g, ""));
    assert.ok(cut > 0);
    assert.match(fitted, /removed 1 collapsible section\(s\): "Big"/);
  });

  test("never splits a surrogate pair", () => {
    const body = `${marker}\n${"😀".repeat(10_000)}`;
    const fitted = fitComment(body, 8_000);
    assert.ok(fitted.length <= 8_000);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(fitted), "no lone high surrogate");
  });

  test("rejects a limit too small to hold the note", () => {
    assert.throws(
      () => fitComment("x", 100),
      /limit must be an integer of at least 4096 characters, got 100/,
    );
  });
});
