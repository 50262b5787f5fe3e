/** Validates a `target.kubernetes` block built in code, with the spec's schema and messages. */
import { fieldIssues } from "./issues.ts";
import { completeKubernetesTarget, kubernetesTarget } from "./kubernetes.ts";
import { formatPath } from "./problems.ts";
import { redactText, secretsIn } from "./redact.ts";
import type { KubernetesTarget } from "./types.ts";

const PREFIX = ["target", "kubernetes"];

/** Raised for an invalid block; one line per problem, field path first. Never quotes a kubeconfig. */
export class KubernetesTargetError extends Error {
  override name = "KubernetesTargetError";
  readonly problems: { path: string; message: string }[];

  constructor(problems: { path: string; message: string }[]) {
    super(`invalid Kubernetes target:\n  ${problems.map((p) => `${p.path}: ${p.message}`).join("\n  ")}`);
    this.problems = problems;
  }
}

/**
 * The typed, defaulted block, exactly as a spec file with the same `target.kubernetes` would give;
 * durations are unit strings. `catalogSize` is the default of a reference model's catalog size.
 */
export function parseKubernetesTarget(input: unknown, catalogSize?: number): KubernetesTarget {
  const secrets = secretsIn({ kubernetes: input });
  const parsed = kubernetesTarget.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => ({ ...issue, path: [...PREFIX, ...issue.path] }))
      .flatMap(fieldIssues)
      .map((issue) => ({ path: formatPath(issue.path), message: redactText(issue.message, secrets) }));
    throw new KubernetesTargetError(problems);
  }
  const target = completeKubernetesTarget(parsed.data, catalogSize);
  if (target === undefined) {
    throw new KubernetesTargetError([
      {
        path: formatPath([...PREFIX, "model", "reference", "catalogSize"]),
        message: "required field is missing: the reference model's catalog size, e.g. 1M",
      },
    ]);
  }
  return target;
}
