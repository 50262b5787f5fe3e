import { parseArgs } from "node:util";
import { DEFAULT_SPEC_FILE, loadSpec } from "../../spec/index.ts";
import type { KubernetesTarget } from "../../spec/types.ts";
import { cleanup } from "../../targets/kubernetes/index.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../usage.ts";

export const CLEANUP_HELP = `Usage: etude cleanup [spec] (--run-id <id> | --expired) [options]

Deletes what Kubernetes runs left in the cluster: the namespace (or, in a shared namespace, the
labelled objects) of one run, or of every etude run whose expiry time (target.kubernetes.ttl) has
passed. Only objects labelled as managed by etude are touched. The spec (default: ${DEFAULT_SPEC_FILE})
says how to reach the cluster.

Options:
  --run-id <id>          the run to delete
  --expired              delete every expired run
  --kubeconfig <path>    use this kubeconfig file instead of the spec's
  --context <name>       use this kubeconfig context
  -h, --help             show this help`;

export async function cleanupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "run-id": { type: "string" },
      expired: { type: "boolean", default: false },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(CLEANUP_HELP);
    return EXIT.pass;
  }
  const runId = values["run-id"];
  if ((runId === undefined) === !values.expired) {
    throw new UsageError("etude cleanup needs exactly one of --run-id <id> or --expired");
  }
  if (positionals.length > 1)
    throw new UsageError(`etude cleanup takes one spec file, got ${positionals.join(" ")}`);
  const specPath = positionals[0] ?? DEFAULT_SPEC_FILE;
  const spec = await loadSpec(specPath);
  if (spec.target.kind !== "kubernetes") {
    throw new UsageError(`${specPath} has a ${spec.target.kind} target; cleanup is for kubernetes targets`);
  }
  let kubernetes: KubernetesTarget = spec.target.kubernetes;
  if (values.kubeconfig !== undefined) {
    const { kubeconfig: _secret, ...fromSpec } = kubernetes;
    kubernetes = { ...fromSpec, kubeconfigPath: values.kubeconfig, inCluster: false };
  }
  if (values.context !== undefined) kubernetes = { ...kubernetes, context: values.context };
  await cleanup(runId === undefined ? { expired: true } : { runId }, {
    kubernetes,
    log: (line) => console.error(line),
  });
  return EXIT.pass;
}
