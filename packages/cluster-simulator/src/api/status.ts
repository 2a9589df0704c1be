/** Kubernetes `Status` bodies, as the API server returns them for failures. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason?: string; message: string }>;
  };
  code: number;
}

/** An error that the API server turns into a `Status` response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: KubeStatus['details'],
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `canaries.flagger.app` or `pods` (core group). */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

/** The `details` of a Status about one object (`kind` is the plural, as the API server sends it). */
function objectDetails(
  group: string,
  kind: string,
  name: string | undefined,
): KubeStatus['details'] {
  return { name, group: group || undefined, kind };
}

export const Errors = {
  notFound(group: string, plural: string, name: string) {
    return new ApiError(
      404,
      'NotFound',
      `${qualifiedResource(group, plural)} "${name}" not found`,
      objectDetails(group, plural, name),
    );
  },
  alreadyExists(group: string, plural: string, name: string) {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualifiedResource(group, plural)} "${name}" already exists`,
      objectDetails(group, plural, name),
    );
  },
  conflict(group: string, plural: string, name: string) {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        group,
        plural,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      objectDetails(group, plural, name),
    );
  },
  badRequest(message: string) {
    return new ApiError(400, 'BadRequest', message);
  },
  invalid(group: string, kind: string, name: string, message: string) {
    return new ApiError(
      422,
      'Invalid',
      `${kind} "${name}" is invalid: ${message}`,
      objectDetails(group, kind, name),
    );
  },
  /**
   * The API server answers only `Unauthorized`; the simulator adds why
   * (expired, unknown token, OIDC check) as a cause, for test diagnostics.
   */
  unauthorized(why?: string) {
    return new ApiError(
      401,
      'Unauthorized',
      'Unauthorized',
      why ? { causes: [{ reason: 'Unauthorized', message: why }] } : undefined,
    );
  },
  forbidden(
    user: string,
    verb: string,
    group: string,
    plural: string,
    namespace: string | undefined,
    name?: string,
  ) {
    const what = name
      ? `${qualifiedResource(group, plural)} "${name}"`
      : qualifiedResource(group, plural);
    const scope = namespace
      ? ` in the namespace "${namespace}"`
      : ' at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${what} is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "${group}"${scope}`,
      objectDetails(group, plural, name),
    );
  },
  gone(requested: string, oldest: number) {
    return new ApiError(
      410,
      'Expired',
      `too old resource version: ${requested} (${oldest})`,
    );
  },
  methodNotAllowed(verb: string) {
    return new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${verb})`,
    );
  },
  unsupportedMediaType(contentType: string) {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`,
    );
  },
  internal(message: string) {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${message}`,
    );
  },
  unavailable(message: string) {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
  pathNotFound() {
    return new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  },
};
