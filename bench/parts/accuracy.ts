import { autoConnections } from "../../src/loadgen/index.ts";
import { type BenchContext, TARGET_SCRIPT } from "../lib/context.ts";
import { fixed, type PartResult, type TargetCheck, table, thousands } from "../lib/figures.ts";
import type { Percentiles, StepSummary } from "../lib/generator-job.ts";
import { runGenerator } from "../lib/generator-runs.ts";
import { type PeerReading, runHey, runWrk } from "../lib/peer-runs.ts";
import { SERVER_CORE, startService } from "../lib/processes.ts";

const DELAY_MS = 20;
const RUNS = [
  { rate: 100, holdMs: 20_000 },
  { rate: 1000, holdMs: 10_000 },
  { rate: 5000, holdMs: 6000 },
];
const PEER_SECONDS = 5;
/** hey's per-worker rate: each worker waits 40 ms between sends, longer than the 20 ms answer. */
const HEY_WORKER_RATE = 25;

interface HeldTimes {
  holdMs: { count: number; p50: number; p90: number; p99: number };
}

type Quantile = "p50" | "p90" | "p99";
const TOLERANCE: Record<Quantile, { absoluteMs: number; relative: number }> = {
  p50: { absoluteMs: 0.5, relative: 0.02 },
  p90: { absoluteMs: 0.5, relative: 0.02 },
  p99: { absoluteMs: 1, relative: 0.05 },
};

async function measureEtude(
  delayMs: number,
  rate: number,
  holdMs: number,
): Promise<{ step: StepSummary; held: HeldTimes }> {
  const server = await startService<{ url: string }>(SERVER_CORE, TARGET_SCRIPT, ["delay", String(delayMs)]);
  let steps: StepSummary[];
  let held: HeldTimes | undefined;
  try {
    steps = await runGenerator({
      url: server.ready.url,
      connections: autoConnections(rate, DELAY_MS + 5),
      steps: [{ rate, warmupMs: 1000, holdMs }],
      stopWhenSaturated: false,
      rssCheckpoints: [],
      requestTimeoutMs: 5000,
    });
  } finally {
    // The server prints its measured holds as it stops.
    [held] = (await server.stop()) as HeldTimes[];
  }
  if (held === undefined) throw new Error(`the delay server printed no hold times at ${rate} req/s`);
  return { step: steps[0]!, held };
}

async function measurePeer(run: (url: string) => Promise<PeerReading>): Promise<PeerReading | null> {
  const server = await startService<{ url: string }>(SERVER_CORE, TARGET_SCRIPT, ["delay", String(DELAY_MS)]);
  try {
    return await run(server.ready.url);
  } finally {
    await server.stop();
  }
}

export async function accuracyPart(context: BenchContext): Promise<PartResult> {
  const { peers } = context;
  const rows: string[][] = [];
  const peerRows: string[][] = [];
  const targets: TargetCheck[] = [];
  for (const { rate, holdMs } of RUNS) {
    const floor = await measureEtude(0, rate, holdMs);
    const delayed = await measureEtude(DELAY_MS, rate, holdMs);
    const ours = delayed.step.response;
    const floorResponse = floor.step.response;
    if (ours === null || floorResponse === null) throw new Error(`no answers at ${rate} req/s`);
    const failures: string[] = [];
    for (const quantile of ["p50", "p90", "p99"] as const) {
      // The truth: the loopback and serving floor plus the hold the server itself measured.
      const truth = floorResponse[quantile] + delayed.held.holdMs[quantile];
      const error = ours[quantile] - truth;
      const { absoluteMs, relative } = TOLERANCE[quantile];
      const allowed = absoluteMs + relative * truth;
      if (Math.abs(error) > allowed)
        failures.push(`${quantile} off by ${fixed(error)} ms (allowed ${fixed(allowed)})`);
      rows.push([
        thousands(rate),
        quantile,
        fixed(floorResponse[quantile as keyof Percentiles]),
        fixed(delayed.held.holdMs[quantile], 3),
        fixed(truth),
        fixed(ours[quantile]),
        fixed(error),
        fixed(allowed),
        fixed(delayed.step.lateShare * 100, 2),
        delayed.step.runQueueShare === null ? "—" : fixed(delayed.step.runQueueShare * 100, 1),
      ]);
    }
    targets.push({
      part: "3. accuracy",
      target: `${thousands(rate)} req/s: p50/p90 within 0.5 ms + 2%, p99 within 1 ms + 5% of truth`,
      measured: failures.length === 0 ? "all within" : failures.join("; "),
      met: failures.length === 0,
    });
    const connections = Math.max(1, Math.round((rate * DELAY_MS) / 1000));
    const wrk =
      peers.wrk === null
        ? null
        : await measurePeer((url) => runWrk(peers.wrk!, url, { connections, seconds: PEER_SECONDS }));
    const workers = Math.max(1, Math.ceil(rate / HEY_WORKER_RATE));
    const hey =
      peers.hey === null
        ? null
        : await measurePeer((url) =>
            runHey(peers.hey!, url, { workers, perWorkerRate: rate / workers, seconds: PEER_SECONDS }),
          );
    const truth50 = floorResponse.p50 + delayed.held.holdMs.p50;
    const truth99 = floorResponse.p99 + delayed.held.holdMs.p99;
    const peerRow = (name: string, reading: PeerReading | null) =>
      reading === null
        ? [thousands(rate), name, "missing", "—", "—", "—", "—", "—"]
        : [
            thousands(rate),
            name,
            thousands(reading.requestsPerSecond),
            fixed(reading.p50),
            fixed(reading.p90),
            fixed(reading.p99),
            fixed(reading.p50 - truth50),
            fixed(reading.p99 - truth99),
          ];
    peerRows.push(
      [
        thousands(rate),
        "etude",
        thousands(delayed.step.achieved),
        fixed(ours.p50),
        fixed(ours.p90),
        fixed(ours.p99),
        fixed(ours.p50 - truth50),
        fixed(ours.p99 - truth99),
      ],
      peerRow(`wrk -c${connections} (closed loop)`, wrk),
      peerRow(`hey -c${workers} -q${fixed(rate / workers, 0)}`, hey),
    );
  }
  const text = [
    `Target: bench/servers/target.ts (core 1) holding each POST ${DELAY_MS} ms, released by a timer then a setImmediate spin, so the hold is exact to microseconds; the server measures each hold itself.`,
    "Floor: the same server and generator at delay 0 and the same rate (loopback, HTTP parsing, both event loops).",
    "Truth per percentile = floor percentile + the server's own measured hold percentile. Response time is measured from the intended send time.",
    "",
    table(
      [
        "rate",
        "pct",
        "floor (ms)",
        "server hold (ms)",
        "truth (ms)",
        "etude (ms)",
        "error (ms)",
        "allowed (ms)",
        "late %",
        "run-queue %",
      ],
      rows,
    ),
    "",
    "Peers at the same delay (wrk 4.1 has no -R: closed loop with rate/50 connections; hey rate-limited per worker):",
    "",
    table(
      ["rate", "tool", "req/s", "p50 (ms)", "p90 (ms)", "p99 (ms)", "p50 - truth", "p99 - truth"],
      peerRows,
    ),
  ].join("\n");
  return { title: "3. Accuracy against a known delay", text, targets };
}
