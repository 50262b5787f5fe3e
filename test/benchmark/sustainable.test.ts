import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runBenchmark } from "../../src/benchmark/run.ts";
import { testSpec } from "../support/measurements.ts";
import { startCappedServer } from "../support/servers.ts";

test("against a server capped at 40 req/s the maximum sustainable throughput is within 10% of 40", {
  timeout: 60_000,
}, async (t) => {
  const server = await startCappedServer({ ratePerSecond: 40 });
  const outDir = await mkdtemp(join(tmpdir(), "etude-capped-"));
  try {
    const spec = testSpec({
      name: "capped",
      target: { kind: "url", url: server.url },
      protocol: { kind: "etude" },
      repetitions: 1,
      load: {
        targetRate: 80,
        rampUpMs: 10_000,
        holdMs: 0,
        warmupMs: 0,
        warmupRate: 0,
        requestTimeoutMs: 5_000,
        connections: 80,
        arrival: "uniform",
      },
      constraints: { latencyMs: { p90: 150 }, maxErrorRate: 0.01, windowMs: 2_000 },
    });
    const outcome = await runBenchmark({ spec, runId: "capped", outDir });
    const run = outcome.variants[0]!.results.analysis.runs[0]!;
    const { throughput, window } = run.maxSustainableThroughput;
    t.diagnostic(`maximum sustainable throughput ${throughput} req/s, window ${JSON.stringify(window)}`);
    assert.ok(Math.abs(throughput - 40) <= 4, `${throughput} req/s is not within 10% of 40`);
    assert.ok(run.phases.ramp!.dropped > 0, "past the cap, backpressure drops slots");
  } finally {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
});
