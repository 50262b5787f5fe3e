import assert from "node:assert/strict";
import { test } from "node:test";
import * as hdr from "hdr-histogram-js";
import type { RunMeasurement, SecondRecord } from "../../src/loadgen/types.ts";
import { encodeFrame, FrameDecoder, FrameError } from "../../src/targets/kubernetes/frames.ts";
import { addHistograms, mergeMeasurements } from "../../src/targets/kubernetes/merge.ts";

function histogram(values: number[]): string {
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const v of values) h.recordValue(v);
  const encoded = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return encoded;
}

function decode(text: string) {
  return hdr.decodeFromCompressedBase64(text);
}

function second(n: number, latencies: number[], extra: Partial<SecondRecord> = {}): SecondRecord {
  return {
    second: n,
    phase: "ramp",
    targetRate: 10,
    offered: latencies.length,
    sent: latencies.length,
    dropped: 0,
    late: 0,
    ok: latencies.length,
    errors: {},
    throughput: latencies.length,
    inFlightMax: 2,
    sendLag: histogram(latencies.map(() => 5)),
    responseTime: histogram(latencies),
    serviceTime: histogram(latencies),
    generator: { eventLoopDelayP99Us: 100, eventLoopUtilization: 0.1 },
    ...extra,
  };
}

function measurement(startedAt: string, seconds: SecondRecord[]): RunMeasurement {
  return {
    startedAt,
    load: {
      targetRate: 25,
      rampUpMs: 2000,
      holdMs: 0,
      warmupMs: 0,
      warmupRate: 5,
      requestTimeoutMs: 1000,
      connections: 4,
      arrival: "uniform",
    },
    connections: 4,
    seconds,
  };
}

test("a frame round-trips a measurement through log lines, with text around it", () => {
  const value = measurement("2025-01-01T00:00:00.000Z", [second(0, [1000, 2000, 3000])]);
  const lines = ["progress 1", ...encodeFrame(value), "bye"];
  const decoder = new FrameDecoder();
  const events = lines.map((line) => decoder.push(`${line}\n`)).filter((e) => e !== undefined);
  assert.deepEqual(events[0], { kind: "text", line: "progress 1" });
  assert.deepEqual(events[1], { kind: "value", value });
  assert.deepEqual(events[2], { kind: "text", line: "bye" });
  assert.equal(decoder.incomplete, false);
});

test("frames are deterministic and split into short lines", () => {
  const value = { data: "x".repeat(50_000), n: Math.PI };
  const a = encodeFrame(value);
  assert.deepEqual(a, encodeFrame(value));
  assert.ok(a.every((line) => line.length <= 1_000));
});

test("a corrupted payload is rejected by its checksum", () => {
  const lines = encodeFrame({ ok: 1, text: "abcdefghijklmnopqrstuvwxyz".repeat(10) });
  const body = lines[1]!;
  const flipped = body[10] === "A" ? "B" : "A";
  lines[1] = body.slice(0, 10) + flipped + body.slice(11);
  const decoder = new FrameDecoder();
  assert.throws(() => {
    for (const line of lines) decoder.push(line);
  }, FrameError);
});

test("a truncated frame is rejected and an unfinished one is visible", () => {
  const lines = encodeFrame({ text: "y".repeat(5_000) + Math.random() });
  const decoder = new FrameDecoder();
  decoder.push(lines[0]!);
  assert.equal(decoder.incomplete, true);
  assert.throws(() => decoder.push(lines.at(-1)!), /truncated frame/);
});

test("histograms add exactly", () => {
  const a = [1000, 1500, 2000, 40_000];
  const b = [900, 3000, 3000, 120_000, 5];
  const merged = decode(addHistograms([histogram(a), histogram(b)]));
  const direct = decode(histogram([...a, ...b]));
  assert.equal(merged.totalCount, 9);
  for (const p of [10, 50, 90, 99, 100]) {
    assert.equal(merged.getValueAtPercentile(p), direct.getValueAtPercentile(p), `p${p}`);
  }
  assert.equal(merged.minNonZeroValue, direct.minNonZeroValue);
});

test("measurements of several pods merge second by second", () => {
  const a = measurement("2025-01-01T00:00:01.000Z", [
    second(0, [1000, 2000]),
    second(1, [3000], { errors: { timeout: 2 }, inFlightMax: 3 }),
  ]);
  const b = measurement("2025-01-01T00:00:00.500Z", [
    second(0, [4000], { errors: { http5xx: 1 } }),
    second(1, [5000, 6000], {
      errors: { timeout: 1 },
      generator: { eventLoopDelayP99Us: 900, eventLoopUtilization: 0.7 },
    }),
  ]);
  b.aborted = { reason: "received SIGTERM", atSecond: 1 };
  const merged = mergeMeasurements([a, b]);
  assert.equal(merged.startedAt, "2025-01-01T00:00:00.500Z");
  assert.equal(merged.load.targetRate, 50);
  assert.equal(merged.load.warmupRate, 10);
  assert.equal(merged.connections, 8);
  assert.equal(merged.seconds.length, 2);
  const [s0, s1] = merged.seconds;
  assert.equal(s0!.ok, 3);
  assert.equal(s0!.targetRate, 20);
  assert.deepEqual(s0!.errors, { http5xx: 1 });
  assert.deepEqual(s1!.errors, { timeout: 3 });
  assert.equal(s1!.inFlightMax, 5);
  assert.deepEqual(s1!.generator, { eventLoopDelayP99Us: 900, eventLoopUtilization: 0.7 });
  assert.equal(decode(s1!.responseTime).totalCount, 3);
  assert.equal(decode(s1!.responseTime).maxValue, decode(histogram([6000])).maxValue);
  assert.match(merged.aborted!.reason, /load generator 1: received SIGTERM/);
  assert.equal(merged.aborted!.atSecond, 1);
});
