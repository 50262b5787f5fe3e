import * as hdr from "hdr-histogram-js";
import type { ErrorClass, Phase, RunMeasurement, SecondRecord } from "../../src/loadgen/types.ts";
import type { LoadSpec, Spec } from "../../src/spec/types.ts";

/** Latencies as [milliseconds, how many requests took that long]. */
export type LatencyCounts = readonly (readonly [ms: number, count: number])[];

export interface SecondPlan {
  phase: Phase;
  targetRate: number;
  /** Latencies of the successful requests; their total is the second's ok count. */
  responseMs: LatencyCounts;
  /** Defaults to the response times. */
  serviceMs?: LatencyCounts;
  serverMs?: LatencyCounts;
  /** Defaults to the target rate. */
  offered?: number;
  dropped?: number;
  /** How late the sends went out; defaults to 0.1 ms for every one. */
  sendLagMs?: LatencyCounts;
  errors?: Partial<Record<ErrorClass, number>>;
  /** Defaults to ok. */
  throughput?: number;
  /** Defaults to a tenth of the target rate: well under the backpressure limit. */
  inFlightMax?: number;
  eventLoopDelayP99Us?: number;
  eventLoopUtilization?: number;
}

export function encode(counts: LatencyCounts): string {
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const [ms, count] of counts)
    if (count > 0) histogram.recordValueWithCount(Math.round(ms * 1000), count);
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function total(counts: LatencyCounts): number {
  return counts.reduce((sum, [, count]) => sum + count, 0);
}

/** `count` requests spread evenly between two latencies. */
export function spread(fromMs: number, toMs: number, count: number): LatencyCounts {
  if (count === 1) return [[fromMs, 1]];
  return Array.from({ length: count }, (_, i) => [fromMs + ((toMs - fromMs) * i) / (count - 1), 1] as const);
}

export function secondRecord(second: number, plan: SecondPlan): SecondRecord {
  const ok = total(plan.responseMs);
  const errors = plan.errors ?? {};
  const errorTotal = Object.values(errors).reduce((sum, count) => sum + (count ?? 0), 0);
  const dropped = plan.dropped ?? 0;
  return {
    second,
    phase: plan.phase,
    targetRate: plan.targetRate,
    offered: plan.offered ?? ok + errorTotal + dropped,
    sent: ok + errorTotal,
    dropped,
    late: total((plan.sendLagMs ?? []).filter(([ms]) => ms > 1)),
    ok,
    errors,
    throughput: plan.throughput ?? ok,
    inFlightMax: plan.inFlightMax ?? Math.ceil(plan.targetRate / 10),
    sendLag: encode(plan.sendLagMs ?? [[0.1, ok + errorTotal]]),
    responseTime: encode(plan.responseMs),
    serviceTime: encode(plan.serviceMs ?? plan.responseMs),
    ...(plan.serverMs ? { serverTime: encode(plan.serverMs) } : {}),
    generator: {
      eventLoopDelayP99Us: plan.eventLoopDelayP99Us ?? 1_000,
      eventLoopUtilization: plan.eventLoopUtilization ?? 0.3,
    },
  };
}

export function testLoad(overrides: Partial<LoadSpec> = {}): LoadSpec {
  return {
    targetRate: 100,
    rampUpMs: 10_000,
    holdMs: 10_000,
    warmupMs: 2_000,
    warmupRate: 10,
    requestTimeoutMs: 1_000,
    connections: 64,
    arrival: "uniform",
    ...overrides,
  };
}

export interface PlannedRun {
  load?: Partial<LoadSpec>;
  connections?: number;
  aborted?: RunMeasurement["aborted"];
  /** Called for every second of the plan with its phase and rate; returns what happened in it. */
  second: (context: {
    second: number;
    phase: Phase;
    targetRate: number;
  }) => Omit<SecondPlan, "phase" | "targetRate">;
}

/** A run following the load plan: warm-up, a linear ramp to the target, then hold; cut short when aborted. */
export function plannedRun(planned: PlannedRun): RunMeasurement {
  const load = testLoad(planned.load);
  const warmup = Math.round(load.warmupMs / 1000);
  const ramp = Math.round(load.rampUpMs / 1000);
  const hold = Math.round(load.holdMs / 1000);
  const seconds: SecondRecord[] = [];
  const last = planned.aborted ? planned.aborted.atSecond : warmup + ramp + hold;
  for (let second = 0; second < last; second++) {
    let phase: Phase = "hold";
    let targetRate = load.targetRate;
    if (second < warmup) {
      phase = "warmup";
      targetRate = load.warmupRate;
    } else if (second < warmup + ramp) {
      phase = "ramp";
      targetRate = (load.targetRate * (second - warmup + 1)) / ramp;
    }
    seconds.push(
      secondRecord(second, { phase, targetRate, ...planned.second({ second, phase, targetRate }) }),
    );
  }
  return {
    startedAt: "2025-01-01T00:00:00.000Z",
    load,
    connections: planned.connections ?? 64,
    seconds,
    ...(planned.aborted ? { aborted: planned.aborted } : {}),
  };
}

export function testSpec(overrides: Partial<Spec> = {}): Spec {
  return {
    name: "narm-groceries",
    workload: {
      catalogSize: 10_000,
      sessionLengths: { kind: "powerlaw", exponent: 2.3, xmin: 1 },
      itemPopularity: { kind: "powerlaw", exponent: 1.7, xmin: 1 },
      topK: 21,
      maxSessionLength: 50,
      seed: 42,
    },
    load: testLoad(),
    constraints: { latencyMs: { p90: 50 }, maxErrorRate: 0.01, windowMs: 5_000 },
    target: { kind: "url", url: "http://127.0.0.1:8080" },
    protocol: { kind: "etude" },
    repetitions: 1,
    regression: { minRelative: 0.05, minLatencyMs: 1, minThroughput: 10, confidence: 0.95 },
    ...overrides,
  };
}
