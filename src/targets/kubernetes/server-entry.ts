import { startReferenceServer } from "../../server/index.ts";
import type { ReferenceModel } from "../../spec/types.ts";

/**
 * The reference server inside the cluster, run from a stock Node image: listens on the pod's own
 * IP (POD_IP from the downward API) and the port the Service targets; stops cleanly on SIGTERM.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
};

const server = await startReferenceServer({
  model: env("ETUDE_MODEL") as ReferenceModel,
  catalogSize: Number(env("ETUDE_CATALOG_SIZE")),
  host: env("POD_IP"),
  port: Number(env("PORT")),
  log: (line) => console.log(line),
});
process.once("SIGTERM", () => {
  server.close().then(() => process.exit(0));
});
