import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { plannedRun } from "../support/measurements.ts";
import { resultsOf, steadyRun } from "./fixtures.ts";

function detailsRows(markdown: string): string[] {
  const details = markdown.slice(markdown.indexOf("<details>"), markdown.indexOf("</details>"));
  return details
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .slice(2);
}

describe("renderMarkdown", () => {
  test("a passing run: headline, constraint, phase and environment tables, two Mermaid charts", () => {
    const markdown = renderMarkdown(resultsOf([steadyRun(20)]));

    assert.match(markdown.split("\n")[0]!, /^## etude · narm-groceries · ✅ passed/);
    assert.match(markdown, /\| Constraint +\| +Budget \| +Measured \| Verdict +\|/);
    assert.match(markdown, /\| p90 response time at target +\| +≤ 50 ms \| +19 ms \| ✅ pass +\|/);
    assert.match(
      markdown,
      /\| maximum sustainable throughput \| +≥ 100 req\/s \| +100 req\/s \| ✅ pass +\|/,
    );
    assert.match(markdown, /\| \*\*measured\*\* \(ramp \+ hold\) \| +20 s \|/);
    assert.equal(markdown.match(/```mermaid\nxychart-beta/g)?.length, 2);
    assert.match(markdown, /line \[50, 50,/, "the latency chart draws the p90 budget");
    assert.match(markdown, /\| CPU +\| Intel Xeon × 2 +\|/);
    assert.match(
      markdown,
      /\*\*Load generator:\*\* p99 send lag 0\.1 ms \(the run is invalid past 2\.5 ms\), 0% of requests sent more than 1 ms late/,
    );
    assert.doesNotMatch(markdown, /Spread across/, "one run has no spread");
    assert.equal(detailsRows(markdown).length, 22, "short runs list every second, warm-up included");
  });

  test("a failing run shows the broken budget and the measured value", () => {
    const markdown = renderMarkdown(resultsOf([steadyRun(100)]));
    assert.match(markdown.split("\n")[0]!, /❌ failed/);
    assert.match(markdown, /\| p90 response time at target +\| +≤ 50 ms \| +90\.9 ms \| ❌ fail +\|/);
  });

  test("an invalid run leads with the warning and the reasons", () => {
    const run = plannedRun({
      aborted: { reason: "connection refused", atSecond: 6 },
      second: ({ targetRate }) => ({ responseMs: [[10, Math.round(targetRate)]] }),
    });
    const markdown = renderMarkdown(resultsOf([run]));
    assert.match(markdown.split("\n")[0]!, /⚠️ invalid/);
    assert.match(markdown, /^- The run stopped at second 6 \(connection refused\)/m);
  });

  test("repetitions add the spread table and name the representative run", () => {
    const markdown = renderMarkdown(resultsOf([steadyRun(20), steadyRun(40), steadyRun(30)]));
    assert.match(markdown, /3 runs; figures from run 3, the median by p90 at target/);
    assert.match(markdown, /### Spread across 3 runs/);
    assert.match(markdown, /\| p90 response time +\| +19 ms \| +28 ms \| +37 ms \|/);
  });

  test("text from outside cannot inject HTML, break tables, open code spans or mention people", () => {
    const hostile = "evil | <img src=x onerror=alert(1)> `rm -rf` @octocat [x](http://a)";
    const run = plannedRun({
      aborted: { reason: "<script>alert(1)</script> @admin", atSecond: 5 },
      second: ({ targetRate }) => ({ responseMs: [[10, Math.round(targetRate)]] }),
    });
    const markdown = renderMarkdown(
      resultsOf([run], {
        spec: { name: hostile },
        environment: { target: "ghcr.io/acme/model:v1|@team <b>" },
      }),
    );

    assert.doesNotMatch(markdown, /<img|<script|<b>/);
    assert.doesNotMatch(markdown, /@(octocat|admin|team)/);
    assert.match(
      markdown,
      /evil \\\| &lt;img src=x onerror=alert\(1\)&gt; \\`rm -rf\\` @&#8203;octocat \\\[x\\\]/,
    );
    assert.match(markdown, /\| Target +\| ghcr\.io\/acme\/model:v1\\\|@&#8203;team &lt;b&gt; +\|/);
  });

  test("long runs are grouped into at most about 120 rows that still cover every second", () => {
    const markdown = renderMarkdown(resultsOf([steadyRun(20, { rampUpMs: 600_000, holdMs: 300_000 })]));
    const rows = detailsRows(markdown);
    assert.ok(rows.length <= 122 && rows.length >= 100, `${rows.length} rows`);
    assert.match(markdown, /grouped into intervals/);
    assert.match(rows[0]!, /^\| +0–1 \| warmup \|/);
    assert.match(rows[rows.length - 1]!, /–901 \| hold /);
    const mermaidPoints = markdown.match(/x-axis "second of the run" \[([^\]]*)\]/)![1]!.split(",").length;
    assert.ok(mermaidPoints <= 62, `${mermaidPoints} chart points`);
  });
});

describe("renderMarkdown on Kubernetes results", () => {
  test("lists where each pod ran instead of raw JSON", () => {
    const run = plannedRun({ second: ({ targetRate }) => ({ responseMs: [[10, Math.round(targetRate)]] }) });
    const pod = (name: string, node: string, instanceType: string, imageID: string) => ({
      pod: name,
      node,
      instanceType,
      allocatable: { cpu: "8", memory: "32Gi", gpu: "1" },
      images: [{ image: "node:24-slim", imageID }],
    });
    const markdown = renderMarkdown(
      resultsOf([run], {
        environment: {
          kubernetes: {
            namespace: "etude-abc",
            model: {
              pods: [pod("model-1", "node-a", "n1-standard-8-t4", "docker.io/library/node@sha256:aa")],
            },
            loadGenerator: {
              from: "cluster",
              pods: [pod("loadgen-0", "node-b", "e2-standard-8", "sha256:bb")],
            },
          },
        },
      }),
    );
    assert.match(markdown, /\| Kubernetes namespace +\| etude-abc +\|/);
    assert.match(
      markdown,
      /\| model +\| model-1 +\| node-a +\| n1-standard-8-t4 +\| 8 CPU, 32Gi, 1 GPU +\| docker\.io\/library\/node@(&#8203;)?sha256:aa +\|/,
    );
    assert.match(markdown, /\| loadGenerator +\| loadgen-0 +\| node-b +\| e2-standard-8 +\|/);
    assert.doesNotMatch(markdown, /"pods"/);
  });
});
