import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { XMLValidator } from "fast-xml-parser";
import { renderSvgChart } from "../../src/report/svg.ts";
import { writeReport } from "../../src/report/write.ts";
import { resultsOf, steadyRun } from "./fixtures.ts";

describe("renderSvgChart", () => {
  test("is well-formed XML with both panels, a legend, units and the dashed budget line", () => {
    const svg = renderSvgChart(
      resultsOf([steadyRun(20)], {
        spec: { constraints: { latencyMs: { p90: 50, p99: 80 }, maxErrorRate: 0.01, windowMs: 5_000 } },
      }),
    );
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(
      svg,
      /<title>etude · narm-groceries · pass: request rate and response time over time<\/title>/,
    );
    assert.equal(svg.match(/<line class="budget"[^>]*stroke-dasharray/g)?.length, 2);
    assert.match(svg, />p90 budget 50 ms</);
    assert.match(svg, />requests per second</);
    assert.match(svg, />milliseconds</);
    assert.match(svg, />time since start \(s\)</);
    for (const label of ["offered", "achieved", "p50", "p90", "p99"])
      assert.match(svg, new RegExp(`>${label}<`));
    assert.match(svg, />warm-up</);
  });

  test("the budget line sits between the ticks around it on the log axis", () => {
    const svg = renderSvgChart(resultsOf([steadyRun(20)]));
    // The rate panel comes first; the last tick with a label belongs to the latency panel.
    const tickY = (label: string) =>
      Number(
        [
          ...svg.matchAll(
            new RegExp(`<text x="\\d+" y="([\\d.]+)" text-anchor="end"[^>]*>${label}</text>`, "g"),
          ),
        ].at(-1)![1],
      );
    const budgetY = Number(svg.match(/<line class="budget" x1="\d+" y1="([\d.]+)"/)![1]);
    assert.equal(budgetY, tickY("50"));
    assert.ok(tickY("20") > budgetY && budgetY > tickY("100"), `budget at y=${budgetY}`);
  });

  test("stays well-formed with a hostile spec name", () => {
    const svg = renderSvgChart(resultsOf([steadyRun(20)], { spec: { name: `a<b & "c" 'd'>` } }));
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;/);
  });
});

describe("writeReport", () => {
  test("writes report.md and chart.svg into a new directory", async () => {
    const directory = await mkdtemp(join(tmpdir(), "etude-report-"));
    try {
      const results = resultsOf([steadyRun(20)]);
      const paths = await writeReport(join(directory, "out"), results);
      assert.match(await readFile(paths.markdown, "utf8"), /✅ passed/);
      assert.equal(XMLValidator.validate(await readFile(paths.chart, "utf8")), true);
      assert.deepEqual(paths, {
        markdown: join(directory, "out", "report.md"),
        chart: join(directory, "out", "chart.svg"),
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
