// The resource types the fake serves, with their REST names and schema validation.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ReplicaSet } from "kubernetes-models/apps/v1/ReplicaSet";
import { SelfSubjectAccessReview } from "kubernetes-models/authorization.k8s.io/v1/SelfSubjectAccessReview";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Event } from "kubernetes-models/v1/Event";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Node } from "kubernetes-models/v1/Node";
import { Pod } from "kubernetes-models/v1/Pod";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Service } from "kubernetes-models/v1/Service";
import type { StatusCause } from "./status.ts";

export interface ResourceType {
  kind: string;
  plural: string;
  singular: string;
  group: string;
  version: string;
  namespaced: boolean;
  hasStatus: boolean;
  /** Which DNS rule the object name must follow. */
  nameRule: "subdomain" | "label" | "rfc1035";
  verbs: string[];
  schemaCheck: (body: unknown) => void;
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function type(
  model: new (data: never) => { validate(): void },
  kind: string,
  plural: string,
  group: string,
  options: Partial<Pick<ResourceType, "namespaced" | "hasStatus" | "nameRule" | "verbs">> = {},
): ResourceType {
  return {
    kind,
    plural,
    singular: kind.toLowerCase(),
    group,
    version: "v1",
    namespaced: options.namespaced ?? true,
    hasStatus: options.hasStatus ?? false,
    nameRule: options.nameRule ?? "subdomain",
    verbs: options.verbs ?? ALL_VERBS,
    schemaCheck: (body) => new model(body as never).validate(),
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  type(Namespace, "Namespace", "namespaces", "", { namespaced: false, hasStatus: true, nameRule: "label" }),
  type(ConfigMap, "ConfigMap", "configmaps", ""),
  type(Service, "Service", "services", "", { hasStatus: true, nameRule: "rfc1035" }),
  type(Pod, "Pod", "pods", "", { hasStatus: true }),
  type(Event, "Event", "events", ""),
  type(Node, "Node", "nodes", "", {
    namespaced: false,
    hasStatus: true,
    verbs: ["get", "list", "watch", "patch"],
  }),
  type(ResourceQuota, "ResourceQuota", "resourcequotas", "", { hasStatus: true }),
  type(Deployment, "Deployment", "deployments", "apps", { hasStatus: true }),
  type(ReplicaSet, "ReplicaSet", "replicasets", "apps", { hasStatus: true }),
  type(Job, "Job", "jobs", "batch", { hasStatus: true, nameRule: "label" }),
  type(NetworkPolicy, "NetworkPolicy", "networkpolicies", "networking.k8s.io"),
  type(
    SelfSubjectAccessReview,
    "SelfSubjectAccessReview",
    "selfsubjectaccessreviews",
    "authorization.k8s.io",
    {
      namespaced: false,
      verbs: ["create"],
    },
  ),
];

export function apiVersionOf(resource: ResourceType): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

export function qualifiedName(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export function resourceByPath(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Looks a resource up by kind, plural or singular name, case-insensitively. */
export function resourceByName(name: string): ResourceType | undefined {
  const wanted = name.toLowerCase();
  return RESOURCE_TYPES.find(
    (r) => r.kind.toLowerCase() === wanted || r.plural === wanted || r.singular === wanted,
  );
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((part) => part !== "")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

function valueAt(body: unknown, instancePath: string): unknown {
  let current = body;
  for (const part of instancePath.split("/").filter((p) => p !== "")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return current;
}

/** Schema errors from kubernetes-models, worded as the API server words field errors. */
export function schemaCauses(resource: ResourceType, body: unknown): StatusCause[] {
  try {
    resource.schemaCheck(body);
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!errors) return [{ reason: "FieldValueInvalid", message: String(error), field: "" }];
    return errors.map((e) => {
      if (e.keyword === "required") {
        const parent = fieldPath(e.instancePath);
        const missing = String(e.params.missingProperty);
        return {
          reason: "FieldValueRequired",
          message: "Required value",
          field: parent ? `${parent}.${missing}` : missing,
        };
      }
      const value = valueAt(body, e.instancePath);
      return {
        reason: e.keyword === "enum" ? "FieldValueNotSupported" : "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(value)}: ${e.message ?? e.keyword}`,
        field: fieldPath(e.instancePath),
      };
    });
  }
}
