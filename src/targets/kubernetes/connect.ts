import { KubeConfig } from "@kubernetes/client-node";
import { InfrastructureError } from "../errors.ts";

export interface ConnectOptions {
  /** Kubeconfig content: plain YAML, or base64 as a workflow secret often carries it. */
  kubeconfig?: string;
  kubeconfigPath?: string;
  /** The service account of the pod this process runs in. */
  inCluster?: boolean;
  context?: string;
}

export interface Connection {
  kubeConfig: KubeConfig;
  /** Replaces every credential of the kubeconfig (and bearer tokens in general) with "[redacted]". */
  redact(text: string): string;
  /** Context and API server, safe to log. */
  description: string;
}

const REDACTED = "[redacted]";

/**
 * Builds a KubeConfig from one of: inline content, a file, the in-cluster service account, or
 * the default lookup (KUBECONFIG, ~/.kube/config). Errors never carry credentials.
 */
export function connect(options: ConnectOptions): Connection {
  const kubeConfig = new KubeConfig();
  const secrets = new Set<string>();
  if (options.kubeconfig !== undefined) {
    secrets.add(options.kubeconfig);
    const content = decodeKubeconfig(options.kubeconfig);
    secrets.add(content);
    guard(() => kubeConfig.loadFromString(content), "the inline kubeconfig is not valid YAML", secrets);
  } else if (options.kubeconfigPath !== undefined) {
    const path = options.kubeconfigPath;
    guard(() => kubeConfig.loadFromFile(path), `cannot read the kubeconfig file ${path}`, secrets);
  } else if (options.inCluster) {
    guard(() => kubeConfig.loadFromCluster(), "cannot load the in-cluster service account", secrets);
  } else {
    guard(() => kubeConfig.loadFromDefault(), "cannot load a default kubeconfig", secrets);
  }
  for (const user of kubeConfig.getUsers()) {
    for (const value of [user.token, user.password, user.keyData, user.certData]) {
      if (value) secrets.add(value);
    }
  }
  if (options.context !== undefined) {
    const known = kubeConfig.getContexts().map((c) => c.name);
    if (!known.includes(options.context)) {
      throw new InfrastructureError(
        `target.kubernetes.context: no context "${options.context}" in the kubeconfig; valid: ${known.join(", ") || "none"}`,
      );
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new InfrastructureError(
      "the kubeconfig has no current cluster: set `context` or `current-context`",
    );
  }
  const redact = createRedactor([...secrets]);
  return {
    kubeConfig,
    redact,
    description: redact(`context ${kubeConfig.getCurrentContext()} at ${cluster.server}`),
  };
}

/** A kubeconfig passed as base64 decodes to YAML; plain YAML is returned unchanged. */
export function decodeKubeconfig(content: string): string {
  const trimmed = content.trim();
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && !trimmed.includes(":")) {
    const decoded = Buffer.from(trimmed, "base64").toString("utf8");
    if (/^\s*(apiVersion|clusters|kind|contexts|users|current-context)\s*:/m.test(decoded)) return decoded;
  }
  return content;
}

export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is removed whole.
  const values = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of values) result = result.split(value).join(REDACTED);
    return result
      .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`)
      .replace(/((?:token|password|client-key-data)"?\s*[:=]\s*"?)[^\s",}]+/gi, `$1${REDACTED}`);
  };
}

function guard(load: () => void, message: string, secrets: Set<string>): void {
  try {
    load();
  } catch (error) {
    const redact = createRedactor([...secrets]);
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new InfrastructureError(`${message}: ${redact(reason)}`);
  }
}
