import { type EventLoopUtilization, monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface GeneratorSample {
  eventLoopDelayP99Us: number;
  eventLoopUtilization: number;
}

/** Sampling period of the event-loop delay monitor: 100 samples a second, each waking the process. */
const RESOLUTION_MS = 10;

/** Watches the generator's own event loop; each sample covers the time since the previous one. */
export function createGeneratorMonitor(): { sample(): GeneratorSample; stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let utilization: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    sample() {
      const now = performance.eventLoopUtilization();
      const delta = performance.eventLoopUtilization(now, utilization);
      utilization = now;
      // The monitor records whole timer intervals: the delay is what exceeds the sampling period.
      const p99Ns = delay.count > 0 ? Math.max(0, delay.percentile(99) - RESOLUTION_MS * 1e6) : 0;
      delay.reset();
      return { eventLoopDelayP99Us: Math.round(p99Ns / 1000), eventLoopUtilization: delta.utilization };
    },
    stop() {
      delay.disable();
    },
  };
}
