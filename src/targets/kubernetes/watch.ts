import { type KubeConfig, type KubernetesObject, Watch } from "@kubernetes/client-node";
import { abortableSleep, statusOf, withRetry } from "./retry.ts";

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WatchUntilOptions<T extends KubernetesObject, R> {
  kubeConfig: KubeConfig;
  /** API path of the collection, e.g. /api/v1/namespaces/x/pods. */
  path: string;
  labelSelector?: string;
  /** Lists the collection with the same selector: the starting state, and the recovery after 410 Gone. */
  list(): Promise<ListResult<T>>;
  /** Called with the current objects after every change; a defined result ends the wait. May throw. */
  check(objects: readonly T[]): R | undefined;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Reports re-established watches, so a flaky connection is visible in the run's log. */
  onReconnect?(reason: string): void;
}

export class WatchTimeoutError extends Error {
  override name = "WatchTimeoutError";
}

/** A watch that was cut gets re-established this many times in a row at most before giving up. */
const MAX_CONSECUTIVE_FAILURES = 8;

/**
 * Waits until `check` returns a result, following changes with the Watch API. client-node's Watch
 * ends after 30 s without data and never reconnects: this resumes from the last resourceVersion,
 * and lists again when the server answers 410 Gone (that version is too old).
 */
export async function watchUntil<T extends KubernetesObject, R>(
  options: WatchUntilOptions<T, R>,
): Promise<R> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const objects = new Map<string, T>();
  let resourceVersion: string | undefined;
  let failures = 0;

  const relist = async () => {
    const result = await withRetry(() => options.list(), { signal });
    objects.clear();
    for (const item of result.items) objects.set(item.metadata?.name ?? "", item);
    resourceVersion = result.metadata?.resourceVersion;
  };

  try {
    await relist();
    for (;;) {
      const settled = options.check([...objects.values()]);
      if (settled !== undefined) return settled;
      const outcome = await watchOnce(options, resourceVersion, signal, (type, object) => {
        failures = 0;
        const rv = object.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        const name = object.metadata?.name ?? "";
        if (type === "ADDED" || type === "MODIFIED") objects.set(name, object);
        else if (type === "DELETED") objects.delete(name);
        return options.check([...objects.values()]);
      });
      if (outcome.kind === "result") return outcome.value;
      signal.throwIfAborted();
      if (outcome.kind === "gone") {
        options.onReconnect?.("the watch's resource version expired (410 Gone); listing again");
        await relist();
        continue;
      }
      failures++;
      if (failures > MAX_CONSECUTIVE_FAILURES) throw outcome.error ?? new Error("the watch keeps closing");
      if (outcome.error) options.onReconnect?.(`the watch ended (${describe(outcome.error)}); resuming`);
      await abortableSleep(Math.min(5_000, 100 * 2 ** failures * Math.random()), signal);
    }
  } catch (error) {
    if (deadline.aborted && !options.signal?.aborted) {
      throw new WatchTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)} s`);
    }
    throw error;
  }
}

type Outcome<R> = { kind: "result"; value: R } | { kind: "gone" } | { kind: "closed"; error?: unknown };

function watchOnce<T extends KubernetesObject, R>(
  options: WatchUntilOptions<T, R>,
  resourceVersion: string | undefined,
  signal: AbortSignal,
  apply: (type: string, object: T) => R | undefined,
): Promise<Outcome<R>> {
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    let finished = false;
    const finish = (outcome: Outcome<R> | { kind: "error"; error: unknown }) => {
      if (finished) return;
      finished = true;
      signal.removeEventListener("abort", onAbort);
      controller?.abort();
      if (outcome.kind === "error") reject(outcome.error);
      else resolve(outcome);
    };
    const onAbort = () => finish({ kind: "closed" });
    signal.addEventListener("abort", onAbort, { once: true });
    const query: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (resourceVersion) query.resourceVersion = resourceVersion;
    if (options.labelSelector) query.labelSelector = options.labelSelector;
    new Watch(options.kubeConfig)
      .watch(
        options.path,
        query,
        (type, object: T & { code?: number }) => {
          if (finished) return;
          if (type === "ERROR") {
            if (object.code === 410) finish({ kind: "gone" });
            else finish({ kind: "closed", error: new Error(`watch error ${JSON.stringify(object)}`) });
            return;
          }
          if (type === "BOOKMARK") {
            const rv = object.metadata?.resourceVersion;
            if (rv) apply("BOOKMARK", object);
            return;
          }
          try {
            const value = apply(type, object);
            if (value !== undefined) finish({ kind: "result", value });
          } catch (error) {
            finish({ kind: "error", error });
          }
        },
        (error: unknown) => {
          if (statusOf(error) === 410) finish({ kind: "gone" });
          else finish({ kind: "closed", error: error ?? undefined });
        },
      )
      .then(
        (c) => {
          controller = c;
          if (finished) c.abort();
        },
        (error: unknown) => finish({ kind: "closed", error }),
      );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
