export { realClock } from "./clock.ts";
export { autoConnections, DEFAULT_EXPECTED_LATENCY_MS, resolveConnections } from "./connections.ts";
export { createRatePlan, type RatePlan, validateLoad } from "./plan.ts";
export { type LoadTransport, type RunLoadOptions, runLoad } from "./run.ts";
export { createSlotSchedule, type Slot } from "./schedule.ts";
export { createUndiciTransport, type UndiciTransport, type UndiciTransportOptions } from "./transport.ts";
export * from "./types.ts";
export { createThreadClock, type ThreadClock } from "./wake-thread.ts";
