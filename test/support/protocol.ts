import { InvalidResponseError, type ProtocolAdapter } from "../../src/protocol/types.ts";

/** A minimal etude-style adapter: the session so far goes out as `{"items":[...]}`, `{"items":[[...]]}` comes back. */
export const testProtocol: ProtocolAdapter = {
  name: "etude-test",
  method: "POST",
  path: "/predictions",
  headers: { "content-type": "application/json" },
  encodeRequest: (items) => JSON.stringify({ items: Array.from(items) }),
  decodeResponse(body) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new InvalidResponseError(`answer is not JSON: ${body.slice(0, 40)}`);
    }
    const items = (parsed as { items?: unknown }).items;
    if (!Array.isArray(items) || !Array.isArray(items[0])) {
      throw new InvalidResponseError(`answer has no "items" list: ${body.slice(0, 40)}`);
    }
    return { items: items[0] as number[] };
  },
};
