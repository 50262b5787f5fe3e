import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLoad } from "../../src/loadgen/run.ts";
import { createUndiciTransport } from "../../src/loadgen/transport.ts";
import type { RunMeasurement } from "../../src/loadgen/types.ts";
import type { LoadSpec } from "../../src/spec/types.ts";
import { mergeField, sum } from "../support/histograms.ts";
import { testProtocol } from "../support/protocol.ts";
import {
  startCappedServer,
  startDelayServer,
  startStallServer,
  type TestServer,
} from "../support/servers.ts";
import { numberedSessions } from "../support/sessions.ts";

interface LoggedRequest {
  second: number;
  intendedMs: number;
  sentMs?: number;
  responseMs?: number;
  serviceMs?: number;
  outcome: string;
}

function spec(overrides: Partial<LoadSpec>): LoadSpec {
  return {
    targetRate: 100,
    rampUpMs: 0,
    holdMs: 2000,
    warmupMs: 0,
    warmupRate: 0,
    requestTimeoutMs: 5000,
    connections: 100,
    arrival: "uniform",
    ...overrides,
  };
}

/** Runs a load against a server, keeping the request log in memory (a test's run is short). */
async function measure(
  server: TestServer,
  load: LoadSpec,
): Promise<{ result: RunMeasurement; log: LoggedRequest[] }> {
  const connections = load.connections === "auto" ? 16 : load.connections;
  const transport = createUndiciTransport(server.url, { connections, timeoutMs: load.requestTimeoutMs });
  const lines: string[] = [];
  const requestLog = {
    write(line: string) {
      lines.push(line);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  try {
    const result = await runLoad({
      load,
      sessions: numberedSessions(() => 5),
      protocol: testProtocol,
      transport,
      requestLog,
    });
    return { result, log: lines.map((line) => JSON.parse(line) as LoggedRequest) };
  } finally {
    await transport.close();
    await server.close();
  }
}

const ms = (us: number) => (us / 1000).toFixed(2);

describe("runLoad against local servers", () => {
  it("measures a 20 ms server at 150 req/s: p50 response time 20-23 ms", async (t) => {
    const { result } = await measure(
      await startDelayServer({ delayMs: 20 }),
      spec({ targetRate: 150, holdMs: 2000, warmupMs: 1000, warmupRate: 50, connections: 16 }),
    );
    const measured = result.seconds.filter((s) => s.phase !== "warmup");
    assert.equal(measured.length, 2);
    assert.equal(
      sum(measured, (s) => s.ok),
      300,
    );
    const response = mergeField(measured, "responseTime");
    const service = mergeField(measured, "serviceTime");
    const lag = mergeField(measured, "sendLag");
    const p50 = response.getValueAtPercentile(50);
    t.diagnostic(
      `response p50 ${ms(p50)} p99 ${ms(response.getValueAtPercentile(99))} ms; ` +
        `service p50 ${ms(service.getValueAtPercentile(50))} ms; send lag p50 ${ms(lag.getValueAtPercentile(50))} ` +
        `p99 ${ms(lag.getValueAtPercentile(99))} max ${ms(lag.maxValue)} ms; late ${sum(measured, (s) => s.late)}/300`,
    );
    // On a quiet machine p50 is 20-23 ms. When the generator's own event loop was held up (other processes
    // taking the CPU), that delay adds to every measurement, and the run says so in its generator figures.
    const loopDelayUs = Math.max(...measured.map((s) => s.generator.eventLoopDelayP99Us));
    const upper = loopDelayUs < 5000 ? 23_000 : 35_000;
    t.diagnostic(`generator event-loop delay p99 up to ${ms(loopDelayUs)} ms: p50 bound ${ms(upper)} ms`);
    assert.ok(p50 >= 20_000 && p50 <= upper, `p50 ${ms(p50)} ms`);
    // Server and generator share one process: the server's timer may fire a fraction of a ms early.
    assert.ok(service.minNonZeroValue >= 19_000, "no answer can beat the server's delay");
    assert.equal(
      sum(measured, (s) => s.dropped),
      0,
    );
  });

  it("shows a 1.5 s stall in response time, including requests that waited in the generator", async (t) => {
    // 50 req/s with room for 50 in flight. The stall starts with request 51, the first of second 1 (intended
    // at 1.01 s), and lasts 1.5 s: it holds the second-1 requests at the server, which fills the in-flight
    // budget, so second-2 slots wait in the generator until it ends (about 2.5 s). Tying the stall to a
    // request of the plan rather than to the server's clock keeps this so however late the run starts.
    const { result, log } = await measure(
      await startStallServer({
        stallFromRequest: 51,
        stallEveryMs: 10_000,
        stallMs: 1500,
        delayMs: 20,
        stalls: 1,
      }),
      spec({ targetRate: 50, holdMs: 3000, connections: 50 }),
    );
    // Everything sent is answered; a loaded machine may still drop the last few slots of a second.
    assert.equal(
      sum(result.seconds, (s) => s.ok),
      sum(result.seconds, (s) => s.sent),
    );
    assert.ok(sum(result.seconds, (s) => s.dropped) <= 5);
    for (const record of result.seconds) assert.equal(record.offered, record.sent + record.dropped);
    const response = mergeField(result.seconds, "responseTime");
    t.diagnostic(`response p99.9 ${ms(response.getValueAtPercentile(99.9))} max ${ms(response.maxValue)} ms`);
    assert.ok(response.getValueAtPercentile(99.9) >= 1_000_000, "the stall shows in p99.9");
    // Requests sent during the stall were held by the server: their own service time shows it too.
    assert.ok(mergeField(result.seconds, "serviceTime").maxValue >= 1_000_000);
    // Requests held back by backpressure went out late; the wait is in their response time only.
    // Second-2 slots wait from 2.0 s to the stall's end at 2.5 s: a wait beyond 200 ms is backpressure,
    // not scheduling jitter. Once sent, they meet a recovered server: short service, long response time.
    const queued = log.filter((r) => r.sentMs !== undefined && r.sentMs - r.intendedMs > 200);
    t.diagnostic(`${queued.length} requests waited in the generator`);
    assert.ok(queued.length >= 5, `${queued.length} requests waited in the generator`);
    for (const request of queued) {
      assert.equal(request.second, 2);
      assert.ok(request.serviceMs! < 300, `service ${request.serviceMs} ms after waiting in the generator`);
      assert.ok(request.responseMs! > 200 + request.serviceMs!);
    }
    assert.ok(result.seconds[2]!.late >= queued.length);
    // Requests answered before the stall were not held back.
    const early = log.filter((r) => r.sentMs !== undefined && r.sentMs < 900);
    assert.ok(early.length >= 40 && early.every((r) => r.serviceMs! < 200));
  });

  it("against a server capped at 50 answers/s, throughput stays at the cap and backpressure drops slots", async (t) => {
    const { result } = await measure(
      await startCappedServer({ ratePerSecond: 50 }),
      spec({ targetRate: 100, holdMs: 2000, connections: 100 }),
    );
    const [first, second] = result.seconds;
    t.diagnostic(
      `throughput ${result.seconds.map((s) => s.throughput).join(", ")}; dropped ${second?.dropped}; ` +
        `in flight max ${second?.inFlightMax}`,
    );
    for (const record of result.seconds) assert.ok(record.throughput <= 52, `${record.throughput} answers/s`);
    assert.ok((first?.throughput ?? 0) >= 35, `only ${first?.throughput} answers in the first second`);
    assert.equal(second?.inFlightMax, 100);
    assert.ok((second?.dropped ?? 0) > 0, "slots are dropped once in-flight requests reach the rate");
    assert.equal(second?.offered, (second?.sent ?? 0) + (second?.dropped ?? 0));
  });
});
