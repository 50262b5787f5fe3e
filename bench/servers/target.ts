/**
 * A target with known behaviour, in a process of its own (pinned by the caller):
 *   node bench/servers/target.ts delay <ms>                 answers every POST after exactly <ms>
 *   node bench/servers/target.ts stall <everyMs> <stallMs> <fromRequest>
 *                                  stalls for <stallMs> every <everyMs>, from POST number <fromRequest> on
 * Prints {"url": ...} once listening; on SIGTERM prints {"holdMs": percentiles of the held time} and exits.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startStallServer } from "../../test/support/servers.ts";
import { percentileOf } from "../lib/figures.ts";

const BODY = '{"items":[[1,2,3]]}';
/** Timers fire late by up to a millisecond or more: wake this early, then yield until the due time. */
const SPIN_MS = 2;

interface Held {
  dueMs: number;
  receivedMs: number;
  response: ServerResponse;
}

function answer(response: ServerResponse): void {
  if (response.destroyed) return;
  response.writeHead(200, { "content-type": "application/json", "content-length": BODY.length });
  response.end(BODY);
}

/**
 * Holds each POST for exactly `delayMs` after its body arrived, to a few microseconds on an idle core:
 * a timer wakes the loop SPIN_MS early and setImmediate yields (still serving I/O) until the due time.
 * The delay is constant, so answers are due in arrival order and a FIFO suffices.
 */
async function startPreciseDelayServer(
  delayMs: number,
): Promise<{ url: string; heldMs: number[]; close(): void }> {
  const queue: Held[] = [];
  let head = 0;
  const heldMs: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const release = () => {
    timer = undefined;
    immediate = undefined;
    const now = performance.now();
    for (let held = queue[head]; held !== undefined && held.dueMs <= now; held = queue[head]) {
      head++;
      answer(held.response);
      heldMs.push(performance.now() - held.receivedMs);
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
      return;
    }
    arm();
  };
  const arm = () => {
    if (timer !== undefined || immediate !== undefined) return;
    const left = queue[head]!.dueMs - performance.now();
    if (left > SPIN_MS) timer = setTimeout(release, Math.floor(left - SPIN_MS));
    else immediate = setImmediate(release);
  };
  const server = createServer({ keepAliveTimeout: 120_000 }, (request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.method !== "POST" || delayMs === 0) {
        const receivedMs = performance.now();
        answer(response);
        if (request.method === "POST") heldMs.push(performance.now() - receivedMs);
        return;
      }
      const receivedMs = performance.now();
      queue.push({ dueMs: receivedMs + delayMs, receivedMs, response });
      arm();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    heldMs,
    close: () => {
      clearTimeout(timer);
      clearImmediate(immediate);
      server.closeAllConnections();
      server.close();
    },
  };
}

const [mode, first, second, third] = process.argv.slice(2);
if (mode === "delay" && first !== undefined) {
  const server = await startPreciseDelayServer(Number(first));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once("SIGTERM", () => {
    server.close();
    const sorted = server.heldMs.sort((a, b) => a - b);
    const holdMs = {
      count: sorted.length,
      p50: percentileOf(sorted, 50),
      p90: percentileOf(sorted, 90),
      p99: percentileOf(sorted, 99),
    };
    process.stdout.write(`${JSON.stringify({ holdMs })}\n`);
  });
} else if (mode === "stall" && first !== undefined && second !== undefined && third !== undefined) {
  const server = await startStallServer({
    stallEveryMs: Number(first),
    stallMs: Number(second),
    stallFromRequest: Number(third),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once("SIGTERM", () => void server.close());
} else {
  throw new Error(
    `usage: target.ts delay <ms> | stall <everyMs> <stallMs> <fromRequest>; got ${JSON.stringify(process.argv.slice(2))}`,
  );
}
