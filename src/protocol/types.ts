/** Timings a server reports about one prediction (the etude protocol's `nf` block, or Server-Timing). */
export interface ServerTiming {
  preMs?: number;
  infMs?: number;
  postMs?: number;
  /** Sum of the reported phases, or the server's own total. */
  totalMs: number;
}

export interface DecodedResponse {
  items: number[];
  serverTiming?: ServerTiming;
  model?: { name?: string; threads?: number; device?: string };
}

/** Raised when a 2xx answer has no usable item list; counted as the `invalid` error class. */
export class InvalidResponseError extends Error {
  override name = "InvalidResponseError";
}

/** Turns a session into an HTTP request and an HTTP answer into recommended items. */
export interface ProtocolAdapter {
  readonly name: string;
  readonly method: "POST" | "PUT";
  readonly path: string;
  readonly headers: Record<string, string>;
  encodeRequest(items: ArrayLike<number>): string;
  /** Throws InvalidResponseError when the body holds no item list. */
  decodeResponse(body: string, headers: Record<string, string | string[] | undefined>): DecodedResponse;
}
