import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { autoConnections, resolveConnections } from "../../src/loadgen/connections.ts";
import { runLoad } from "../../src/loadgen/run.ts";
import { createUndiciTransport } from "../../src/loadgen/transport.ts";
import { TransportError } from "../../src/loadgen/types.ts";
import type { LoadSpec } from "../../src/spec/types.ts";
import { mergeField } from "../support/histograms.ts";
import { testProtocol } from "../support/protocol.ts";
import {
  type ErrorMode,
  ETUDE_BODY,
  startDelayServer,
  startErrorServer,
  type TestServer,
} from "../support/servers.ts";
import { numberedSessions } from "../support/sessions.ts";

const request = {
  method: "POST" as const,
  path: testProtocol.path,
  headers: testProtocol.headers,
  body: testProtocol.encodeRequest([1, 2]),
};

async function failureClass(url: string, timeoutMs = 500): Promise<string> {
  const transport = createUndiciTransport(url, { connections: 1, timeoutMs });
  try {
    const response = await transport.send(request, timeoutMs);
    return `answered ${response.status}`;
  } catch (error) {
    assert.ok(error instanceof TransportError, `not a TransportError: ${String(error)}`);
    return error.errorClass;
  } finally {
    await transport.close();
  }
}

describe("createUndiciTransport", () => {
  let delay: TestServer;
  before(async () => {
    delay = await startDelayServer({ delayMs: 1 });
  });
  after(() => delay.close());

  it("answers with status, headers and body, and opens its connections before measuring", async () => {
    const transport = createUndiciTransport(`${delay.url}/`, { connections: 4, timeoutMs: 2000 });
    try {
      await transport.warm();
      assert.equal(delay.connections, 4);
      const response = await transport.send(request, 2000);
      assert.equal(response.status, 200);
      assert.equal(response.body, ETUDE_BODY);
      assert.equal(response.headers["content-type"], "application/json");
      // Keep-alive: the answer reused a warm connection.
      assert.equal(delay.connections, 4);
    } finally {
      await transport.close();
    }
  });

  it("classifies refused connections, resets and timeouts", async () => {
    const closed = await startDelayServer({ delayMs: 0 });
    await closed.close();
    assert.equal(await failureClass(closed.url), "connect");
    const failing: Partial<Record<ErrorMode, string>> = { reset: "reset", hang: "timeout" };
    for (const [mode, expected] of Object.entries(failing)) {
      const server = await startErrorServer({ mode: mode as ErrorMode });
      try {
        assert.equal(await failureClass(server.url, 300), expected, `mode ${mode}`);
      } finally {
        await server.close();
      }
    }
  });

  it("rejects a bad URL or size, naming the value", () => {
    assert.throws(
      () => createUndiciTransport("localhost:8080", { connections: 1, timeoutMs: 100 }),
      /url must be/,
    );
    assert.throws(
      () => createUndiciTransport("ftp://127.0.0.1/", { connections: 1, timeoutMs: 100 }),
      /"ftp:/,
    );
    assert.throws(
      () => createUndiciTransport(delay.url, { connections: 0, timeoutMs: 100 }),
      /connections must be a positive integer, got 0/,
    );
  });
});

describe("runLoad against failing servers", () => {
  function spec(overrides: Partial<LoadSpec>): LoadSpec {
    return {
      targetRate: 20,
      rampUpMs: 0,
      holdMs: 500,
      warmupMs: 0,
      warmupRate: 0,
      requestTimeoutMs: 300,
      connections: 4,
      arrival: "uniform",
      ...overrides,
    };
  }

  async function run(mode: ErrorMode) {
    const server = await startErrorServer({ mode });
    const transport = createUndiciTransport(server.url, { connections: 4, timeoutMs: 300 });
    try {
      return await runLoad({
        load: spec({}),
        sessions: numberedSessions(() => 3),
        protocol: testProtocol,
        transport,
      });
    } finally {
      await transport.close();
      await server.close();
    }
  }

  for (const [mode, errorClass] of [
    ["500", "http5xx"],
    ["404", "http4xx"],
    ["reset", "reset"],
    ["invalid", "invalid"],
  ] as const) {
    it(`counts every request to a "${mode}" server as ${errorClass}`, async () => {
      const result = await run(mode);
      const [second] = result.seconds;
      assert.equal(second?.sent, 10);
      assert.deepEqual(second?.errors, { [errorClass]: 10 });
      assert.equal(second?.ok, 0);
    });
  }

  it("keeps timed-out requests in the latency statistics at the timeout", async () => {
    const result = await run("hang");
    const [second] = result.seconds;
    assert.equal(second?.errors.timeout, second?.sent);
    const service = mergeField(result.seconds, "serviceTime");
    assert.equal(service.totalCount, second?.sent);
    // The deadline is 300 ms; a loaded machine may notice it a little late, never early.
    assert.ok(service.minNonZeroValue >= 299_000, `service min ${service.minNonZeroValue} µs`);
    assert.ok(service.maxValue < 450_000, `service max ${service.maxValue} µs`);
  });

  it("keeps measuring when nothing listens: every request is a connect error", async () => {
    const closed = await startDelayServer({ delayMs: 0 });
    await closed.close();
    const transport = createUndiciTransport(closed.url, { connections: 2, timeoutMs: 300 });
    try {
      const result = await runLoad({
        load: spec({ holdMs: 1000 }),
        sessions: numberedSessions(() => 3),
        protocol: testProtocol,
        transport,
      });
      assert.equal(result.seconds.length, 1);
      assert.equal(result.seconds[0]?.sent, 20);
      assert.deepEqual(result.seconds[0]?.errors, { connect: 20 });
    } finally {
      await transport.close();
    }
  });
});

describe("autoConnections", () => {
  it("sizes from Little's law with twice the concurrency and two spare, capped at the rate", () => {
    assert.equal(autoConnections(1000, 50), 102);
    assert.equal(autoConnections(100, 20), 6);
    assert.equal(autoConnections(10, 1000), 10);
    assert.equal(autoConnections(0.5, 10), 1);
    assert.equal(
      resolveConnections({ connections: "auto", targetRate: 200 } as LoadSpec, 100),
      autoConnections(200, 100),
    );
    assert.equal(resolveConnections({ connections: 7, targetRate: 200 } as LoadSpec), 7);
  });

  it("rejects rates and latencies that cannot size a pool", () => {
    assert.throws(() => autoConnections(0, 10), /targetRate must be a positive number.*got 0/);
    assert.throws(() => autoConnections(10, -1), /expectedLatencyMs must be .*got -1/);
  });
});
