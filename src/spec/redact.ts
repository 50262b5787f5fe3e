/** Keeps secrets of a spec (kubeconfig content) out of problem messages and reported values. */

const REDACTED = "[redacted]";
/** Shorter strings are no credential, and replacing them would garble the message. */
const MIN_SECRET_LENGTH = 8;

/** Every `kubernetes.kubeconfig` value in the document, as the texts a message could quote. */
export function secretsIn(data: unknown): string[] {
  const secrets = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.length >= MIN_SECRET_LENGTH) {
        secrets.add(value);
        secrets.add(JSON.stringify(value).slice(1, -1));
      }
    } else if (typeof value === "object" && value !== null) {
      const text = JSON.stringify(value);
      if (text.length >= MIN_SECRET_LENGTH) secrets.add(text);
      for (const inner of Object.values(value)) collect(inner);
    }
  };
  const visit = (value: unknown, parentKey: string | undefined): void => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (parentKey === "kubernetes" && key === "kubeconfig") collect(inner);
      else visit(inner, key);
    }
  };
  visit(data, undefined);
  // Longest first, so a secret is replaced whole before any part of it.
  return [...secrets].sort((a, b) => b.length - a.length);
}

export function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some((segment, index) => segment === "kubeconfig" && path[index - 1] === "kubernetes");
}

export function redactText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((redacted, secret) => redacted.replaceAll(secret, REDACTED), text);
}

/** The value found at `path`, with every secret in it replaced; objects are copied, never changed. */
export function redactValue(
  path: readonly PropertyKey[],
  value: unknown,
  secrets: readonly string[],
): unknown {
  if (isSecretPath(path)) return REDACTED;
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item, index) => redactValue([...path, index], item, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, redactValue([...path, key], inner, secrets)]),
    );
  }
  return value;
}
