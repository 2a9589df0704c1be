/*
 * In-cluster services as the API server's service proxy reaches them
 * (`/api/v1/namespaces/{ns}/services/[https:]{svc}:{port}/proxy/...`). Shared by the actions
 * (loadtester gates) and the analysis evaluator (Prometheus): a URL read from an object is only
 * ever called through the proxy, and only when it names a cluster-local service.
 */

/** An in-cluster service that the API server's service proxy can reach. */
export interface ServiceTarget {
  namespace: string;
  service: string;
  /** The service port, as the proxy path names it (`<svc>:<port>`). */
  port: string;
  /** Path of the URL, e.g. `/gate/check`. */
  path: string;
}

export interface ParseServiceUrlOptions {
  /**
   * The namespace a bare host (`http://prometheus:9090`) resolves in, as cluster DNS resolves it
   * for the pod that calls the URL. Without it a bare host is refused.
   */
  bareHostNamespace?: string;
}

// RFC 1123 labels: what Kubernetes accepts as service and namespace names.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The `<service>.<namespace>` labels of a cluster-local host, or undefined. */
function serviceLabels(
  host: string,
  options: ParseServiceUrlOptions,
): string[] | undefined {
  let labels = host.split('.');
  if (
    labels.length === 5 &&
    labels.slice(2).join('.') === 'svc.cluster.local'
  ) {
    labels = labels.slice(0, 2);
  } else if (labels.length === 3 && labels[2] === 'svc') {
    labels = labels.slice(0, 2);
  } else if (labels.length === 1 && options.bareHostNamespace) {
    labels = [labels[0], options.bareHostNamespace];
  }
  if (
    labels.length !== 2 ||
    !labels.every(l => LABEL.test(l)) ||
    // 10.0.0.1 splits into four numeric labels, but a dotted quad of two parts is no service either.
    labels.every(l => /^\d+$/.test(l))
  ) {
    return undefined;
  }
  return labels;
}

/**
 * Reads a URL from an object as a cluster-local service: `http(s)://<svc>.<ns>`,
 * `<svc>.<ns>.svc` or `<svc>.<ns>.svc.cluster.local` (and a bare `<svc>` when
 * `bareHostNamespace` is given), optional port, no user info. Anything else (another host, an
 * IP address, another scheme) is refused with the reason, because the URL comes from an object
 * anyone with write access to the namespace can edit.
 */
export function parseServiceUrl(
  url: string,
  options: ParseServiceUrlOptions = {},
): { target: ServiceTarget } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: 'it is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { error: `scheme ${parsed.protocol} is not http or https` };
  }
  if (parsed.username || parsed.password) {
    return { error: 'it carries user information' };
  }
  const host = parsed.hostname.toLowerCase();
  const labels = serviceLabels(host, options);
  if (!labels) {
    return {
      error: `host ${host} is not a cluster-local service (<service>.<namespace>[.svc[.cluster.local]]${
        options.bareHostNamespace ? ' or <service>' : ''
      })`,
    };
  }
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return {
    target: {
      service: labels[0],
      namespace: labels[1],
      // The proxy needs the scheme in the name for HTTPS services: `https:<svc>:<port>`.
      port: parsed.protocol === 'https:' ? `https:${port}` : port,
      path: parsed.pathname || '/',
    },
  };
}

/** The service proxy path of a target and a path on it. */
export function serviceProxyPath(target: ServiceTarget, path: string): string {
  const [scheme, port] = target.port.startsWith('https:')
    ? ['https:', target.port.slice('https:'.length)]
    : ['', target.port];
  return `/api/v1/namespaces/${encodeURIComponent(
    target.namespace,
  )}/services/${scheme}${encodeURIComponent(
    target.service,
  )}:${encodeURIComponent(port)}/proxy${path}`;
}
