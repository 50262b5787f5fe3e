import type { MetricSamples } from "../analysis/regression.ts";
import type { ResultsDocument } from "../analysis/results.ts";

/**
 * The regression metrics, one value per repetition, from the analysis of each run: response-time
 * percentiles at target and the maximum sustainable throughput. A run without a value at target
 * (it never reached the target) contributes none.
 */
export function metricSamples(results: ResultsDocument): MetricSamples {
  const runs = results.analysis.runs;
  const present = (values: Array<number | undefined>): number[] =>
    values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  const samples: MetricSamples = {
    p50Ms: present(runs.map((run) => run.atTarget?.responseTime?.p50)),
    p90Ms: present(runs.map((run) => run.atTarget?.responseTime?.p90)),
    p99Ms: present(runs.map((run) => run.atTarget?.responseTime?.p99)),
    maxThroughput: present(runs.map((run) => run.maxSustainableThroughput.throughput)),
  };
  return Object.fromEntries(Object.entries(samples).filter(([, values]) => values.length > 0));
}
