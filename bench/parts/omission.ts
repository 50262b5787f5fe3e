import { type BenchContext, TARGET_SCRIPT } from "../lib/context.ts";
import { fixed, type PartResult, table, thousands } from "../lib/figures.ts";
import { runGenerator } from "../lib/generator-runs.ts";
import { type PeerReading, runWrk } from "../lib/peer-runs.ts";
import { SERVER_CORE, startService } from "../lib/processes.ts";

const RATE = 1000;
const STALL_EVERY_MS = 10_000;
const STALL_MS = 1000;
const WARMUP_MS = 10_000;
/** The first request of the hold starts the first stall, so the hold covers exactly three whole stall cycles. */
const STALL_FROM_REQUEST = (RATE * WARMUP_MS) / 1000 + 1;
const HOLD_MS = 30_000;
const WRK_CONNECTIONS = 50;

/**
 * Response-time percentile q (0..1) at a constant rate when the server stalls for s every T: a share
 * f = s/T of the intended sends falls in a stall and waits until it ends, uniformly 0..s; the rest
 * see the base latency b. So for q <= 1 - f the answer is b, above it b + s (q - (1 - f)) / f.
 */
export function expectedPercentileMs(q: number, baseMs: number): number {
  const affected = STALL_MS / STALL_EVERY_MS;
  if (q <= 1 - affected) return baseMs;
  return baseMs + (STALL_MS * (q - (1 - affected))) / affected;
}

export async function omissionPart(context: BenchContext): Promise<PartResult> {
  const stallArgs = ["stall", String(STALL_EVERY_MS), String(STALL_MS), String(STALL_FROM_REQUEST)];
  const server = await startService<{ url: string }>(SERVER_CORE, TARGET_SCRIPT, stallArgs);
  let step: Awaited<ReturnType<typeof runGenerator>>[number];
  try {
    [step] = (await runGenerator({
      url: server.ready.url,
      // Every request of a stall stays in flight: a connection each, so none queues in the client.
      connections: Math.ceil(RATE * (STALL_MS / 1000) * 1.1),
      steps: [{ rate: RATE, warmupMs: WARMUP_MS, holdMs: HOLD_MS }],
      stopWhenSaturated: false,
      rssCheckpoints: [],
      requestTimeoutMs: 5000,
    })) as [typeof step];
  } finally {
    await server.stop();
  }
  let wrk: PeerReading | null = null;
  if (context.peers.wrk !== null) {
    const wrkServer = await startService<{ url: string }>(SERVER_CORE, TARGET_SCRIPT, stallArgs);
    try {
      wrk = await runWrk(context.peers.wrk, wrkServer.ready.url, {
        connections: WRK_CONNECTIONS,
        seconds: HOLD_MS / 1000,
      });
    } finally {
      await wrkServer.stop();
    }
  }
  const response = step.response;
  if (response === null) throw new Error("no answers from the stalling server");
  const base = response.p50;
  const quantiles = [
    ["p50", 0.5],
    ["p90", 0.9],
    ["p95", 0.95],
    ["p99", 0.99],
    ["p99.9", 0.999],
  ] as const;
  const measured = {
    p50: response.p50,
    p90: response.p90,
    p95: response.p95,
    p99: response.p99,
    "p99.9": response.p999,
  };
  const rows = quantiles.map(([name, q]) => {
    const expected = expectedPercentileMs(q, base);
    const wrkValue =
      wrk === null
        ? "—"
        : name === "p50"
          ? fixed(wrk.p50)
          : name === "p90"
            ? fixed(wrk.p90)
            : name === "p99"
              ? fixed(wrk.p99)
              : "—";
    return [
      name,
      fixed(expected, 1),
      fixed(measured[name], 1),
      fixed(measured[name] - expected, 1),
      wrkValue,
    ];
  });
  rows.push([
    "mean",
    fixed(base + (STALL_MS / STALL_EVERY_MS) * (STALL_MS / 2), 1),
    fixed(response.mean, 1),
    fixed(response.mean - base - 50, 1),
    "—",
  ]);
  const p99Error = Math.abs(measured.p99 - expectedPercentileMs(0.99, base));
  const text = [
    `Target: test/support startStallServer in its own process (core 1): stalls ${STALL_MS} ms every ${STALL_EVERY_MS / 1000} s, answers at once otherwise.`,
    `etude: ${thousands(RATE)} req/s open loop, ${WARMUP_MS / 1000} s warm-up (excluded; the hold's first request starts the first stall), ${HOLD_MS / 1000} s hold = three whole stall cycles.`,
    `Expected: f = ${STALL_MS}/${STALL_EVERY_MS} = ${STALL_MS / STALL_EVERY_MS} of the sends wait U(0, ${STALL_MS} ms) plus the base b (etude's measured p50, ${fixed(base, 2)} ms);`,
    "pq = b for q <= 0.9, else b + 1000 (q - 0.9) / 0.1 ms: p95 = b + 500, p99 = b + 900, p99.9 = b + 990; mean = b + 50 ms. p90 sits on the edge, so anything from b up to a few ms is right.",
    `etude: ${thousands(step.ok)} answers, ${thousands(step.dropped)} dropped by backpressure (in-flight limit = the rate, ${RATE}), ${step.errors} errors, in-flight max ${thousands(step.inFlightMax)}.`,
    wrk === null
      ? "wrk missing: no closed-loop comparison."
      : `wrk -t1 -c${WRK_CONNECTIONS}, closed loop, ${HOLD_MS / 1000} s on a fresh stalling server (stalls from its ${thousands(STALL_FROM_REQUEST)}th request on, three in 30 s): ${thousands(wrk.requestsPerSecond)} req/s; only its ${WRK_CONNECTIONS} in-flight requests per stall see it.`,
    "",
    table(["percentile", "expected (ms)", "etude (ms)", "etude - expected", "wrk (ms)"], rows),
  ].join("\n");
  return {
    title: "4. Coordinated omission",
    text,
    targets: [
      {
        part: "4. omission",
        target: "p99 response time within 5% of the analytic b + 900 ms",
        measured: `${fixed(measured.p99, 1)} ms vs ${fixed(expectedPercentileMs(0.99, base), 1)} ms`,
        met: p99Error <= 0.05 * expectedPercentileMs(0.99, base),
      },
    ],
  };
}
