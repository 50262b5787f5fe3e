// metav1.Status bodies and the error type the request handlers throw.

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export interface ResourceName {
  /** "deployments.apps", "pods" */
  qualified: string;
  plural: string;
  group: string;
}

export const notFound = (resource: ResourceName, name: string): ApiError =>
  new ApiError(404, "NotFound", `${resource.qualified} "${name}" not found`, {
    name,
    group: resource.group || undefined,
    kind: resource.plural,
  });

export const alreadyExists = (resource: ResourceName, name: string): ApiError =>
  new ApiError(409, "AlreadyExists", `${resource.qualified} "${name}" already exists`, {
    name,
    group: resource.group || undefined,
    kind: resource.plural,
  });

export const conflict = (resource: ResourceName, name: string): ApiError =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${resource.qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: resource.group || undefined, kind: resource.plural },
  );

export const badRequest = (message: string): ApiError => new ApiError(400, "BadRequest", message);

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ");
  return new ApiError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}
