import { freemem } from "node:os";
import { createUndiciTransport } from "../../src/loadgen/index.ts";
import { createProtocol } from "../../src/protocol/index.ts";
import { embeddingDimension } from "../../src/server/index.ts";
import { buildCatalog, createSessionSource } from "../../src/workload/index.ts";
import { type BenchContext, REFERENCE_SCRIPT } from "../lib/context.ts";
import { fixed, type PartResult, percentileOf, table, thousands } from "../lib/figures.ts";
import { SERVER_CORE, startService } from "../lib/processes.ts";

const SIZES = [
  { catalogSize: 10_000, requests: 2000 },
  { catalogSize: 100_000, requests: 1000 },
  { catalogSize: 1_000_000, requests: 200 },
  { catalogSize: 10_000_000, requests: 30 },
];
const WARMUP_REQUESTS = 5;
/** A catalog's serial requests stop after this long, whatever their count. */
const BUDGET_MS = 15_000;
/** Weights, the copy-bandwidth buffers and the client's catalog must fit with room to spare. */
const MEMORY_MARGIN = 2.5;

interface ReferenceReady {
  url: string;
  setupMs: number;
  copyBytesPerSecond: number;
}

interface Serial {
  latencies: number[];
  inference: number[];
}

async function serialRequests(url: string, catalogSize: number, requests: number): Promise<Serial> {
  const protocol = createProtocol({ kind: "etude" });
  const workload = {
    catalogSize,
    sessionLengths: { kind: "powerlaw" as const, exponent: 2.4, xmin: 1 },
    itemPopularity: { kind: "powerlaw" as const, exponent: 1.868, xmin: 1 },
    topK: 21,
    maxSessionLength: 50,
    seed: 7,
  };
  const sessions = createSessionSource(workload, { catalog: buildCatalog(workload) });
  const transport = createUndiciTransport(url, { connections: 1, timeoutMs: 60_000 });
  const latencies: number[] = [];
  const inference: number[] = [];
  try {
    const started = performance.now();
    for (let i = 0; i < WARMUP_REQUESTS + requests; i++) {
      if (i >= WARMUP_REQUESTS && performance.now() - started > BUDGET_MS) break;
      const body = protocol.encodeRequest(sessions.next().items);
      const start = performance.now();
      const response = await transport.send(
        { method: protocol.method, path: protocol.path, headers: protocol.headers, body },
        60_000,
      );
      const elapsed = performance.now() - start;
      const decoded = protocol.decodeResponse(response.body, response.headers);
      if (i < WARMUP_REQUESTS) continue;
      latencies.push(elapsed);
      inference.push(decoded.serverTiming?.infMs ?? Number.NaN);
    }
  } finally {
    await transport.close();
  }
  return { latencies: latencies.sort((a, b) => a - b), inference: inference.sort((a, b) => a - b) };
}

export async function referencePart(_context: BenchContext): Promise<PartResult> {
  const rows: string[][] = [];
  const speedRows: string[][] = [];
  const skipped: string[] = [];
  for (const { catalogSize, requests } of SIZES) {
    const dimension = embeddingDimension(catalogSize);
    const embeddingBytes = catalogSize * dimension * 4;
    for (const model of ["noop", "synthetic"] as const) {
      if (model === "synthetic" && embeddingBytes * MEMORY_MARGIN > freemem()) {
        skipped.push(
          `synthetic at C = ${thousands(catalogSize)}: ${fixed(embeddingBytes / 2 ** 30, 1)} GiB of embeddings, ${fixed(freemem() / 2 ** 30, 1)} GiB free`,
        );
        continue;
      }
      const server = await startService<ReferenceReady>(
        SERVER_CORE,
        REFERENCE_SCRIPT,
        [model, String(catalogSize)],
        600_000,
      );
      let serial: Serial;
      try {
        serial = await serialRequests(server.ready.url, catalogSize, requests);
      } finally {
        await server.stop();
      }
      const p = (values: number[], q: number) => percentileOf(values, q);
      rows.push([
        thousands(catalogSize),
        model,
        String(dimension),
        fixed(server.ready.setupMs, 0),
        thousands(serial.latencies.length),
        fixed(p(serial.latencies, 50), 3),
        fixed(p(serial.latencies, 90), 3),
        fixed(p(serial.inference, 50), 3),
      ]);
      if (model === "synthetic") {
        const inferenceMs = p(serial.inference, 50);
        const boundMs = (embeddingBytes / server.ready.copyBytesPerSecond) * 1000;
        speedRows.push([
          thousands(catalogSize),
          fixed(embeddingBytes / 2 ** 20, 1),
          fixed(server.ready.copyBytesPerSecond / 1e9, 2),
          fixed(boundMs, 3),
          fixed(inferenceMs, 3),
          fixed(embeddingBytes / (inferenceMs / 1000) / 1e9, 2),
          fixed(inferenceMs / boundMs, 2),
        ]);
      }
    }
  }
  const text = [
    "etude's reference server (bench/servers/reference.ts, one thread, core 1); one client connection, one request after another (core 0).",
    "Latency is client-side end to end; inference is the server's own inf_ms from the answer's nf block.",
    "",
    table(["C", "model", "d", "set-up (ms)", "requests", "p50 (ms)", "p90 (ms)", "inference p50 (ms)"], rows),
    "",
    "Synthetic scoring against the memory-bandwidth bound: one pass over the C x d float32 embeddings per request; the bound is those bytes at the copy bandwidth TypedArray.set reaches over 128 MiB in the server's own process.",
    "",
    table(
      ["C", "embeddings (MiB)", "copy (GB/s)", "bound (ms)", "inference p50 (ms)", "scan (GB/s)", "x bound"],
      speedRows,
    ),
    ...(skipped.length === 0 ? [] : ["", `Skipped: ${skipped.join("; ")}.`]),
  ].join("\n");
  return { title: "6. Reference server", text, targets: [] };
}
