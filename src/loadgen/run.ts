import type { ProtocolAdapter } from "../protocol/types.ts";
import type { LoadSpec } from "../spec/types.ts";
import type { RandomSource, SessionSource } from "../workload/types.ts";
import { resolveConnections } from "./connections.ts";
import { Fifo } from "./fifo.ts";
import { createGeneratorMonitor } from "./monitor.ts";
import { judgeFailure, judgeResponse, type Outcome } from "./outcome.ts";
import { createRatePlan, type RatePlan } from "./plan.ts";
import { createSlotSchedule, type Slot } from "./schedule.ts";
import { SecondStats } from "./second-stats.ts";
import { type ActiveSession, SessionPool } from "./sessions.ts";
import type { Clock, RunMeasurement, SecondRecord, Transport, TransportResponse } from "./types.ts";
import { createThreadClock } from "./wake-thread.ts";

/** A transport that may know its connection count and open its connections before the run. */
export interface LoadTransport extends Transport {
  readonly connections?: number;
  warm?(): Promise<void>;
}

export interface RunLoadOptions {
  load: LoadSpec;
  sessions: SessionSource;
  protocol: ProtocolAdapter;
  transport: LoadTransport;
  /** Defaults to a clock of its own for the run: performance.now, woken by a thread (createThreadClock). */
  clock?: Clock;
  /** Required for Poisson arrivals. */
  random?: RandomSource;
  /** Aborting stops sending; the seconds measured so far are returned, flagged `aborted`. */
  signal?: AbortSignal;
  /** Called with each second's record as soon as all of its requests have finished. */
  onSecond?: (record: SecondRecord) => void;
  /** Receives one JSON line per request slot (dropped slots included), as the run goes. */
  requestLog?: NodeJS.WritableStream;
}

/** A send later than this after its intended time counts as late. */
const LATE_AFTER_MS = 1;
/** After an abort, in-flight answers are awaited this long at most. */
const ABORT_GRACE_MS = 2000;
const MS_PER_SECOND = 1000;
const TIMED_OUT: Outcome = { ok: false, errorClass: "timeout" };
/** One reason for every wake-up: aborting without one would build a DOMException and its stack each time. */
const WOKEN = "woken";

/** A request in flight, and when the run gives up on it. */
interface Exchange {
  readonly slot: Slot;
  readonly active: ActiveSession;
  readonly sentAt: number;
  readonly deadlineMs: number;
  done: boolean;
}

/**
 * Replays sessions against a target at the planned rate, open loop: every slot has an intended send time
 * fixed by the plan, latencies are measured from it, and backpressure drops (and counts) the slots that
 * cannot be sent within their second. Memory stays bounded: only per-second encoded histograms are kept.
 */
export async function runLoad(options: RunLoadOptions): Promise<RunMeasurement> {
  const plan = createRatePlan(options.load);
  const schedule = createSlotSchedule(options.load, options.random);
  const connections = options.transport.connections ?? resolveConnections(options.load);
  await options.transport.warm?.();
  if (options.clock !== undefined) {
    return new LoadRun(options, options.clock, plan, schedule, connections).run();
  }
  const clock = createThreadClock();
  try {
    return await new LoadRun(options, clock, plan, schedule, connections).run();
  } finally {
    clock.close();
  }
}

class LoadRun {
  readonly #options: RunLoadOptions;
  readonly #plan: RatePlan;
  readonly #schedule: Iterator<Slot, void>;
  readonly #connections: number;
  readonly #clock: Clock;
  readonly #pool: SessionPool;
  readonly #stats: (SecondStats | undefined)[];
  readonly #records: SecondRecord[] = [];
  readonly #queue = new Fifo<Slot>();
  readonly #deadlines = new Fifo<Exchange>();
  #nextToEmit = 0;
  /** The wall-clock second whose generator sample is still to be taken. */
  #wallSecond = 0;
  #inFlight = 0;
  #startMs = 0;
  #abortedAtMs: number | undefined;
  #waker = new AbortController();
  #waiting = false;
  #finished = false;

  constructor(
    options: RunLoadOptions,
    clock: Clock,
    plan: RatePlan,
    schedule: Iterator<Slot, void>,
    connections: number,
  ) {
    this.#options = options;
    this.#plan = plan;
    this.#schedule = schedule;
    this.#connections = connections;
    this.#clock = clock;
    this.#pool = new SessionPool(options.sessions);
    this.#stats = new Array(plan.secondCount);
  }

  async run(): Promise<RunMeasurement> {
    const { signal } = this.#options;
    const startedAt = new Date().toISOString();
    if (signal?.aborted) return this.#measurement(startedAt, 0);
    const monitor = createGeneratorMonitor();
    const onAbort = () => {
      this.#abortedAtMs ??= this.#elapsed();
      this.#wake();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#startMs = this.#clock.now();
    const sample = () => monitor.sample();
    try {
      await this.#sendPlan(sample);
      const abortedAtMs = this.#abortedAtMs;
      const planCut = abortedAtMs !== undefined;
      await this.#drain(sample);
      const lastSecond = planCut
        ? Math.min(Math.floor(abortedAtMs / MS_PER_SECOND), this.#plan.secondCount - 1)
        : this.#plan.secondCount - 1;
      this.#rollOver(Number.POSITIVE_INFINITY, sample);
      this.#emitUpTo(lastSecond);
      return this.#measurement(startedAt, planCut ? lastSecond : undefined);
    } finally {
      this.#finished = true;
      monitor.stop();
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async #sendPlan(sample: () => SecondStats["generator"]): Promise<void> {
    let next = this.#schedule.next();
    for (;;) {
      const now = this.#elapsed();
      this.#rollOver(now, sample);
      if (this.#abortedAtMs !== undefined) return;
      while (!next.done && next.value.intendedMs <= now) {
        this.#offer(next.value);
        next = this.#schedule.next();
      }
      this.#expire(now);
      this.#dropExpired(now);
      this.#sendDue(now);
      this.#emitReady(now);
      const queued = this.#queuedHead();
      if (next.done && queued === undefined) return;
      const wakeAt = Math.min(
        next.done ? Number.POSITIVE_INFINITY : next.value.intendedMs,
        queued === undefined ? Number.POSITIVE_INFINITY : (queued.second + 1) * MS_PER_SECOND,
        (Math.floor(now / MS_PER_SECOND) + 1) * MS_PER_SECOND,
        this.#nextDeadline(),
      );
      await this.#wait(wakeAt - now);
    }
  }

  /** Waits for the answers still in flight; every request ends by its timeout, or the abort grace ends. */
  async #drain(sample: () => SecondStats["generator"]): Promise<void> {
    const timeoutMs = this.#options.load.requestTimeoutMs;
    for (;;) {
      const now = this.#elapsed();
      this.#rollOver(now, sample);
      this.#expire(now);
      this.#emitReady(now);
      if (this.#inFlight === 0) return;
      const abortedAtMs = this.#abortedAtMs;
      const graceEnd =
        abortedAtMs === undefined
          ? Number.POSITIVE_INFINITY
          : abortedAtMs + Math.min(ABORT_GRACE_MS, timeoutMs);
      if (now >= graceEnd) return;
      const nextSecond = (Math.floor(now / MS_PER_SECOND) + 1) * MS_PER_SECOND;
      await this.#wait(Math.min(nextSecond, graceEnd, this.#nextDeadline()) - now);
    }
  }

  #offer(slot: Slot): void {
    const stats = this.#statsOf(slot.second);
    if (stats !== undefined) stats.offered++;
    this.#queue.push(slot);
  }

  /** Backpressure: a slot still unsent when its second is over is given up, and counted. */
  #dropExpired(now: number): void {
    for (let slot = this.#queuedHead(); slot !== undefined; slot = this.#queuedHead()) {
      if ((slot.second + 1) * MS_PER_SECOND > now) return;
      this.#dequeue();
      const stats = this.#statsOf(slot.second);
      if (stats !== undefined) stats.dropped++;
      this.#log({ second: slot.second, phase: slot.phase, intendedMs: slot.intendedMs, outcome: "dropped" });
    }
  }

  #sendDue(now: number): void {
    const limit = this.#plan.inFlightLimit(Math.floor(now / MS_PER_SECOND));
    while (this.#inFlight < limit) {
      const slot = this.#dequeue();
      if (slot === undefined) return;
      this.#send(slot);
    }
  }

  #send(slot: Slot): void {
    const { active, context } = this.#pool.take();
    const body = this.#options.protocol.encodeRequest(context);
    const sentAt = this.#elapsed();
    const stats = this.#statsOf(slot.second);
    stats?.recordSend(sentAt - slot.intendedMs, LATE_AFTER_MS);
    this.#inFlight++;
    const wall = this.#statsOf(Math.floor(sentAt / MS_PER_SECOND)) ?? stats;
    if (wall !== undefined) wall.inFlightMax = Math.max(wall.inFlightMax, this.#inFlight);
    this.#exchange(slot, active, body, sentAt);
  }

  #exchange(slot: Slot, active: ActiveSession, body: string, sentAt: number): void {
    const { protocol, transport, load } = this.#options;
    const request = { method: protocol.method, path: protocol.path, headers: protocol.headers, body };
    const exchange: Exchange = {
      slot,
      active,
      sentAt,
      deadlineMs: sentAt + load.requestTimeoutMs,
      done: false,
    };
    this.#deadlines.push(exchange);
    let sending: Promise<TransportResponse>;
    try {
      sending = transport.send(request, load.requestTimeoutMs);
    } catch (error) {
      this.#finish(exchange, judgeFailure(error));
      return;
    }
    sending.then(
      (answer) => this.#finish(exchange, judgeResponse(protocol, answer)),
      (error: unknown) => this.#finish(exchange, judgeFailure(error)),
    );
  }

  /**
   * The run's own deadline, in case a transport lets a request outlive its timeout. Every request has the
   * same timeout and requests are sent in order, so deadlines come in send order: one queue, no timers.
   */
  #expire(now: number): void {
    for (let exchange = this.#deadlines.peek(); exchange !== undefined; exchange = this.#deadlines.peek()) {
      if (!exchange.done && exchange.deadlineMs > now) return;
      this.#deadlines.shift();
      if (!exchange.done) this.#finish(exchange, TIMED_OUT);
    }
  }

  /** The earliest deadline of a request still in flight, if any. */
  #nextDeadline(): number {
    for (let exchange = this.#deadlines.peek(); exchange !== undefined; exchange = this.#deadlines.peek()) {
      if (!exchange.done) return exchange.deadlineMs;
      this.#deadlines.shift();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Records a request's outcome once: the first of its answer, its failure or its deadline. */
  #finish(exchange: Exchange, outcome: Outcome): void {
    if (exchange.done || this.#finished) return;
    exchange.done = true;
    const { slot, sentAt } = exchange;
    const endAt = outcome === TIMED_OUT ? exchange.deadlineMs : this.#elapsed();
    const responseMs = endAt - slot.intendedMs;
    const serviceMs = endAt - sentAt;
    const stats = this.#statsOf(slot.second);
    stats?.recordResult(
      outcome.ok ? { ok: true, serverTiming: outcome.response.serverTiming } : outcome,
      responseMs,
      serviceMs,
    );
    if (outcome.ok) {
      const completed = this.#statsOf(Math.floor(endAt / MS_PER_SECOND));
      if (completed !== undefined) completed.throughput++;
    }
    this.#inFlight--;
    this.#pool.answered(exchange.active);
    // Built only for a request log: it is per-request garbage otherwise.
    if (this.#options.requestLog !== undefined) {
      this.#log({
        second: slot.second,
        phase: slot.phase,
        intendedMs: slot.intendedMs,
        sentMs: sentAt,
        endMs: endAt,
        responseMs,
        serviceMs,
        outcome: outcome.ok ? "ok" : outcome.errorClass,
        status: outcome.ok ? undefined : outcome.status,
        serverMs: outcome.ok ? outcome.response.serverTiming?.totalMs : undefined,
      });
    }
    // Wake the loop only when it has something to do: a held slot may go, or a second may be emitted.
    const secondOver = (slot.second + 1) * MS_PER_SECOND <= endAt && (stats?.pending ?? 0) === 0;
    if (this.#queuedHead() !== undefined || secondOver || this.#inFlight === 0) this.#wake();
  }

  /** Takes the generator's sample for every wall-clock second that has ended. */
  #rollOver(now: number, sample: () => SecondStats["generator"]): void {
    const current = Math.min(Math.floor(now / MS_PER_SECOND), this.#plan.secondCount);
    while (this.#wallSecond < current) {
      const stats = this.#statsOf(this.#wallSecond);
      if (stats !== undefined) stats.generator = sample();
      this.#wallSecond++;
    }
  }

  /** Emits, in order, the seconds that are over and whose requests have all finished. */
  #emitReady(now: number): void {
    while (this.#nextToEmit < this.#plan.secondCount) {
      const second = this.#nextToEmit;
      if ((second + 1) * MS_PER_SECOND > now || this.#wallSecond <= second) return;
      if ((this.#stats[second]?.pending ?? 0) > 0) return;
      this.#emit(second);
    }
  }

  #emitUpTo(lastSecond: number): void {
    while (this.#nextToEmit <= lastSecond) this.#emit(this.#nextToEmit);
  }

  #emit(second: number): void {
    const stats = this.#statsOf(second);
    this.#stats[second] = undefined;
    this.#nextToEmit = second + 1;
    if (stats === undefined) return;
    const record = stats.toRecord();
    this.#records.push(record);
    this.#options.onSecond?.(record);
  }

  /** The accumulator of a second still open; undefined once emitted or outside the plan. */
  #statsOf(second: number): SecondStats | undefined {
    if (second < this.#nextToEmit || second >= this.#plan.secondCount) return undefined;
    let stats = this.#stats[second];
    if (stats === undefined) {
      stats = new SecondStats(
        second,
        this.#plan.phaseOfSecond(second),
        this.#plan.targetRateOfSecond(second),
      );
      this.#stats[second] = stats;
    }
    return stats;
  }

  #queuedHead(): Slot | undefined {
    return this.#queue.peek();
  }

  #dequeue(): Slot | undefined {
    return this.#queue.shift();
  }

  /** Sleeps until `ms` from now or a wake-up; the waker's controller is replaced only once it is spent. */
  async #wait(ms: number): Promise<void> {
    if (this.#waker.signal.aborted) this.#waker = new AbortController();
    this.#waiting = true;
    await this.#clock.sleep(Math.max(0, ms), this.#waker.signal);
    this.#waiting = false;
  }

  #wake(): void {
    if (this.#waiting) this.#waker.abort(WOKEN);
  }

  #elapsed(): number {
    return this.#clock.now() - this.#startMs;
  }

  #log(entry: Record<string, unknown>): void {
    this.#options.requestLog?.write(`${JSON.stringify(entry)}\n`);
  }

  #measurement(startedAt: string, abortedAtSecond: number | undefined): RunMeasurement {
    const measurement: RunMeasurement = {
      startedAt,
      load: this.#options.load,
      connections: this.#connections,
      seconds: this.#records,
    };
    if (abortedAtSecond !== undefined) {
      measurement.aborted = { reason: abortReason(this.#options.signal), atSecond: abortedAtSecond };
    }
    return measurement;
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "aborted" : String(reason);
}
