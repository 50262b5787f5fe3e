import * as hdr from "hdr-histogram-js";
import type { ServerTiming } from "../protocol/types.ts";
import type { ErrorClass, Phase, SecondRecord } from "./types.ts";

/** One hour in microseconds: far beyond any request timeout, so no recorded latency is ever clipped. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

function latencyHistogram(): hdr.Histogram {
  return hdr.build({
    numberOfSignificantValueDigits: 3,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
  });
}

export function toMicroseconds(ms: number): number {
  return Math.min(HIGHEST_TRACKABLE_US, Math.max(0, Math.round(ms * 1000)));
}

/** The statistics of the slots intended in one second, aggregated as their requests finish. */
export class SecondStats {
  readonly second: number;
  readonly phase: Phase;
  readonly targetRate: number;
  offered = 0;
  sent = 0;
  dropped = 0;
  late = 0;
  ok = 0;
  throughput = 0;
  inFlightMax = 0;
  /** Requests of this second still waiting for an answer. */
  pending = 0;
  generator = { eventLoopDelayP99Us: 0, eventLoopUtilization: 0 };
  readonly #errors: Partial<Record<ErrorClass, number>> = {};
  readonly #sendLag = latencyHistogram();
  readonly #responseTime = latencyHistogram();
  readonly #serviceTime = latencyHistogram();
  #serverTime: hdr.Histogram | undefined;

  constructor(second: number, phase: Phase, targetRate: number) {
    this.second = second;
    this.phase = phase;
    this.targetRate = targetRate;
  }

  recordSend(lagMs: number, lateAfterMs: number): void {
    this.sent++;
    this.pending++;
    if (lagMs > lateAfterMs) this.late++;
    this.#sendLag.recordValue(toMicroseconds(lagMs));
  }

  /** Records a finished request; latencies are kept for answers and timeouts, not for fast failures. */
  recordResult(
    result: { ok: true; serverTiming?: ServerTiming } | { ok: false; errorClass: ErrorClass },
    responseMs: number,
    serviceMs: number,
  ): void {
    this.pending--;
    if (result.ok) {
      this.ok++;
      if (result.serverTiming !== undefined) {
        this.#serverTime ??= latencyHistogram();
        this.#serverTime.recordValue(toMicroseconds(result.serverTiming.totalMs));
      }
    } else {
      this.#errors[result.errorClass] = (this.#errors[result.errorClass] ?? 0) + 1;
      if (result.errorClass !== "timeout") return;
    }
    this.#responseTime.recordValue(toMicroseconds(responseMs));
    this.#serviceTime.recordValue(toMicroseconds(serviceMs));
  }

  /** Encodes the histograms and releases them; the accumulator is spent afterwards. */
  toRecord(): SecondRecord {
    const record: SecondRecord = {
      second: this.second,
      phase: this.phase,
      targetRate: this.targetRate,
      offered: this.offered,
      sent: this.sent,
      dropped: this.dropped,
      late: this.late,
      ok: this.ok,
      errors: { ...this.#errors },
      throughput: this.throughput,
      inFlightMax: this.inFlightMax,
      sendLag: hdr.encodeIntoCompressedBase64(this.#sendLag),
      responseTime: hdr.encodeIntoCompressedBase64(this.#responseTime),
      serviceTime: hdr.encodeIntoCompressedBase64(this.#serviceTime),
      generator: { ...this.generator },
    };
    if (this.#serverTime !== undefined) record.serverTime = hdr.encodeIntoCompressedBase64(this.#serverTime);
    for (const histogram of [this.#sendLag, this.#responseTime, this.#serviceTime, this.#serverTime]) {
      histogram?.destroy();
    }
    return record;
  }
}
