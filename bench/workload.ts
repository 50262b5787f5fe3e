/**
 * Speed of the synthetic workload (Algorithm 1): catalog set-up time, clicks per second on one core and
 * peak resident memory, for catalogs of 10k to 10M items. Each size runs in a fresh process so that
 * peak RSS belongs to that size alone. Prints figures; asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { markdownTable } from "markdown-table";
import type { WorkloadSpec } from "../src/spec/types.ts";
import { buildCatalog } from "../src/workload/catalog.ts";
import { createSessionSource } from "../src/workload/sessions.ts";
import { CATALOG_SIZES, type WorkloadFigures } from "./lib/workload-figures.ts";

const CLICKS = 20_000_000;

function workload(catalogSize: number): WorkloadSpec {
  return {
    catalogSize,
    sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
    itemPopularity: { kind: "powerlaw", exponent: 1.868, xmin: 1 },
    topK: 21,
    maxSessionLength: 50,
    seed: 42,
  };
}

function measure(catalogSize: number): WorkloadFigures {
  const spec = workload(catalogSize);
  const setupStart = performance.now();
  const catalog = buildCatalog(spec);
  const setupMs = performance.now() - setupStart;
  const source = createSessionSource(spec, { catalog });
  let clicks = 0;
  let sessions = 0;
  let checksum = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (clicks < CLICKS) {
    const { items } = source.next();
    clicks += items.length;
    sessions++;
    checksum ^= items[items.length - 1]!;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Keeps the generated items observable so that no engine can skip generating them.
  if (checksum < 0) throw new Error("unreachable");
  return {
    catalogSize,
    setupMs,
    clicks,
    sessions,
    clicksPerSecond: clicks / seconds,
    clicksPerCpuSecond: clicks / cpuSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const [, , child] = process.argv;
if (child !== undefined) {
  process.stdout.write(JSON.stringify(measure(Number(child))));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = CATALOG_SIZES.map((size) => {
    const output = execFileSync(process.execPath, [self, String(size)], { encoding: "utf8" });
    const figures = JSON.parse(output) as WorkloadFigures;
    return [
      figures.catalogSize.toLocaleString("en-US"),
      figures.setupMs.toFixed(0),
      (figures.clicksPerSecond / 1e6).toFixed(2),
      (figures.clicksPerCpuSecond / 1e6).toFixed(2),
      figures.clicks.toLocaleString("en-US"),
      figures.sessions.toLocaleString("en-US"),
      figures.peakRssMb.toFixed(0),
    ];
  });
  console.log(
    `Node ${process.version}, one core; item popularity exponent 1.868 (unbounded), sessions exponent 2.4 capped at 50`,
  );
  console.log(
    markdownTable(
      [
        [
          "catalog size",
          "set-up (ms)",
          "M clicks/s",
          "M clicks/CPU-s",
          "clicks",
          "sessions",
          "peak RSS (MB)",
        ],
        ...rows,
      ],
      { align: ["r", "r", "r", "r", "r", "r", "r"] },
    ),
  );
}
