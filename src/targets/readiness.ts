import { InfrastructureError } from "./errors.ts";

export interface ReadinessOptions {
  url: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called between polls; throwing stops the wait (a crashed process, say). */
  check?: () => void;
}

/** Polls a readiness URL until it answers 2xx, as a Kubernetes readiness probe would. */
export async function waitForReady(options: ReadinessOptions): Promise<void> {
  const { url, timeoutMs, intervalMs = 250, signal, check } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    check?.();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(intervalMs * 4, 1000)) });
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = describeFetchError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new InfrastructureError(
    `the target did not become ready within ${Math.round(timeoutMs / 1000)} s: ${url} last gave ${lastProblem}`,
  );
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
