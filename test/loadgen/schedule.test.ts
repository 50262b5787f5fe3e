import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRatePlan } from "../../src/loadgen/plan.ts";
import { createSlotSchedule, type Slot } from "../../src/loadgen/schedule.ts";
import type { LoadSpec } from "../../src/spec/types.ts";
import { createRandom } from "../../src/workload/random.ts";

function load(overrides: Partial<LoadSpec>): LoadSpec {
  return {
    targetRate: 100,
    rampUpMs: 0,
    holdMs: 1000,
    warmupMs: 0,
    warmupRate: 0,
    requestTimeoutMs: 1000,
    connections: 4,
    arrival: "uniform",
    ...overrides,
  };
}

function countPerSecond(slots: Slot[], seconds: number): number[] {
  const counts = new Array<number>(seconds).fill(0);
  for (const slot of slots) counts[slot.second]! += 1;
  return counts;
}

function closeTo(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, message ?? `${actual} is not ${expected}`);
}

describe("createSlotSchedule, uniform arrivals", () => {
  it("spaces a constant rate evenly, each slot in the middle of its interval", () => {
    const slots = [...createSlotSchedule(load({ targetRate: 4, holdMs: 2000 }))];
    assert.equal(slots.length, 8);
    slots.forEach((slot, k) => {
      closeTo(slot.intendedMs, 125 + 250 * k);
      assert.equal(slot.second, Math.floor((125 + 250 * k) / 1000));
      assert.equal(slot.phase, "hold");
    });
  });

  it("runs the warm-up at its own rate, flagged, then continues the cumulative count", () => {
    const slots = [
      ...createSlotSchedule(load({ targetRate: 4, holdMs: 1000, warmupMs: 1000, warmupRate: 2 })),
    ];
    assert.deepEqual(
      slots.map((s) => s.phase),
      ["warmup", "warmup", "hold", "hold", "hold", "hold"],
    );
    const expected = [250, 750, 1125, 1375, 1625, 1875];
    for (const [k, slot] of slots.entries()) closeTo(slot.intendedMs, expected[k]!);
  });

  it("places ramp slots where the integral of the linear rate reaches k + 1/2", () => {
    const spec = load({ targetRate: 100, rampUpMs: 10_000, holdMs: 2000 });
    const slots = [...createSlotSchedule(spec)];
    // Rate r·t/D integrates to r·t²/(2D): slot k at t = sqrt(2D(k + 1/2)/r), in seconds.
    for (const k of [0, 1, 2, 10, 100, 499]) {
      closeTo(slots[k]!.intendedMs, 1000 * Math.sqrt((2 * 10 * (k + 0.5)) / 100));
      assert.equal(slots[k]!.phase, "ramp");
    }
    closeTo(slots[500]!.intendedMs, 10_000 + 5);
    assert.equal(slots[500]!.phase, "hold");
    assert.equal(slots.length, 700);
  });

  it("gives each second of a ramp the integral of the rate over it, to within one", () => {
    const spec = load({ targetRate: 137, rampUpMs: 7300, holdMs: 2100, warmupMs: 1500, warmupRate: 11 });
    const plan = createRatePlan(spec);
    const counts = countPerSecond([...createSlotSchedule(spec)], plan.secondCount);
    counts.forEach((count, second) => {
      const expected = plan.cumulative((second + 1) * 1000) - plan.cumulative(second * 1000);
      assert.ok(Math.abs(count - expected) < 1, `second ${second}: ${count} slots, integral ${expected}`);
    });
  });

  it("never bunches slots at second boundaries: gaps shrink smoothly along the ramp and stay even in the hold", () => {
    const spec = load({ targetRate: 250, rampUpMs: 4000, holdMs: 2000 });
    const slots = [...createSlotSchedule(spec)];
    const holdGap = 1000 / 250;
    let crossings = 0;
    for (let k = 1; k + 1 < slots.length; k++) {
      const gap = slots[k]!.intendedMs - slots[k - 1]!.intendedMs;
      const nextGap = slots[k + 1]!.intendedMs - slots[k]!.intendedMs;
      if (slots[k]!.second !== slots[k - 1]!.second) crossings++;
      assert.ok(nextGap <= gap + 1e-9, `gap grows at slot ${k}: ${gap} then ${nextGap}`);
      assert.ok(gap >= holdGap - 1e-9, `gap ${gap} ms at slot ${k} is shorter than the hold's ${holdGap} ms`);
    }
    assert.equal(crossings, 5);
  });

  it("rejects a bad load spec, naming the field, the value and what is valid", () => {
    assert.throws(
      () => createSlotSchedule(load({ targetRate: -5 })),
      /load\.targetRate must be a positive.*got -5/,
    );
    assert.throws(
      () => createSlotSchedule(load({ rampUpMs: Number.NaN })),
      /load\.rampUpMs must be a duration of 0 ms or more, got NaN/,
    );
    assert.throws(
      () => createSlotSchedule(load({ rampUpMs: 0, holdMs: 0 })),
      /load\.rampUpMs \+ load\.holdMs/,
    );
    assert.throws(
      () => createSlotSchedule(load({ connections: 2.5 })),
      /load\.connections must be a positive integer or "auto", got 2\.5/,
    );
  });
});

describe("createSlotSchedule, Poisson arrivals", () => {
  const spec = load({ targetRate: 100, holdMs: 20_000, arrival: "poisson" });

  it("needs a random source", () => {
    assert.throws(() => createSlotSchedule(spec), /poisson.*random source/);
  });

  it("draws a plausible Poisson process: per-second mean and variance near the rate", () => {
    const counts = countPerSecond([...createSlotSchedule(spec, createRandom(42))], 20);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
    // The total is Poisson(2000): four standard deviations is ±179.
    assert.ok(Math.abs(mean * 20 - 2000) < 179, `total ${mean * 20}`);
    // The sample variance of 20 Poisson(100) counts lies within [40, 190] with overwhelming probability.
    assert.ok(variance > 40 && variance < 190, `variance ${variance}`);
    assert.ok(new Set(counts).size > 5, "counts vary from second to second");
  });

  it("is reproducible from the seed, and follows the ramp by time change", () => {
    const ramp = load({ targetRate: 200, rampUpMs: 10_000, holdMs: 0, arrival: "poisson" });
    const first = [...createSlotSchedule(ramp, createRandom(7))].map((s) => s.intendedMs);
    const again = [...createSlotSchedule(ramp, createRandom(7))].map((s) => s.intendedMs);
    const other = [...createSlotSchedule(ramp, createRandom(8))].map((s) => s.intendedMs);
    assert.deepEqual(again, first);
    assert.notDeepEqual(other, first);
    // The rate grows linearly: the second half of the ramp carries three times the first half's load.
    const early = first.filter((t) => t < 5000).length;
    const late = first.length - early;
    assert.ok(Math.abs(early - 250) < 4 * Math.sqrt(250), `first half ${early}, expected about 250`);
    assert.ok(Math.abs(late - 750) < 4 * Math.sqrt(750), `second half ${late}, expected about 750`);
  });
});

describe("createRatePlan", () => {
  it("gives each second its mean rate and flags a second that starts in the warm-up as warm-up", () => {
    const plan = createRatePlan(
      load({ targetRate: 100, rampUpMs: 2000, holdMs: 1000, warmupMs: 1500, warmupRate: 10 }),
    );
    assert.equal(plan.secondCount, 5);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((s) => plan.phaseOfSecond(s)),
      ["warmup", "warmup", "ramp", "ramp", "hold"],
    );
    closeTo(plan.targetRateOfSecond(0), 10);
    // Second 1: half a second of warm-up at 10/s (5) and the ramp's first half second (100·0.25/(2·2) = 6.25).
    closeTo(plan.targetRateOfSecond(1), 11.25);
    // The last second is half a second of hold at 100/s.
    closeTo(plan.targetRateOfSecond(4), 100);
    assert.equal(plan.inFlightLimit(1), 12);
  });
});
