import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";

/**
 * A value carried through a pod's log: JSON, gzip, base64 in short lines (container runtimes split
 * long lines), framed with the sha256 and byte length of the compressed payload.
 */
const BEGIN = "ETUDE-RESULT-BEGIN";
const END = "ETUDE-RESULT-END";
const CHUNK = 1_000;

export class FrameError extends Error {
  override name = "FrameError";
}

export function encodeFrame(value: unknown): string[] {
  // mtime 0 in the gzip header keeps the frame deterministic.
  const payload = gzipSync(Buffer.from(JSON.stringify(value)), { level: 9 });
  const digest = createHash("sha256").update(payload).digest("hex");
  const base64 = payload.toString("base64");
  const lines = [`${BEGIN} ${digest} ${payload.length}`];
  for (let i = 0; i < base64.length; i += CHUNK) lines.push(base64.slice(i, i + CHUNK));
  lines.push(END);
  return lines;
}

export type FrameEvent = { kind: "text"; line: string } | { kind: "value"; value: unknown };

/** Reads log lines one by one: text passes through, a complete frame yields its verified value. */
export class FrameDecoder {
  #open: { digest: string; length: number; chunks: string[] } | undefined;

  push(rawLine: string): FrameEvent | undefined {
    const line = rawLine.trimEnd();
    if (line.startsWith(BEGIN)) {
      const [, digest, length] = line.split(" ");
      if (!digest || !/^[0-9a-f]{64}$/.test(digest) || !length || !/^\d+$/.test(length)) {
        throw new FrameError(`malformed frame header: ${line.slice(0, 120)}`);
      }
      this.#open = { digest, length: Number(length), chunks: [] };
      return undefined;
    }
    if (this.#open === undefined) return { kind: "text", line };
    if (line !== END) {
      this.#open.chunks.push(line);
      return undefined;
    }
    const { digest, length, chunks } = this.#open;
    this.#open = undefined;
    const payload = Buffer.from(chunks.join(""), "base64");
    if (payload.length !== length) {
      throw new FrameError(`truncated frame: ${payload.length} of ${length} bytes arrived`);
    }
    const actual = createHash("sha256").update(payload).digest("hex");
    if (actual !== digest) {
      throw new FrameError(`frame checksum mismatch: expected sha256 ${digest}, got ${actual}`);
    }
    return { kind: "value", value: JSON.parse(gunzipSync(payload).toString("utf8")) };
  }

  /** True while a frame has begun and not ended: the log stopped mid-result. */
  get incomplete(): boolean {
    return this.#open !== undefined;
  }
}
