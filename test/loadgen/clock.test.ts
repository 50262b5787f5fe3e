import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextWaitStep, TIMER_LATENESS_MS, TIMER_OVERSHOOT_MS } from "../../src/loadgen/clock.ts";
import { createThreadClock } from "../../src/loadgen/wake-thread.ts";

describe("nextWaitStep", () => {
  it("is done once the deadline has come", () => {
    assert.deepEqual(nextWaitStep(0), { kind: "done" });
    assert.deepEqual(nextWaitStep(-3), { kind: "done" });
  });

  it("spins only when no whole-millisecond timer can wake close enough after the deadline", () => {
    const lastSpin = 1 - TIMER_LATENESS_MS + TIMER_OVERSHOOT_MS;
    assert.deepEqual(nextWaitStep(0.05), { kind: "spin" });
    assert.deepEqual(nextWaitStep(lastSpin - 0.01), { kind: "spin" });
    assert.deepEqual(nextWaitStep(lastSpin + 0.01), { kind: "timer", ms: 1 });
  });

  it("plans a timer that wakes at most TIMER_LATENESS_MS after the deadline, and never a whole ms early", () => {
    for (let left = 0.7; left < 40; left += 0.137) {
      const step = nextWaitStep(left);
      if (step.kind !== "timer") continue;
      const wake = step.ms + TIMER_OVERSHOOT_MS;
      assert.ok(wake - left <= TIMER_LATENESS_MS + 1e-9, `${left} ms left: wakes ${wake - left} ms late`);
      assert.ok(left - wake < 1 - TIMER_LATENESS_MS + 1e-9, `${left} ms left: wakes ${left - wake} ms early`);
    }
  });
});

describe("createThreadClock", () => {
  it("wakes a sleep at its deadline, never before, and soon after", async (t) => {
    const clock = createThreadClock();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const lateness: number[] = [];
      for (let k = 0; k < 20; k++) {
        const wanted = 2 + (k % 5) * 0.7;
        const start = clock.now();
        await clock.sleep(wanted);
        lateness.push(clock.now() - start - wanted);
      }
      lateness.sort((a, b) => a - b);
      t.diagnostic(`lateness min ${lateness[0]!.toFixed(3)} median ${lateness[10]!.toFixed(3)} ms`);
      assert.ok(lateness[0]! >= 0, `a sleep ended ${-lateness[0]!} ms early`);
      // A loaded machine may delay any wake-up; the median shows the clock does not sleep whole ms more.
      assert.ok(lateness[10]! < 5, `median lateness ${lateness[10]} ms`);
      assert.deepEqual(warnings, []);
    } finally {
      process.off("warning", onWarning);
      clock.close();
    }
  });

  it("wakes early on abort, and keeps time on timers once closed", async () => {
    const clock = createThreadClock();
    const controller = new AbortController();
    const start = clock.now();
    const sleeping = clock.sleep(10_000, controller.signal);
    setTimeout(() => controller.abort("woken"), 5);
    await sleeping;
    assert.ok(clock.now() - start < 5000, "the abort ended the sleep");
    const pending = clock.sleep(30);
    clock.close();
    await pending;
    assert.ok(clock.now() - start >= 30, "a sleep pending at close still lasts its time");
    const afterClose = clock.now();
    await clock.sleep(20);
    assert.ok(clock.now() - afterClose >= 20);
  });

  it("resolves at once for a signal already aborted or a wait of no time", async () => {
    const clock = createThreadClock();
    try {
      const start = clock.now();
      await clock.sleep(10_000, AbortSignal.abort());
      await clock.sleep(0);
      assert.ok(clock.now() - start < 5000);
    } finally {
      clock.close();
    }
  });
});
