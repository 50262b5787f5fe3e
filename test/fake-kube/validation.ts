// Checks the API server makes beyond the OpenAPI schema: DNS names, labels, pod templates.
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { KubeObject } from "./object.ts";
import { type ResourceType, schemaCauses } from "./resources.ts";
import { fromLabelSelectorObject, type LabelSelectorObject, matchesLabels } from "./selectors.ts";
import type { StatusCause } from "./status.ts";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const invalid = (field: string, value: unknown, why: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});
const required = (field: string, why = ""): StatusCause => ({
  reason: "FieldValueRequired",
  message: why ? `Required value: ${why}` : "Required value",
  field,
});

export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (!DNS1123_LABEL.test(value)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  }
  return undefined;
}

function nameProblem(rule: ResourceType["nameRule"], value: string): string | undefined {
  if (rule === "label") return dnsLabelProblem(value);
  if (rule === "rfc1035") {
    if (value.length > 63) return "must be no more than 63 characters";
    if (!RFC1035_LABEL.test(value)) {
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }
    return undefined;
  }
  if (value.length > 253) return "must be no more than 253 characters";
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}

function labelCauses(field: string, labels: unknown): StatusCause[] {
  if (labels === undefined || labels === null || typeof labels !== "object") return [];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    const name = key.includes("/") ? key.slice(key.indexOf("/") + 1) : key;
    if (name.length > 63 || !LABEL_NAME.test(name)) {
      causes.push(invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.'"));
    }
    if (typeof value === "string" && (value.length > 63 || !LABEL_VALUE.test(value))) {
      causes.push(
        invalid(
          `${field}`,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  return causes;
}

function containerCauses(field: string, container: IContainer, requireImage: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof container.name === "string") {
    const problem = dnsLabelProblem(container.name);
    if (problem) causes.push(invalid(`${field}.name`, container.name, problem));
  }
  if (requireImage && !container.image) causes.push(required(`${field}.image`));
  (container.ports ?? []).forEach((port, index) => {
    const portField = `${field}.ports[${index}]`;
    if (typeof port.containerPort === "number" && (port.containerPort < 1 || port.containerPort > 65535)) {
      causes.push(
        invalid(`${portField}.containerPort`, port.containerPort, "must be between 1 and 65535, inclusive"),
      );
    }
    if (
      port.name !== undefined &&
      (port.name.length > 15 || !PORT_NAME.test(port.name) || !/[a-z]/.test(port.name))
    ) {
      causes.push(
        invalid(
          `${portField}.name`,
          port.name,
          "must be no more than 15 characters, lower case alphanumerics or '-', with at least one letter",
        ),
      );
    }
  });
  return causes;
}

export function podSpecCauses(field: string, spec: IPodSpec | undefined): StatusCause[] {
  if (!spec || !Array.isArray(spec.containers)) return [];
  const causes: StatusCause[] = [];
  if (spec.containers.length === 0) causes.push(required(`${field}.containers`));
  const seen = new Set<string>();
  spec.containers.forEach((container, index) => {
    causes.push(...containerCauses(`${field}.containers[${index}]`, container, true));
    if (seen.has(container.name)) {
      causes.push({
        reason: "FieldValueDuplicate",
        message: `Duplicate value: "${container.name}"`,
        field: `${field}.containers[${index}].name`,
      });
    }
    seen.add(container.name);
  });
  const policies = ["Always", "OnFailure", "Never"];
  if (spec.restartPolicy !== undefined && !policies.includes(spec.restartPolicy)) {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: "${spec.restartPolicy}": supported values: "Always", "OnFailure", "Never"`,
      field: `${field}.restartPolicy`,
    });
  }
  return causes;
}

function templateSelectorCauses(object: KubeObject): StatusCause[] {
  const spec = object.spec as {
    selector?: LabelSelectorObject;
    template?: { metadata?: { labels?: Record<string, string> } };
  };
  if (!spec.selector) return [required("spec.selector")];
  const labels = spec.template?.metadata?.labels;
  if (!matchesLabels(fromLabelSelectorObject(spec.selector), labels)) {
    return [
      invalid("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"),
    ];
  }
  return [];
}

function kindCauses(resource: ResourceType, object: KubeObject): StatusCause[] {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  switch (resource.kind) {
    case "Pod":
      return podSpecCauses("spec", spec as unknown as IPodSpec);
    case "Deployment":
    case "ReplicaSet": {
      const template = spec.template as { spec?: IPodSpec; metadata?: { labels?: unknown } } | undefined;
      const causes = [
        ...templateSelectorCauses(object),
        ...podSpecCauses("spec.template.spec", template?.spec),
        ...labelCauses("spec.template.metadata.labels", template?.metadata?.labels),
      ];
      if (typeof spec.replicas === "number" && spec.replicas < 0) {
        causes.push(invalid("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
      }
      const policy = template?.spec?.restartPolicy;
      if (policy !== undefined && policy !== "Always") {
        causes.push({
          reason: "FieldValueNotSupported",
          message: `Unsupported value: "${policy}": supported values: "Always"`,
          field: "spec.template.spec.restartPolicy",
        });
      }
      return causes;
    }
    case "Job": {
      const template = spec.template as { spec?: IPodSpec } | undefined;
      const causes = podSpecCauses("spec.template.spec", template?.spec);
      const policy = template?.spec?.restartPolicy;
      if (policy !== "Never" && policy !== "OnFailure") {
        causes.push({
          reason: "FieldValueNotSupported",
          message: `Unsupported value: ${JSON.stringify(policy ?? "Always")}: supported values: "OnFailure", "Never"`,
          field: "spec.template.spec.restartPolicy",
        });
      }
      for (const field of ["parallelism", "completions", "backoffLimit"]) {
        const value = spec[field];
        if (typeof value === "number" && value < 0)
          causes.push(invalid(`spec.${field}`, value, "must be greater than or equal to 0"));
      }
      if (spec.completionMode === "Indexed" && typeof spec.completions !== "number") {
        causes.push(required("spec.completions", "when completion mode is Indexed"));
      }
      return causes;
    }
    case "Service": {
      const ports = (spec.ports ?? []) as Array<{ port?: number; name?: string }>;
      const causes: StatusCause[] = [];
      if (spec.clusterIP !== "None" && ports.length === 0) causes.push(required("spec.ports"));
      if (ports.length > 1 && ports.some((port) => !port.name))
        causes.push(required("spec.ports[0].name", "when there are multiple ports"));
      ports.forEach((port, index) => {
        if (typeof port.port === "number" && (port.port < 1 || port.port > 65535)) {
          causes.push(
            invalid(`spec.ports[${index}].port`, port.port, "must be between 1 and 65535, inclusive"),
          );
        }
      });
      if (
        typeof spec.clusterIP === "string" &&
        spec.clusterIP !== "None" &&
        spec.clusterIP !== "" &&
        !/^127\.1\.\d{1,3}\.\d{1,3}$/.test(spec.clusterIP)
      ) {
        causes.push(
          invalid(
            "spec.clusterIPs",
            spec.clusterIP,
            "failed to allocate IP: the provided IP is not in the valid range. The range of valid IPs is 127.1.0.0/16",
          ),
        );
      }
      return causes;
    }
    case "ConfigMap": {
      const causes: StatusCause[] = [];
      const data = (object.data ?? {}) as Record<string, unknown>;
      const binary = (object.binaryData ?? {}) as Record<string, unknown>;
      for (const key of [...Object.keys(data), ...Object.keys(binary)]) {
        if (!CONFIG_KEY.test(key))
          causes.push(
            invalid(
              `data[${key}]`,
              key,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            ),
          );
        if (Object.hasOwn(data, key) && Object.hasOwn(binary, key)) {
          causes.push(invalid(`data[${key}]`, key, "duplicate of key present in binaryData"));
        }
      }
      return causes;
    }
    default:
      return [];
  }
}

/** Every reason the API server would refuse this object; empty when it is valid. */
export function validateObject(resource: ResourceType, object: KubeObject): StatusCause[] {
  const causes = schemaCauses(resource, object);
  const name = object.metadata?.name;
  if (!name) causes.push(required("metadata.name", "name or generateName is required"));
  else {
    const problem = nameProblem(resource.nameRule, name);
    if (problem) causes.push(invalid("metadata.name", name, problem));
  }
  causes.push(...labelCauses("metadata.labels", object.metadata?.labels));
  if (causes.length > 0) return causes;
  return kindCauses(resource, object);
}
