/**
 * etude's reference server in a process of its own, with this process's memory copy bandwidth:
 *   node bench/servers/reference.ts <noop|synthetic> <catalogSize>
 * Prints {"url", "setupMs", "copyBytesPerSecond"} once listening; stops on SIGTERM.
 */
import { startReferenceServer } from "../../src/server/index.ts";
import type { ReferenceModel } from "../../src/spec/types.ts";

/** Large enough to defeat every cache level. */
const COPY_FLOATS = 32 * 1024 * 1024;
const COPY_ROUNDS = 6;

/** Bytes copied per second by TypedArray.set over 128 MiB, the best of a few rounds. */
function copyBandwidth(): number {
  const source = new Float32Array(COPY_FLOATS).fill(1);
  const target = new Float32Array(COPY_FLOATS);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < COPY_ROUNDS; round++) {
    const start = performance.now();
    target.set(source);
    best = Math.min(best, performance.now() - start);
  }
  if (target[COPY_FLOATS - 1] !== 1) throw new Error("the copy did not happen");
  return (source.byteLength / best) * 1000;
}

const [model, size] = process.argv.slice(2);
if ((model !== "noop" && model !== "synthetic") || size === undefined) {
  throw new Error(
    `usage: reference.ts <noop|synthetic> <catalogSize>; got ${JSON.stringify(process.argv.slice(2))}`,
  );
}
const copyBytesPerSecond = copyBandwidth();
const start = performance.now();
const server = await startReferenceServer({
  model: model as ReferenceModel,
  catalogSize: Number(size),
  workers: 0,
});
const setupMs = performance.now() - start;
process.stdout.write(`${JSON.stringify({ url: server.url, setupMs, copyBytesPerSecond })}\n`);
process.once("SIGTERM", () => void server.close());
