import type { BenchContext } from "../lib/context.ts";
import { fixed, type PartResult, table, thousands } from "../lib/figures.ts";
import { runGenerator } from "../lib/generator-runs.ts";
import { startNginx } from "../lib/nginx.ts";

const REQUESTS = 1_000_000;
const RATE = 5000;
const CHECKPOINTS = [100_000, 250_000, 500_000, 750_000, 1_000_000];
const RSS_LIMIT_MB = 150;

export async function footprintPart(context: BenchContext): Promise<PartResult> {
  const { peers } = context;
  if (peers.nginx === null) {
    return {
      title: "5. Footprint",
      text: "nginx is missing: no static target, part skipped.",
      targets: [
        { part: "5. footprint", target: `RSS < ${RSS_LIMIT_MB} MB`, measured: "nginx missing", met: null },
      ],
    };
  }
  const nginx = await startNginx(peers.nginx);
  const holdMs = (REQUESTS / RATE) * 1000;
  let summary: Awaited<ReturnType<typeof runGenerator>>[number] | undefined;
  try {
    [summary] = await runGenerator({
      url: nginx.url,
      connections: 50,
      steps: [{ rate: RATE, warmupMs: 0, holdMs }],
      stopWhenSaturated: false,
      rssCheckpoints: CHECKPOINTS,
      requestTimeoutMs: 5000,
    });
  } finally {
    await nginx.stop();
  }
  if (summary === undefined) throw new Error("the generator printed no summary");
  const rows = summary.rssAtCheckpointsMb.map((point) => [thousands(point.requests), fixed(point.rssMb, 0)]);
  const at100k = summary.rssAtCheckpointsMb[0]?.rssMb;
  const at1m = summary.rssAtCheckpointsMb.at(-1)?.rssMb;
  const text = [
    `etude's generator on core 0, ${thousands(RATE)} req/s for ${holdMs / 1000} s against nginx (core 1), 50 connections.`,
    `Sent ${thousands(summary.sent)}, answered ${thousands(summary.ok)}, dropped ${thousands(summary.dropped)}, late ${fixed((summary.late / Math.max(1, summary.offered)) * 100, 2)}%, run-queue ${summary.runQueueShare === null ? "—" : fixed(summary.runQueueShare * 100, 1)}%.`,
    `Memory at the end (process.memoryUsage, MB): RSS ${fixed(summary.memoryMb.rss, 0)}, V8 heap ${fixed(summary.memoryMb.heapTotal, 0)} reserved / ${fixed(summary.memoryMb.heapUsed, 0)} used, external ${fixed(summary.memoryMb.external, 0)} (array buffers ${fixed(summary.memoryMb.arrayBuffers, 0)}); the rest of RSS is code, stacks and native allocations.`,
    `CPU: ${fixed(summary.cpuSeconds, 1)} s in all = ${fixed((summary.cpuSeconds / Math.max(1, summary.requests)) * 100_000, 2)} CPU-s per 100,000 requests. Peak RSS (maxRSS): ${fixed(summary.peakRssMb, 0)} MB.`,
    "",
    table(["requests sent", "RSS (MB)"], rows),
  ].join("\n");
  return {
    title: "5. Footprint",
    text,
    targets: [
      {
        part: "5. footprint",
        target: `RSS < ${RSS_LIMIT_MB} MB at 100k and 1M requests`,
        measured: `${fixed(at100k, 0)} MB at 100k, ${fixed(at1m, 0)} MB at ${thousands(summary.requests)}, peak ${fixed(summary.peakRssMb, 0)} MB`,
        met: summary.peakRssMb < RSS_LIMIT_MB,
      },
      {
        part: "5. footprint",
        target: "RSS bounded: flat from 100k to 1M requests (growth < 10%)",
        measured: `${fixed(at100k, 0)} -> ${fixed(at1m, 0)} MB`,
        met: at100k === undefined || at1m === undefined ? null : at1m < at100k * 1.1,
      },
    ],
  };
}
