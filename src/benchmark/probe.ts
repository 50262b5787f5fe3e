import type { Transport } from "../loadgen/types.ts";
import type { ProtocolAdapter } from "../protocol/types.ts";
import type { SessionSource } from "../workload/types.ts";

const PROBE_REQUESTS = 20;

/**
 * Serial requests before the run, to size connections from a measured latency rather than a guess.
 * Returns the slowest answer in milliseconds, or undefined when no request succeeded (the run's warm-up
 * and error classes will then say what is wrong).
 */
export async function probeLatencyMs(
  transport: Transport,
  protocol: ProtocolAdapter,
  sessions: SessionSource,
  timeoutMs: number,
): Promise<number | undefined> {
  let slowest: number | undefined;
  for (let i = 0; i < PROBE_REQUESTS; i++) {
    const session = sessions.next();
    const started = performance.now();
    try {
      const response = await transport.send(
        {
          method: protocol.method,
          path: protocol.path,
          headers: protocol.headers,
          body: protocol.encodeRequest(session.items.subarray(0, 1)),
        },
        timeoutMs,
      );
      if (response.status >= 400) continue;
      slowest = Math.max(slowest ?? 0, performance.now() - started);
    } catch {
      // Counted by the run itself; the probe only sizes connections.
    }
  }
  return slowest;
}
