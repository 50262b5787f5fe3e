import type { BenchContext } from "../lib/context.ts";
import { fixed, type PartResult, table, thousands } from "../lib/figures.ts";
import type { StepSummary } from "../lib/generator-job.ts";
import { runGenerator } from "../lib/generator-runs.ts";
import { startNginx } from "../lib/nginx.ts";
import { type PeerReading, runAutocannon, runWrk } from "../lib/peer-runs.ts";

const CONNECTIONS = 50;
const RATES = [200, 500, 1000, 2000, 3000, 4000, 6000, 8000, 10_000, 12_000, 16_000, 20_000, 24_000, 32_000];
const WARMUP_MS = 1000;
const HOLD_MS = 5000;
const PEER_SECONDS = 10;

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

export async function capacityPart(context: BenchContext): Promise<PartResult> {
  const { peers } = context;
  if (peers.nginx === null) {
    return {
      title: "2. Load-generator capacity",
      text: "nginx is missing: no static target, part skipped.",
      targets: [
        { part: "2. capacity", target: ">= autocannon's rate", measured: "nginx missing", met: null },
      ],
    };
  }
  const nginx = await startNginx(peers.nginx);
  let steps: StepSummary[];
  let autocannon: PeerReading | null = null;
  let wrk: PeerReading | null = null;
  try {
    steps = await runGenerator({
      url: nginx.url,
      connections: CONNECTIONS,
      steps: RATES.map((rate) => ({ rate, warmupMs: WARMUP_MS, holdMs: HOLD_MS })),
      stopWhenSaturated: true,
      rssCheckpoints: [],
      requestTimeoutMs: 5000,
    });
    if (peers.autocannon !== null) {
      autocannon = await runAutocannon(peers.autocannon, nginx.url, {
        connections: CONNECTIONS,
        seconds: PEER_SECONDS,
      });
    }
    if (peers.wrk !== null) {
      wrk = await runWrk(peers.wrk, nginx.url, { connections: CONNECTIONS, seconds: PEER_SECONDS });
    }
  } finally {
    await nginx.stop();
  }
  const sustained = steps.filter((step) => step.sustained).map((step) => step.rate);
  const capacity = sustained.length === 0 ? 0 : Math.max(...sustained);
  const achieved = Math.max(...steps.map((step) => step.achieved));
  context.generatorCapacity = achieved;
  const stepRows = steps.map((s) => [
    thousands(s.rate),
    thousands(s.achieved),
    percent(s.late / Math.max(1, s.offered)),
    thousands(s.dropped),
    s.errors,
    fixed(s.sendLagP99Ms),
    fixed(s.service?.p50),
    fixed(s.service?.p99),
    fixed(s.eventLoopUtilization),
    s.runQueueShare === null ? "—" : percent(s.runQueueShare),
    fixed((s.cpuSeconds / Math.max(1, s.requests)) * 1e6, 1),
    s.sustained ? "yes" : "no",
  ]);
  const peerRow = (name: string, reading: PeerReading | null) =>
    reading === null
      ? [name, "missing", "—", "—", "—", "—"]
      : [
          name,
          thousands(reading.requestsPerSecond),
          fixed(reading.p50),
          fixed(reading.p99),
          reading.errors,
          fixed(capacity / reading.requestsPerSecond),
        ];
  const text = [
    `Target: nginx (1 worker, core 1) returning the static etude answer; clients on core 0, ${CONNECTIONS} connections each.`,
    `etude steps: ${WARMUP_MS / 1000} s warm-up then ${HOLD_MS / 1000} s hold per rate, open loop; "sustained" = under 1% of slots sent >1 ms late or dropped, no errors, >=99% answered.`,
    "run-queue = share of wall time etude's main thread was runnable but waiting for the core (other processes).",
    "",
    table(
      [
        "rate",
        "answered/s",
        "late",
        "dropped",
        "errors",
        "send lag p99 (ms)",
        "service p50 (ms)",
        "service p99 (ms)",
        "ELU",
        "run-queue",
        "CPU µs/req",
        "sustained",
      ],
      stepRows,
    ),
    "",
    table(
      ["closed-loop peer", "req/s", "p50 (ms)", "p99 (ms)", "errors", "etude sustained / peer"],
      [peerRow("autocannon", autocannon), peerRow("wrk -t1", wrk)],
    ),
    "",
    `etude: highest sustained rate ${thousands(capacity)} req/s; highest answered rate ${thousands(achieved)} req/s` +
      (autocannon === null ? "." : ` (${fixed(achieved / autocannon.requestsPerSecond)} of autocannon's).`),
  ].join("\n");
  return {
    title: "2. Load-generator capacity",
    text,
    targets: [
      {
        part: "2. capacity",
        target: `sustained rate (<1% late) >= autocannon's at ${CONNECTIONS} connections`,
        measured:
          autocannon === null
            ? `${thousands(capacity)} req/s; autocannon missing`
            : `${thousands(capacity)} vs ${thousands(autocannon.requestsPerSecond)} req/s = ${fixed(capacity / autocannon.requestsPerSecond)}x`,
        met: autocannon === null ? null : capacity >= autocannon.requestsPerSecond,
      },
    ],
  };
}
