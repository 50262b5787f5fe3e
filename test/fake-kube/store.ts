// The object store: one global, monotonically increasing resourceVersion and a bounded event
// history that watches resume from (older versions get 410 Gone, as after etcd compaction).
import { randomUUID } from "node:crypto";
import type { KubeObject } from "./object.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  kind: string;
  object: KubeObject;
  /** The object before this change, so that selector watches can tell an object left their view. */
  previous: KubeObject | undefined;
  resourceVersion: number;
}

const keyOf = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ""}/${name}`;

export class Store {
  #resourceVersion: number;
  readonly #objects = new Map<string, KubeObject>();
  readonly #history: StoreEvent[] = [];
  readonly #historyLimit: number;
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #now: () => Date;

  constructor(options: { historyLimit: number; now: () => Date }) {
    this.#historyLimit = options.historyLimit;
    this.#now = options.now;
    // Start well above 1 so that a client passing a made-up small version is "too old".
    this.#resourceVersion = 1000;
  }

  get resourceVersion(): string {
    return String(this.#resourceVersion);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.#objects.get(keyOf(kind, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  list(kind: string, namespace?: string): KubeObject[] {
    const items: KubeObject[] = [];
    for (const object of this.#objects.values()) {
      if (object.kind !== kind) continue;
      if (namespace !== undefined && (object.metadata.namespace ?? "") !== namespace) continue;
      items.push(structuredClone(object));
    }
    return items.sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  }

  all(): KubeObject[] {
    return [...this.#objects.values()].map((object) => structuredClone(object));
  }

  /** Stores a new object, filling uid, creationTimestamp, generation and resourceVersion. */
  create(object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp = this.#now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
    stored.metadata.generation = 1;
    return this.#commit("ADDED", stored, undefined);
  }

  /** Replaces a stored object; bumps generation when anything but status and metadata changed. */
  update(object: KubeObject): KubeObject {
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name ?? "");
    const previous = this.#objects.get(key);
    if (!previous) throw new Error(`update of missing object ${key}`);
    const stored = structuredClone(object);
    stored.metadata.uid = previous.metadata.uid;
    stored.metadata.creationTimestamp = previous.metadata.creationTimestamp;
    const { metadata: _m1, status: _s1, ...before } = previous;
    const { metadata: _m2, status: _s2, ...after } = stored;
    const generation = previous.metadata.generation ?? 1;
    stored.metadata.generation =
      JSON.stringify(before) === JSON.stringify(after) ? generation : generation + 1;
    return this.#commit("MODIFIED", stored, previous);
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = keyOf(kind, namespace, name);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    return this.#commit("DELETED", structuredClone(previous), previous);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events after `resourceVersion`, or "gone" when the history no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | "gone" {
    const oldest = this.#history[0]?.resourceVersion ?? this.#resourceVersion + 1;
    if (resourceVersion < oldest - 1 && resourceVersion < this.#resourceVersion) return "gone";
    return this.#history
      .filter((event) => event.resourceVersion > resourceVersion)
      .map((event) => structuredClone(event));
  }

  #commit(type: WatchEventType, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.#resourceVersion++;
    object.metadata.resourceVersion = String(this.#resourceVersion);
    const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name ?? "");
    if (type === "DELETED") this.#objects.delete(key);
    else this.#objects.set(key, object);
    const event: StoreEvent = {
      type,
      kind: object.kind,
      object: structuredClone(object),
      previous: previous ? structuredClone(previous) : undefined,
      resourceVersion: this.#resourceVersion,
    };
    this.#history.push(event);
    if (this.#history.length > this.#historyLimit) this.#history.shift();
    for (const listener of this.#listeners) listener(event);
    return structuredClone(object);
  }
}
