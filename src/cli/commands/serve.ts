import { parseArgs } from "node:util";
import { startReferenceServer } from "../../server/index.ts";
import { parseCount } from "../../spec/units.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../usage.ts";

export const SERVE_HELP = `Usage: etude serve [options]

Starts the bundled reference inference server (etude, TorchServe and KServe v2 routes) and prints
"listening on <url>". Stops on Ctrl-C or SIGTERM.

Options:
  --model <noop|synthetic>   noop answers at once (serving overhead alone); synthetic scores every item
                             with a GRU session encoder and inner products (default: synthetic)
  --catalog-size <n>         items in the catalog, e.g. 100k (default: 100k)
  --top-k <n>                recommendations per answer (default: 21)
  --host <address>           address to listen on (default: 127.0.0.1)
  --port <n>                 port to listen on, 0 for a free one (default: 8080)
  --workers <n>              inference worker threads, 0 for the main thread (default: 0)
  --seed <n>                 seed of the synthetic model's weights (default: 1)
  -h, --help                 show this help`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: "string", default: "synthetic" },
      "catalog-size": { type: "string", default: "100k" },
      "top-k": { type: "string", default: "21" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      workers: { type: "string", default: "0" },
      seed: { type: "string", default: "1" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return EXIT.pass;
  }
  if (positionals.length > 0)
    throw new UsageError(`etude serve takes no arguments, got ${positionals.join(" ")}`);
  const model = values.model;
  if (model !== "noop" && model !== "synthetic") {
    throw new UsageError(`--model must be noop or synthetic, got "${model}"`);
  }
  const server = await startReferenceServer({
    model,
    catalogSize: countOption("--catalog-size", values["catalog-size"]),
    topK: countOption("--top-k", values["top-k"]),
    host: values.host,
    port: countOption("--port", values.port, 0),
    workers: countOption("--workers", values.workers, 0),
    seed: countOption("--seed", values.seed, 0),
    log: (line) => console.error(line),
  });
  console.log(`etude reference server (${model}) listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return EXIT.pass;
}

function countOption(option: string, value: string, minimum = 1): number {
  let count: number;
  try {
    count = parseCount(value);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
  if (!Number.isInteger(count) || count < minimum) {
    throw new UsageError(`${option} must be a whole number of ${minimum} or more, got "${value}"`);
  }
  return count;
}
