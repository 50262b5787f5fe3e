export { createProtocol } from "./create-protocol.ts";
export { parseServerTiming } from "./server-timing.ts";
export * from "./types.ts";
