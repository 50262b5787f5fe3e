import { type DecodedResponse, InvalidResponseError, type ProtocolAdapter } from "../protocol/types.ts";
import { type ErrorClass, TransportError, type TransportResponse } from "./types.ts";

export type Outcome =
  | { ok: true; response: DecodedResponse }
  | { ok: false; errorClass: ErrorClass; status?: number };

/** Judges an HTTP answer: 2xx decoded by the protocol, 4xx and 5xx by class, anything else as `other`. */
export function judgeResponse(protocol: ProtocolAdapter, response: TransportResponse): Outcome {
  const { status } = response;
  if (status >= 400 && status < 500) return { ok: false, errorClass: "http4xx", status };
  if (status >= 500 && status < 600) return { ok: false, errorClass: "http5xx", status };
  if (status < 200 || status >= 300) return { ok: false, errorClass: "other", status };
  try {
    return { ok: true, response: protocol.decodeResponse(response.body, response.headers) };
  } catch (error) {
    return { ok: false, errorClass: error instanceof InvalidResponseError ? "invalid" : "other", status };
  }
}

/** Judges a failed send: transports name their error class; anything else is `other`. */
export function judgeFailure(error: unknown): Outcome {
  return { ok: false, errorClass: error instanceof TransportError ? error.errorClass : "other" };
}
