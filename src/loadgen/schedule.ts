import type { LoadSpec } from "../spec/types.ts";
import type { RandomSource } from "../workload/types.ts";
import { createRatePlan, type RatePlan } from "./plan.ts";
import type { Phase } from "./types.ts";

/** One request slot of the plan: when it should be sent, whatever happens to the answers. */
export interface Slot {
  /** Intended send time, milliseconds since the start of the run. */
  intendedMs: number;
  /** The second of the run the intended send time falls in. */
  second: number;
  phase: Phase;
}

/**
 * The request slots of a run, in order, computed from the plan alone.
 *
 * Uniform arrivals put slot k where the integral of the rate reaches k + 1/2, so the count in any interval
 * is the integral over it to within one, and gaps shrink smoothly along the ramp (no bursts at second
 * boundaries). Poisson arrivals draw a unit-rate Poisson process and map it through the inverse of the
 * same integral (time change), which gives an inhomogeneous Poisson process with the planned rate.
 */
export function createSlotSchedule(load: LoadSpec, random?: RandomSource): Generator<Slot, void, undefined> {
  const plan = createRatePlan(load);
  const step = load.arrival === "poisson" ? exponentialDraw(random) : () => 1;
  const first = load.arrival === "poisson" ? step() : 0.5;
  return slots(plan, first, step);
}

function* slots(plan: RatePlan, first: number, step: () => number): Generator<Slot, void, undefined> {
  const total = plan.cumulative(plan.durationMs);
  let count = first;
  while (count < total) {
    const intendedMs = plan.timeOfCount(count);
    // Rounding can put the very last slot on the end of the plan: it still belongs to the last second.
    const second = Math.min(Math.floor(intendedMs / 1000), plan.secondCount - 1);
    yield { intendedMs, second, phase: plan.phaseAt(intendedMs) };
    count += step();
  }
}

function exponentialDraw(random: RandomSource | undefined): () => number {
  if (random === undefined) {
    throw new Error('load.arrival is "poisson": a random source is required to draw the arrival times');
  }
  return () => -Math.log(1 - random.nextDouble());
}
