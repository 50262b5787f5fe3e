/** What bench/generator.ts is asked to run, and what it reports; shared by the child and its callers. */
export interface GeneratorStep {
  rate: number;
  warmupMs: number;
  holdMs: number;
}

export interface GeneratorJob {
  url: string;
  connections: number;
  steps: GeneratorStep[];
  /** Stop the ladder after a step that answered under 95% of its rate: the generator or target is saturated. */
  stopWhenSaturated: boolean;
  /** Request counts at which to sample the generator's resident memory. */
  rssCheckpoints: number[];
  requestTimeoutMs: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface StepSummary {
  rate: number;
  holdSeconds: number;
  offered: number;
  sent: number;
  dropped: number;
  late: number;
  ok: number;
  errors: number;
  /** (late + dropped) / offered over the hold. */
  lateShare: number;
  /** Successful answers per second over the hold. */
  achieved: number;
  /** Under 1% late or dropped, no errors, and at least 99% of the rate answered. */
  sustained: boolean;
  /** Milliseconds, from the intended send time. */
  response: Percentiles | null;
  /** Milliseconds, from the actual send. */
  service: Percentiles | null;
  sendLagP99Ms: number | null;
  eventLoopUtilization: number;
  /** Most requests in flight at once during the hold. */
  inFlightMax: number;
  /**
   * Share of this step's wall time the generator's main thread spent runnable but waiting for a core
   * (/proc schedstat): time taken by other processes, which makes any generator send late.
   */
  runQueueShare: number | null;
  /** CPU seconds of the generator process during this step (warm-up included). */
  cpuSeconds: number;
  /** Requests sent during this step, warm-up included. */
  requests: number;
  rssAtCheckpointsMb: { requests: number; rssMb: number }[];
  peakRssMb: number;
  /** process.memoryUsage() at the end of the step, MB: where the resident memory goes. */
  memoryMb: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
}
