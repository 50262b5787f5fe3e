import { decodeHistogram } from "../analysis/histograms.ts";
import type { SecondRecord } from "../loadgen/types.ts";

/** How often a plain (non-terminal) progress line is printed, in run seconds. */
const PLAIN_EVERY_SECONDS = 5;

export interface ProgressEvent {
  variant: string;
  repetition: number;
  record: SecondRecord;
}

/**
 * Live progress: one line redrawn in place on a terminal, periodic plain lines in CI logs.
 * Figures are the second's own: offered and achieved rate, p90 response time, errors and drops.
 */
export function createProgress(stream: NodeJS.WriteStream): {
  update(event: ProgressEvent): void;
  done(): void;
} {
  const live = stream.isTTY === true;
  let drawn = false;
  return {
    update({ variant, repetition, record }) {
      if (!live && record.second % PLAIN_EVERY_SECONDS !== 0) return;
      const line = describeSecond(variant, repetition, record);
      if (live) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}

export function describeSecond(variant: string, repetition: number, record: SecondRecord): string {
  const errors = Object.values(record.errors).reduce((sum, count) => sum + (count ?? 0), 0);
  const p90 = decodeHistogram(record.responseTime);
  const p90Ms = p90.totalCount > 0 ? (p90.getValueAtPercentile(90) / 1000).toFixed(1) : "-";
  return [
    `[${variant} #${repetition + 1}] ${formatElapsed(record.second)} ${record.phase.padEnd(6)}`,
    `target ${Math.round(record.targetRate)}/s`,
    `sent ${record.sent}/s`,
    `ok ${record.throughput}/s`,
    `p90 ${p90Ms} ms`,
    `errors ${errors}`,
    `dropped ${record.dropped}`,
  ].join("  ");
}

function formatElapsed(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}
