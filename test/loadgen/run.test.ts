import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { runLoad } from "../../src/loadgen/run.ts";
import { createSlotSchedule } from "../../src/loadgen/schedule.ts";
import { TransportError } from "../../src/loadgen/types.ts";
import type { LoadSpec } from "../../src/spec/types.ts";
import { createRandom } from "../../src/workload/random.ts";
import { createFakeClock } from "../support/fake-clock.ts";
import { createFakeTransport } from "../support/fake-transport.ts";
import { mergeField, sum } from "../support/histograms.ts";
import { testProtocol } from "../support/protocol.ts";
import { numberedSessions, sessionOfItem } from "../support/sessions.ts";

function load(overrides: Partial<LoadSpec>): LoadSpec {
  return {
    targetRate: 50,
    rampUpMs: 0,
    holdMs: 2000,
    warmupMs: 0,
    warmupRate: 0,
    requestTimeoutMs: 1000,
    connections: 8,
    arrival: "uniform",
    ...overrides,
  };
}

describe("runLoad on a virtual clock", () => {
  it("sends every slot exactly at its intended time and measures from it", async () => {
    const clock = createFakeClock(5000);
    const transport = createFakeTransport(clock, { latencyMs: () => 5 });
    const spec = load({ targetRate: 50, holdMs: 2000, warmupMs: 1000, warmupRate: 20 });
    const result = await runLoad({
      load: spec,
      sessions: numberedSessions(() => 3),
      protocol: testProtocol,
      transport,
      clock,
    });
    const intended = [...createSlotSchedule(spec)].map((slot) => slot.intendedMs);
    assert.equal(transport.requests.length, intended.length);
    for (const [k, request] of transport.requests.entries()) {
      assert.ok(
        Math.abs(request.sentAt - 5000 - intended[k]!) < 1e-6,
        `request ${k} sent at ${request.sentAt}`,
      );
    }
    assert.deepEqual(
      result.seconds.map((s) => [s.second, s.phase, s.offered, s.sent, s.dropped, s.late, s.ok]),
      [
        [0, "warmup", 20, 20, 0, 0, 20],
        [1, "hold", 50, 50, 0, 0, 50],
        [2, "hold", 50, 50, 0, 0, 50],
      ],
    );
    assert.equal(result.connections, 8);
    assert.equal(result.aborted, undefined);
    const response = mergeField(result.seconds, "responseTime");
    assert.equal(response.totalCount, 120);
    assert.equal(response.minNonZeroValue, 5000);
    assert.equal(response.maxValue, 5000);
    assert.equal(mergeField(result.seconds, "sendLag").maxValue, 0);
  });

  it("counts throughput by the second an answer completes in", async () => {
    const clock = createFakeClock();
    const transport = createFakeTransport(clock, { latencyMs: () => 600 });
    const result = await runLoad({
      load: load({ targetRate: 10, holdMs: 2000 }),
      sessions: numberedSessions(() => 1),
      protocol: testProtocol,
      transport,
      clock,
    });
    // Slots at 50, 150, ..., 1950 ms answer 600 ms later: four before 1 s, ten in the next second, six after.
    assert.deepEqual(
      result.seconds.map((s) => s.throughput),
      [4, 10],
    );
    assert.deepEqual(
      result.seconds.map((s) => s.ok),
      [10, 10],
    );
  });

  it("holds due slots while in-flight requests reach the second's rate, and drops them when the second ends", async () => {
    const clock = createFakeClock();
    const transport = createFakeTransport(clock, { latencyMs: () => undefined });
    const result = await runLoad({
      load: load({ targetRate: 10, holdMs: 3000, requestTimeoutMs: 10_000 }),
      sessions: numberedSessions(() => 5),
      protocol: testProtocol,
      transport,
      clock,
    });
    assert.deepEqual(
      result.seconds.map((s) => [s.offered, s.sent, s.dropped, s.errors.timeout ?? 0, s.inFlightMax]),
      [
        [10, 10, 0, 10, 10],
        [10, 0, 10, 0, 0],
        [10, 0, 10, 0, 0],
      ],
    );
    // A timed-out request stays in the statistics with the timeout as its latency.
    const service = mergeField(result.seconds, "serviceTime");
    assert.equal(service.totalCount, 10);
    assert.ok(
      Math.abs(service.minNonZeroValue - 10_000_000) <= 10_000,
      `service ${service.minNonZeroValue} µs`,
    );
  });

  it("ends a request at its deadline once, as a timeout, and ignores its answer arriving later", async () => {
    const clock = createFakeClock();
    // Even requests answer after 1500 ms, past the 1000 ms timeout; odd ones in 10 ms.
    const transport = createFakeTransport(clock, { latencyMs: (index) => (index % 2 === 0 ? 1500 : 10) });
    const result = await runLoad({
      load: load({ targetRate: 10, holdMs: 2000, requestTimeoutMs: 1000 }),
      sessions: numberedSessions(() => 1),
      protocol: testProtocol,
      transport,
      clock,
    });
    assert.deepEqual(
      result.seconds.map((s) => [s.sent, s.ok, s.errors.timeout ?? 0]),
      [
        [10, 5, 5],
        [10, 5, 5],
      ],
    );
    const service = mergeField(result.seconds, "serviceTime");
    assert.equal(service.totalCount, 20);
    // Histograms keep three significant digits.
    assert.ok(Math.abs(service.maxValue - 1_000_000) <= 1000, `timeout service ${service.maxValue} µs`);
    assert.ok(
      Math.abs(service.minNonZeroValue - 10_000) <= 10,
      `answer service ${service.minNonZeroValue} µs`,
    );
  });

  it("lets a held slot go as soon as an answer frees room, and records how late it went", async () => {
    const clock = createFakeClock();
    // Second 0's ten requests take 1050 ms: second 1's first slot (1050 ms) finds ten in flight and waits
    // for the first answer (1100 ms). Later requests answer in 1 ms, so every later slot finds room.
    const transport = createFakeTransport(clock, { latencyMs: (index) => (index < 10 ? 1050 : 1) });
    const result = await runLoad({
      load: load({ targetRate: 10, holdMs: 2000, requestTimeoutMs: 5000 }),
      sessions: numberedSessions(() => 1),
      protocol: testProtocol,
      transport,
      clock,
    });
    const second = result.seconds[1]!;
    assert.deepEqual([second.offered, second.sent, second.dropped, second.late], [10, 10, 0, 1]);
    assert.ok(Math.abs(transport.requests[10]!.sentAt - 1100) < 1e-6);
    const lag = mergeField([second], "sendLag");
    assert.ok(Math.abs(lag.maxValue - 50_000) <= 50, `lag ${lag.maxValue} µs`);
    // Response time counts the wait in the generator, service time does not.
    const response = mergeField([second], "responseTime");
    const service = mergeField([second], "serviceTime");
    assert.ok(Math.abs(response.maxValue - 51_000) <= 60, `response ${response.maxValue} µs`);
    assert.ok(Math.abs(service.maxValue - 1000) <= 1, `service ${service.maxValue} µs`);
  });

  it("keeps session order: a session clicks again only after its answer, with the session so far as context", async () => {
    const clock = createFakeClock();
    const random = createRandom(3);
    const transport = createFakeTransport(clock, { latencyMs: () => 5 + 60 * random.nextDouble() });
    await runLoad({
      load: load({ targetRate: 80, rampUpMs: 1000, holdMs: 1500 }),
      sessions: numberedSessions((id) => 1 + (id % 6)),
      protocol: testProtocol,
      transport,
      clock,
    });
    const bySession = new Map<number, typeof transport.requests>();
    for (const request of transport.requests) {
      const id = sessionOfItem(request.items[0]!);
      bySession.set(id, [...(bySession.get(id) ?? []), request]);
    }
    assert.ok(bySession.size > 20, `${bySession.size} sessions`);
    for (const [id, requests] of bySession) {
      const length = 1 + (id % 6);
      assert.ok(requests.length <= length, `session ${id} clicked past its end`);
      // Sessions that began well before the end of the run clicked all their items.
      if (requests[0]!.sentAt < 2000) assert.equal(requests.length, length, `session ${id} stopped early`);
      for (const [k, request] of requests.entries()) {
        assert.deepEqual(
          request.items,
          Array.from({ length: k + 1 }, (_, j) => id * 1000 + j + 1),
        );
        const previous = requests[k - 1];
        if (previous === undefined) continue;
        assert.ok(previous.answeredAt !== undefined && request.sentAt >= previous.answeredAt);
      }
    }
    // A busy session does not hold up the others: many sessions are under way at once.
    const spans = [...bySession.values()].map((r) => [r[0]!.sentAt, r.at(-1)!.answeredAt!] as const);
    const mostAtOnce = Math.max(
      ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length),
    );
    assert.ok(mostAtOnce >= 5, `at most ${mostAtOnce} sessions at once`);
  });

  it("classifies failures: transport errors by their class, bad answers as invalid, HTTP statuses by family", async () => {
    const clock = createFakeClock();
    const outcomes = [
      () => Promise.reject(new TransportError("reset", "socket hang up")),
      () => Promise.reject(new TransportError("connect", "connect ECONNREFUSED")),
      () => Promise.reject(new Error("surprise")),
      () => Promise.resolve({ status: 503, headers: {}, body: "busy" }),
      () => Promise.resolve({ status: 429, headers: {}, body: "slow down" }),
      () => Promise.resolve({ status: 200, headers: {}, body: "{}" }),
      () => Promise.resolve({ status: 302, headers: {}, body: "" }),
      () => Promise.resolve({ status: 200, headers: {}, body: '{"items":[[4,5]]}' }),
    ];
    let index = 0;
    const result = await runLoad({
      load: load({ targetRate: 8, holdMs: 1000 }),
      sessions: numberedSessions(() => 1),
      protocol: testProtocol,
      transport: { send: () => outcomes[index++ % outcomes.length]!(), close: async () => {} },
      clock,
    });
    assert.deepEqual(result.seconds[0]!.errors, {
      reset: 1,
      connect: 1,
      other: 2,
      http5xx: 1,
      http4xx: 1,
      invalid: 1,
    });
    assert.equal(result.seconds[0]!.ok, 1);
    // Fast failures carry no latency: only the one answer is in the latency histograms.
    assert.equal(mergeField(result.seconds, "responseTime").totalCount, 1);
  });

  it("stops sending on abort and returns the seconds measured so far", async () => {
    const clock = createFakeClock();
    const transport = createFakeTransport(clock, { latencyMs: () => 10 });
    const controller = new AbortController();
    const result = await runLoad({
      load: load({ targetRate: 20, holdMs: 10_000 }),
      sessions: numberedSessions(() => 4),
      protocol: testProtocol,
      transport,
      clock,
      signal: controller.signal,
      onSecond: (record) => {
        if (record.second === 1) controller.abort(new Error("interrupted"));
      },
    });
    assert.deepEqual(result.aborted, { reason: "interrupted", atSecond: 2 });
    assert.deepEqual(
      result.seconds.map((s) => s.second),
      [0, 1, 2],
    );
    const lastSent = Math.max(...transport.requests.map((r) => r.sentAt));
    assert.ok(lastSent < 2100, `a request went out at ${lastSent} ms, after the abort`);
    assert.equal(
      sum(result.seconds, (s) => s.sent),
      transport.requests.length,
    );
  });

  it("streams one JSON line per slot to the request log", async () => {
    const clock = createFakeClock();
    const transport = createFakeTransport(clock, { latencyMs: (index) => (index < 5 ? undefined : 2) });
    const log = new PassThrough();
    const chunks: Buffer[] = [];
    log.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await runLoad({
      load: load({ targetRate: 5, holdMs: 2000, requestTimeoutMs: 5000 }),
      sessions: numberedSessions(() => 2),
      protocol: testProtocol,
      transport,
      clock,
      requestLog: log,
    });
    log.end();
    const lines = Buffer.concat(chunks)
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { outcome: string; second: number; responseMs?: number });
    assert.equal(lines.length, 10);
    assert.deepEqual(lines.map((l) => l.outcome).sort(), [
      "dropped",
      "dropped",
      "dropped",
      "dropped",
      "dropped",
      "timeout",
      "timeout",
      "timeout",
      "timeout",
      "timeout",
    ]);
    assert.equal(
      sum(result.seconds, (s) => s.dropped),
      5,
    );
  });
});
