import { resolveConnections } from "../loadgen/connections.ts";
import { runLoad } from "../loadgen/run.ts";
import { createUndiciTransport } from "../loadgen/transport.ts";
import type { RunMeasurement, SecondRecord, Transport } from "../loadgen/types.ts";
import { createProtocol } from "../protocol/index.ts";
import type { LoadSpec, ProtocolSpec, WorkloadSpec } from "../spec/types.ts";
import type { Catalog } from "../workload/catalog.ts";
import { createRandom, deriveSeed } from "../workload/random.ts";
import { createSessionSource, type Partition } from "../workload/sessions.ts";

/** Label of the random stream that draws Poisson arrival times, one per partition. */
const ARRIVAL_STREAM = 3;

export interface MeasureLoadOptions {
  workload: WorkloadSpec;
  load: LoadSpec;
  protocol: ProtocolSpec;
  targetUrl: string;
  /** This generator's share of the sessions: disjoint session ids and seeds per partition. */
  partition: Partition;
  /** A catalog already built for `workload`, shared between runs. */
  catalog?: Catalog;
  /** Overrides the spec's connection count (a probed Little's-law size, say). */
  connections?: number;
  transport?: Transport;
  signal?: AbortSignal;
  onSecond?(record: SecondRecord): void;
  /** Receives one JSON line per request slot. */
  requestLog?: NodeJS.WritableStream;
}

/** Runs the load generator against one URL: local runs, the in-cluster Job's pods and `loadFrom: runner` alike. */
export async function measureLoad(options: MeasureLoadOptions): Promise<RunMeasurement> {
  const { load, partition } = options;
  const transport =
    options.transport ??
    createUndiciTransport(options.targetUrl, {
      connections: options.connections ?? resolveConnections(load),
      timeoutMs: load.requestTimeoutMs,
    });
  try {
    return await runLoad({
      load,
      sessions: createSessionSource(options.workload, {
        partition,
        ...(options.catalog ? { catalog: options.catalog } : {}),
      }),
      protocol: createProtocol(options.protocol),
      transport,
      random: createRandom(deriveSeed(options.workload.seed, ARRIVAL_STREAM, partition.index)),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onSecond ? { onSecond: options.onSecond } : {}),
      ...(options.requestLog ? { requestLog: options.requestLog } : {}),
    });
  } finally {
    if (options.transport === undefined) await transport.close();
  }
}
