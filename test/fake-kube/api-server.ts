// The HTTP face of the fake: Kubernetes REST paths, verbs, watch streams, pod logs, discovery,
// and injected API faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import type { Cluster } from "./cluster.ts";
import type { KubeObject } from "./object.ts";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch.ts";
import { apiVersionOf, RESOURCE_TYPES, type ResourceType, resourceByPath } from "./resources.ts";
import {
  type FieldRequirement,
  type LabelRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "./selectors.ts";
import { ApiError, badRequest } from "./status.ts";
import type { StoreEvent } from "./store.ts";

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface FaultRule {
  status: 429 | 500;
  remaining: number;
  method?: string | undefined;
  pathIncludes?: string | undefined;
}

interface Route {
  resource: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

const JSON_TYPE = { "content-type": "application/json" };

function stripTypeMeta(object: KubeObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest;
}

export class ApiServer {
  readonly requests: RequestRecord[] = [];
  readonly faults: FaultRule[] = [];
  readonly #cluster: Cluster;
  readonly #server: Server;
  readonly #watches = new Set<ServerResponse>();
  readonly #streams = new Set<ServerResponse>();

  constructor(cluster: Cluster) {
    this.#cluster = cluster;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#fail(req, res, error));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  dropWatches(): void {
    for (const res of this.#watches) res.end();
    this.#watches.clear();
  }

  async close(): Promise<void> {
    this.dropWatches();
    for (const res of this.#streams) res.end();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #record(req: IncomingMessage, status: number): void {
    this.requests.push({ method: req.method ?? "GET", path: req.url ?? "/", status });
  }

  #send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.#record(req, status);
    res.writeHead(status, { ...JSON_TYPE, ...headers });
    res.end(JSON.stringify(body));
  }

  #fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const apiError =
      error instanceof ApiError
        ? error
        : error instanceof SelectorError
          ? badRequest(error.message)
          : new ApiError(
              500,
              "InternalError",
              `Internal error occurred: ${(error as Error).message ?? String(error)}`,
            );
    this.#send(req, res, apiError.code, apiError.toStatus());
  }

  #injectedFault(req: IncomingMessage): ApiError | undefined {
    const rule = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.method || candidate.method.toUpperCase() === req.method) &&
        (!candidate.pathIncludes || (req.url ?? "").includes(candidate.pathIncludes)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.status === 429) {
      return new ApiError(
        429,
        "TooManyRequests",
        "the server has received too many requests and has asked us to try again later",
        {
          retryAfterSeconds: 1,
        },
      );
    }
    return new ApiError(
      500,
      "InternalError",
      'an error on the server ("") has prevented the request from succeeding',
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const fault = this.#injectedFault(req);
    if (fault) {
      this.#send(req, res, fault.code, fault.toStatus(), fault.code === 429 ? { "retry-after": "1" } : {});
      return;
    }
    const method = req.method ?? "GET";
    const body =
      method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE"
        ? await readBody(req)
        : "";
    if (method === "GET" && this.#discovery(req, res, url.pathname)) return;
    const route = this.#route(url.pathname);
    if (!route) {
      this.#send(
        req,
        res,
        404,
        new ApiError(404, "NotFound", "the server could not find the requested resource").toStatus(),
      );
      return;
    }
    const query = url.searchParams;
    const { resource, namespace, name, subresource } = route;
    if (method === "GET" && !name) {
      if (query.get("watch") === "true" || query.get("watch") === "1") this.#watch(req, res, route, query);
      else this.#list(req, res, route, query);
      return;
    }
    if (method === "GET" && subresource === "log" && name) {
      this.#log(req, res, this.#cluster.get(resource, namespace, name), query);
      return;
    }
    if (subresource && subresource !== "status") {
      throw new ApiError(
        404,
        "NotFound",
        `the server could not find the requested resource (${subresource})`,
      );
    }
    switch (method) {
      case "GET":
        this.#send(req, res, 200, this.#cluster.get(resource, namespace, name!));
        return;
      case "POST": {
        if (name)
          throw new ApiError(
            405,
            "MethodNotAllowed",
            `the server does not allow this method on the requested resource`,
          );
        const created = await this.#cluster.create(resource, namespace, parseJson(body));
        this.#send(req, res, 201, created);
        return;
      }
      case "PUT":
        this.#send(
          req,
          res,
          200,
          this.#cluster.replace(resource, namespace, name!, parseJson(body), subresource === "status"),
        );
        return;
      case "PATCH":
        await this.#patch(req, res, route, body);
        return;
      case "DELETE":
        this.#delete(req, res, route, query, body);
        return;
      default:
        throw new ApiError(405, "MethodNotAllowed", `method ${method} is not allowed`);
    }
  }

  #route(pathname: string): Route | undefined {
    const parts = pathname
      .split("/")
      .filter((part) => part !== "")
      .map(decodeURIComponent);
    let group: string;
    let rest: string[];
    if (parts[0] === "api" && parts[1] === "v1") {
      group = "";
      rest = parts.slice(2);
    } else if (parts[0] === "apis" && parts.length >= 3) {
      group = parts[1]!;
      rest = parts.slice(3);
      if (parts[2] !== "v1") return undefined;
    } else {
      return undefined;
    }
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest;
    if (!plural || rest.length > 3) return undefined;
    const resource = resourceByPath(group, "v1", plural);
    if (!resource) return undefined;
    if (namespace !== undefined && !resource.namespaced) return undefined;
    return { resource, namespace, name, subresource };
  }

  #discovery(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const path = pathname.replace(/\/+$/, "") || "/";
    const groups = [...new Set(RESOURCE_TYPES.filter((r) => r.group).map((r) => r.group))];
    if (path === "/healthz" || path === "/readyz" || path === "/livez") {
      this.#record(req, 200);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return true;
    }
    const answers: Record<string, unknown> = {
      "/version": { major: "1", minor: "31", gitVersion: "v1.31.0-fake", platform: "linux/amd64" },
      "/api": {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }],
      },
      "/apis": {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: groups.map((name) => ({
          name,
          versions: [{ groupVersion: `${name}/v1`, version: "v1" }],
          preferredVersion: { groupVersion: `${name}/v1`, version: "v1" },
        })),
      },
    };
    for (const group of ["", ...groups]) {
      const resources = RESOURCE_TYPES.filter((r) => r.group === group);
      const list = resources.flatMap((r) => {
        const entry = {
          name: r.plural,
          singularName: r.singular,
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: r.verbs,
        };
        const extra = [];
        if (r.hasStatus)
          extra.push({
            name: `${r.plural}/status`,
            singularName: "",
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: ["get", "patch", "update"],
          });
        if (r.kind === "Pod")
          extra.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
        return [entry, ...extra];
      });
      answers[group ? `/apis/${group}/v1` : "/api/v1"] = {
        kind: "APIResourceList",
        apiVersion: "v1",
        groupVersion: group ? `${group}/v1` : "v1",
        resources: list,
      };
    }
    if (!(path in answers)) return false;
    this.#send(req, res, 200, answers[path]);
    return true;
  }

  #selectors(query: URLSearchParams): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
    return {
      labels: parseLabelSelector(query.get("labelSelector") ?? ""),
      fields: parseFieldSelector(query.get("fieldSelector") ?? ""),
    };
  }

  #list(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): void {
    const { labels, fields } = this.#selectors(query);
    const items = this.#cluster.store
      .list(route.resource.kind, route.resource.namespaced ? route.namespace : undefined)
      .filter((object) => matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object));
    this.#send(req, res, 200, {
      kind: `${route.resource.kind}List`,
      apiVersion: apiVersionOf(route.resource),
      metadata: { resourceVersion: this.#cluster.store.resourceVersion },
      items: items.map(stripTypeMeta),
    });
  }

  #watch(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): void {
    const { labels, fields } = this.#selectors(query);
    const { resource } = route;
    const namespace = resource.namespaced ? route.namespace : undefined;
    const inView = (object: KubeObject | undefined): boolean =>
      !!object &&
      object.kind === resource.kind &&
      (namespace === undefined || object.metadata.namespace === namespace) &&
      matchesLabels(labels, object.metadata.labels) &&
      matchesFields(fields, object);
    this.#record(req, 200);
    res.writeHead(200, { ...JSON_TYPE, "transfer-encoding": "chunked" });
    this.#watches.add(res);
    const write = (type: string, object: unknown): void => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const deliver = (event: StoreEvent): void => {
      const now = inView(event.object);
      const before = inView(event.previous);
      if (event.type === "DELETED") {
        if (before) write("DELETED", event.object);
      } else if (now && (before || event.type === "ADDED")) write(event.type, event.object);
      else if (now) write("ADDED", event.object);
      else if (before) write("DELETED", event.object);
    };
    const unsubscribe = this.#cluster.store.subscribe(deliver);
    const timeoutSeconds = Number(query.get("timeoutSeconds") ?? 0);
    const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
    const stop = (): void => {
      unsubscribe();
      clearTimeout(timer);
      this.#watches.delete(res);
    };
    res.on("close", stop);
    res.on("finish", stop);
    const version = query.get("resourceVersion");
    if (!version || version === "0") {
      for (const object of this.#cluster.store.list(resource.kind, namespace))
        if (inView(object)) write("ADDED", object);
      return;
    }
    const events = this.#cluster.store.eventsSince(Number(version));
    if (events === "gone") {
      write("ERROR", {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `too old resource version: ${version} (${this.#cluster.store.resourceVersion})`,
        reason: "Expired",
        code: 410,
      });
      res.end();
      return;
    }
    for (const event of events) deliver(event);
  }

  #log(req: IncomingMessage, res: ServerResponse, pod: KubeObject, query: URLSearchParams): void {
    const containers = ((pod.spec as { containers?: Array<{ name: string }> }).containers ?? []).map(
      (c) => c.name,
    );
    const requested = query.get("container") ?? undefined;
    const name = pod.metadata.name;
    if (!requested && containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`,
      );
    }
    const container = requested ?? containers[0]!;
    if (!containers.includes(container))
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    const logs = this.#cluster.kubelet.logs(pod, container, query.get("previous") === "true");
    if (typeof logs === "string") throw badRequest(logs);
    let text = Buffer.concat(logs.chunks).toString("utf8");
    const tailLines = query.get("tailLines");
    if (tailLines !== null) {
      const lines = text.split("\n");
      const trailing = lines.at(-1) === "" ? lines.pop() : undefined;
      text =
        lines.slice(Math.max(lines.length - Number(tailLines), 0)).join("\n") +
        (trailing === "" && lines.length > 0 && Number(tailLines) > 0 ? "\n" : "");
    }
    const limitBytes = Number(query.get("limitBytes") ?? 0);
    if (limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString("utf8");
    this.#record(req, 200);
    res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
    res.write(text);
    if (query.get("follow") !== "true" || logs.ended) {
      res.end();
      return;
    }
    this.#streams.add(res);
    const follower = { data: (chunk: Buffer) => res.write(chunk), end: () => res.end() };
    logs.followers.add(follower);
    res.on("close", () => {
      logs.followers.delete(follower);
      this.#streams.delete(res);
    });
  }

  async #patch(req: IncomingMessage, res: ServerResponse, route: Route, body: string): Promise<void> {
    const { resource, namespace, name, subresource } = route;
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (contentType === "application/apply-patch+yaml") {
      const applied = parseYaml(body) as KubeObject;
      const existing = this.#cluster.store.get(
        resource.kind,
        resource.namespaced ? namespace : undefined,
        name!,
      );
      if (!existing) {
        this.#send(
          req,
          res,
          201,
          await this.#cluster.create(resource, namespace, {
            ...applied,
            metadata: { ...applied.metadata, name: name! },
          }),
        );
        return;
      }
      this.#send(
        req,
        res,
        200,
        this.#cluster.replace(
          resource,
          namespace,
          name!,
          strategicMergePatch(existing, applied) as KubeObject,
          subresource === "status",
        ),
      );
      return;
    }
    const existing = this.#cluster.get(resource, namespace, name!);
    const patch = parseJson(body);
    let patched: unknown;
    try {
      if (contentType === "application/json-patch+json") patched = jsonPatch(existing, patch);
      else if (contentType === "application/merge-patch+json") patched = mergePatch(existing, patch);
      else if (contentType === "application/strategic-merge-patch+json")
        patched = strategicMergePatch(existing, patch);
      else {
        throw new ApiError(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(422, "Invalid", `the patch could not be applied: ${(error as Error).message}`);
    }
    const result = patched as KubeObject;
    // A patch carries the stored resourceVersion along unless it sets one itself.
    this.#send(
      req,
      res,
      200,
      this.#cluster.replace(resource, namespace, name!, result, subresource === "status"),
    );
  }

  #delete(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    query: URLSearchParams,
    body: string,
  ): void {
    const options = (body.trim() ? parseJson(body) : {}) as {
      propagationPolicy?: string;
      gracePeriodSeconds?: number;
    };
    const grace = query.get("gracePeriodSeconds") ?? options.gracePeriodSeconds;
    const deleteOptions = {
      propagationPolicy: query.get("propagationPolicy") ?? options.propagationPolicy,
      gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    };
    const { resource, namespace, name } = route;
    if (name) {
      const { code, body: answer } = this.#cluster.delete(resource, namespace, name, deleteOptions);
      this.#send(req, res, code, answer);
      return;
    }
    const { labels, fields } = this.#selectors(query);
    const matching = this.#cluster.store
      .list(resource.kind, resource.namespaced ? namespace : undefined)
      .filter((object) => matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object));
    for (const object of matching)
      this.#cluster.delete(resource, object.metadata.namespace, object.metadata.name ?? "", deleteOptions);
    this.#send(req, res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(body: string): KubeObject {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed === null || typeof parsed !== "object") throw new Error("the body must be a JSON object");
    return parsed as KubeObject;
  } catch (error) {
    throw new ApiError(
      400,
      "BadRequest",
      `the request body could not be decoded: ${(error as Error).message}`,
    );
  }
}
