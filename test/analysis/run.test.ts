import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lagToleranceMs } from "../../src/analysis/health.ts";
import { analyseRun } from "../../src/analysis/run.ts";
import type { Constraints } from "../../src/spec/types.ts";
import { plannedRun, spread } from "../support/measurements.ts";

const constraints: Constraints = { latencyMs: { p90: 50 }, maxErrorRate: 0.01, windowMs: 5_000 };

function near(actual: number | null | undefined, expected: number, tolerance: number): void {
  assert.ok(actual !== null && actual !== undefined, `expected about ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

/** A run well below the backpressure limit in which a tenth of the sends leave `lagMs` late. */
function runWithLateTenth(lagMs: number) {
  return plannedRun({
    second: ({ targetRate }) => {
      const sent = Math.round(targetRate);
      const late = Math.round(sent / 10);
      return {
        responseMs: [[10, sent]],
        sendLagMs: [
          [0.2, sent - late],
          [lagMs, late],
        ],
        inFlightMax: 2,
      };
    },
  });
}

describe("analyseRun", () => {
  test("a run within every budget passes, with warm-up left out of every figure", () => {
    const run = plannedRun({
      second: ({ phase, targetRate }) => ({
        responseMs: phase === "warmup" ? [[900, targetRate]] : spread(10, 20, Math.round(targetRate)),
      }),
    });
    const analysis = analyseRun(run, constraints);

    assert.equal(analysis.verdict, "pass");
    assert.deepEqual(analysis.invalidReasons, []);
    const p90 = analysis.constraints.find((c) => c.kind === "latency");
    assert.equal(p90?.verdict, "pass");
    near(p90?.measured, 18.99, 0.05);
    assert.equal(analysis.atTarget?.basis, "hold");
    const measured = analysis.phases.measured!;
    assert.equal(measured.seconds, 20);
    assert.equal(measured.ok, 550 + 1000);
    assert.ok(measured.responseTime!.max < 25, "warm-up latencies leaked into the measured phase");
    assert.equal(analysis.maxSustainableThroughput.throughput, 100);
    assert.equal(analysis.seconds.length, 22, "the per-second figures keep the warm-up for charts");
  });

  test("a run over its latency budget fails and reports the measured percentile", () => {
    const run = plannedRun({
      second: ({ phase, targetRate }) => ({
        responseMs: phase === "hold" ? spread(60, 80, 100) : spread(10, 20, Math.round(targetRate)),
      }),
    });
    const analysis = analyseRun(run, constraints);

    assert.equal(analysis.verdict, "fail");
    const p90 = analysis.constraints.find((c) => c.kind === "latency")!;
    assert.equal(p90.verdict, "fail");
    assert.equal(p90.budget, 50);
    near(p90.measured, 77.98, 0.1);
  });

  test("the maximum sustainable throughput is the best window before latency crosses the budget", () => {
    // Latency in ms is half the rate less one: the budget of 50 ms holds up to 100 req/s.
    const run = plannedRun({
      load: { targetRate: 200, rampUpMs: 20_000, holdMs: 10_000 },
      second: ({ targetRate }) => ({ responseMs: [[targetRate / 2 - 1, Math.round(targetRate)]] }),
    });
    const analysis = analyseRun(run, constraints);
    const sustainable = analysis.maxSustainableThroughput;

    assert.equal(sustainable.windowSeconds, 5);
    assert.equal(sustainable.throughput, 80, "the window offering 60..100 req/s is the last within budget");
    assert.deepEqual([sustainable.window?.fromSecond, sustainable.window?.toSecond], [7, 11]);
    const throughput = analysis.constraints.find((c) => c.kind === "throughput")!;
    assert.deepEqual([throughput.budget, throughput.measured, throughput.verdict], [200, 80, "fail"]);
    assert.equal(analysis.verdict, "fail");
  });

  test("windows dropping more than 1% of their slots do not count as sustainable", () => {
    const run = plannedRun({
      load: { targetRate: 200, rampUpMs: 20_000, holdMs: 10_000 },
      second: ({ targetRate }) => {
        const offered = Math.round(targetRate);
        const dropped = targetRate > 100 ? Math.round(offered * 0.05) : 0;
        return { offered, dropped, responseMs: [[5, offered - dropped]] };
      },
    });
    assert.equal(analyseRun(run, constraints).maxSustainableThroughput.throughput, 80);
  });

  test("a model that cannot keep up fails, it does not make the run invalid", () => {
    const run = plannedRun({
      connections: 32,
      second: ({ phase, targetRate }) => {
        const offered = Math.round(targetRate);
        if (phase !== "hold") return { responseMs: [[10, offered]] };
        // In flight sits at the connection limit: requests queue, leave late, and half are dropped.
        return { offered, dropped: 50, sendLagMs: [[300, 50]], inFlightMax: 32, responseMs: [[400, 50]] };
      },
    });
    const analysis = analyseRun(run, constraints);

    assert.equal(analysis.verdict, "fail");
    assert.deepEqual(analysis.invalidReasons, []);
    assert.equal(analysis.constraints.find((c) => c.kind === "latency")?.verdict, "fail");
    assert.equal(analysis.constraints.find((c) => c.kind === "throughput")?.verdict, "fail");
  });

  test("a generator sending late below the backpressure limit makes the run invalid, never a pass", () => {
    // 10% of the sends leave 4 ms late; the tolerance is 5% of the 50 ms budget: 2.5 ms.
    const analysis = analyseRun(runWithLateTenth(4), constraints);

    assert.equal(analysis.verdict, "invalid");
    assert.equal(analysis.invalidReasons.length, 1);
    assert.match(analysis.invalidReasons[0]!, /over 2\.5 ms late \(p99 send lag 4 ms; allowed: 2\.5 ms/);
    assert.ok(analysis.constraints.every((c) => c.verdict === "invalid"));
  });

  test("send lag within 5% of the tightest budget leaves the verdict to the model", () => {
    const analysis = analyseRun(runWithLateTenth(2), constraints);
    assert.deepEqual(analysis.invalidReasons, []);
    assert.equal(analysis.verdict, "pass");
  });

  test("the lag tolerance is 5% of the tightest latency budget, at least 1 ms", () => {
    assert.equal(lagToleranceMs({ ...constraints, latencyMs: { p50: 20, p90: 50 } }), 1);
    assert.equal(lagToleranceMs({ ...constraints, latencyMs: { p90: 50, p99: 200 } }), 2.5);
    assert.equal(lagToleranceMs({ ...constraints, latencyMs: {} }), 1);
  });

  test("a delayed generator event loop makes the run invalid", () => {
    const run = plannedRun({
      second: ({ second, targetRate }) => ({
        responseMs: [[10, Math.round(targetRate)]],
        eventLoopDelayP99Us: second % 2 === 0 ? 40_000 : 800,
      }),
    });
    const analysis = analyseRun(run, constraints);

    assert.equal(analysis.verdict, "invalid");
    assert.match(
      analysis.invalidReasons.join("\n"),
      /exceeded 10 ms in 10 of 20 measured seconds \(worst 40 ms\)/,
    );
  });

  test("a busy event loop alone does not invalidate a run: the generator spins before each send", () => {
    const run = plannedRun({
      second: ({ targetRate }) => ({
        responseMs: [[10, Math.round(targetRate)]],
        eventLoopUtilization: 0.99,
        eventLoopDelayP99Us: 800,
      }),
    });
    assert.deepEqual(analyseRun(run, constraints).invalidReasons, []);
  });

  test("a run aborted before the target rate is invalid and says where it stopped", () => {
    const run = plannedRun({
      aborted: { reason: "server crashed", atSecond: 7 },
      second: ({ targetRate }) => ({ responseMs: [[10, Math.round(targetRate)]] }),
    });
    const analysis = analyseRun(run, constraints);

    assert.equal(analysis.verdict, "invalid");
    assert.match(analysis.invalidReasons[0]!, /stopped at second 7 \(server crashed\)/);
    assert.equal(analysis.constraints.find((c) => c.kind === "latency")?.verdict, "invalid");
  });

  test("a plan without hold is judged on the ramp's last window, and only if it offers the target", () => {
    const second = ({ targetRate }: { targetRate: number }) => ({
      responseMs: [[10, Math.round(targetRate)]] as const,
    });
    const short = analyseRun(plannedRun({ load: { rampUpMs: 10_000, holdMs: 0 }, second }), constraints);
    assert.equal(short.verdict, "invalid");
    assert.match(short.invalidReasons[0]!, /offered 80 req\/s on average in the last 5 s of the ramp/);

    const long = analyseRun(plannedRun({ load: { rampUpMs: 100_000, holdMs: 0 }, second }), constraints);
    assert.equal(long.verdict, "pass");
    assert.equal(long.atTarget?.basis, "end-of-ramp");
    assert.deepEqual([long.atTarget?.fromSecond, long.atTarget?.toSecond], [97, 101]);
  });

  test("a hold shorter than the window is invalid", () => {
    const run = plannedRun({
      load: { holdMs: 3_000 },
      second: ({ targetRate }) => ({ responseMs: [[10, Math.round(targetRate)]] }),
    });
    const analysis = analyseRun(run, constraints);
    assert.equal(analysis.verdict, "invalid");
    assert.match(analysis.invalidReasons[0]!, /held the target rate for 3 s, shorter than the 5 s window/);
  });

  test("errors above the budget fail the error-rate constraint, counted per class", () => {
    const run = plannedRun({
      second: ({ phase, targetRate }) => ({
        responseMs: [[10, Math.round(targetRate) - (phase === "hold" ? 10 : 0)]],
        errors: phase === "hold" ? { http5xx: 6, timeout: 4 } : {},
      }),
    });
    const analysis = analyseRun(run, constraints);
    const errorRate = analysis.constraints.find((c) => c.kind === "errorRate")!;

    assert.equal(errorRate.verdict, "fail");
    near(errorRate.measured, 100 / 1550, 1e-9);
    const holdSecond = analysis.seconds.find((s) => s.phase === "hold")!;
    assert.deepEqual(
      [holdSecond.errors, holdSecond.errorCount, holdSecond.completed],
      [{ http5xx: 6, timeout: 4 }, 10, 100],
    );
    assert.equal(analysis.verdict, "fail");
  });

  test("percentiles come from merged histograms, not from averaged per-second percentiles", () => {
    const run = plannedRun({
      load: { warmupMs: 0, rampUpMs: 1_000, holdMs: 2_000, targetRate: 1_000 },
      second: ({ second }) => ({ responseMs: second === 2 ? [[500, 10]] : [[10, 1_000]] }),
    });
    const analysis = analyseRun(run, { ...constraints, windowMs: 2_000 });
    const hold = analysis.phases.hold!;
    const averagedP90 = (analysis.seconds[1]!.responseTime!.p90 + analysis.seconds[2]!.responseTime!.p90) / 2;

    near(averagedP90, 255, 0.5);
    // 1,010 requests of which 10 took 500 ms: the 90th percentile is 10 ms.
    near(hold.responseTime!.p90, 10, 0.01);
    near(hold.responseTime!["p99.9"], 500, 0.5);
  });
});
