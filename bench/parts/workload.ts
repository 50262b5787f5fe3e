import type { BenchContext } from "../lib/context.ts";
import { WORKLOAD_SCRIPT } from "../lib/context.ts";
import { fixed, type PartResult, table, thousands } from "../lib/figures.ts";
import { CLIENT_CORE, runPinned } from "../lib/processes.ts";
import { CATALOG_SIZES, type WorkloadFigures } from "../lib/workload-figures.ts";

/** ETUDE's reference implementation: over 1,000,000 clicks/s on one core at C = 10M. */
const ETUDE_CLICKS_PER_SECOND = 1_000_000;
const TARGET_FACTOR = 3;

export async function workloadPart(_context: BenchContext): Promise<PartResult> {
  const figures: WorkloadFigures[] = [];
  for (const size of CATALOG_SIZES) {
    const output = await runPinned(CLIENT_CORE, process.execPath, [WORKLOAD_SCRIPT, String(size)], 300_000);
    figures.push(JSON.parse(output) as WorkloadFigures);
  }
  const rows = figures.map((f) => [
    thousands(f.catalogSize),
    fixed(f.setupMs, 0),
    fixed(f.clicksPerSecond / 1e6),
    fixed(f.clicksPerCpuSecond / 1e6),
    fixed(f.clicksPerCpuSecond / ETUDE_CLICKS_PER_SECOND, 1),
    thousands(f.clicks),
    fixed(f.peakRssMb, 0),
  ]);
  const largest = figures.at(-1)!;
  const ratio = largest.clicksPerCpuSecond / ETUDE_CLICKS_PER_SECOND;
  const text = [
    "bench/workload.ts per catalog size, each in a fresh process on core 0 (20M clicks each).",
    "M clicks/CPU-s divides by the process's own CPU time, so time taken by other processes does not count.",
    "",
    table(
      [
        "C",
        "set-up (ms)",
        "M clicks/s (wall)",
        "M clicks/CPU-s",
        "x ETUDE (1M/s)",
        "clicks",
        "peak RSS (MB)",
      ],
      rows,
    ),
  ].join("\n");
  return {
    title: "1. Workload generation",
    text,
    targets: [
      {
        part: "1. workload",
        target: `>= ${TARGET_FACTOR}x ETUDE's 1M clicks/s at C = 10M (one core)`,
        measured: `${fixed(largest.clicksPerCpuSecond / 1e6)}M clicks/CPU-s = ${fixed(ratio, 1)}x (wall ${fixed(largest.clicksPerSecond / 1e6)}M/s)`,
        met: ratio >= TARGET_FACTOR,
      },
    ],
  };
}
