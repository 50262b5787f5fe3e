import type { Clock, Transport, TransportRequest, TransportResponse } from "../../src/loadgen/types.ts";

export interface FakeRequest {
  index: number;
  sentAt: number;
  /** The session context the request carried. */
  items: number[];
  answeredAt?: number;
}

export interface FakeTransport extends Transport {
  readonly connections: number;
  readonly requests: FakeRequest[];
  readonly closed: boolean;
}

export interface FakeBehaviour {
  /** Latency of each answer on the injected clock; `undefined` means the request is never answered. */
  latencyMs(index: number): number | undefined;
  status?: number;
}

export const ETUDE_ANSWER = '{"items":[[1,2,3]]}';

/** An in-memory transport answering after a chosen latency on the injected clock, recording every request. */
export function createFakeTransport(clock: Clock, behaviour: FakeBehaviour): FakeTransport {
  const requests: FakeRequest[] = [];
  let closed = false;
  return {
    connections: 8,
    requests,
    get closed() {
      return closed;
    },
    async send(request: TransportRequest): Promise<TransportResponse> {
      const parsed = JSON.parse(request.body) as { items: number[] };
      const record: FakeRequest = { index: requests.length, sentAt: clock.now(), items: parsed.items };
      requests.push(record);
      const latency = behaviour.latencyMs(record.index);
      if (latency === undefined) return new Promise<never>(() => {});
      await clock.sleep(latency);
      record.answeredAt = clock.now();
      return { status: behaviour.status ?? 200, headers: {}, body: ETUDE_ANSWER };
    },
    async close() {
      closed = true;
    },
  };
}
