/** An in-cluster service that the API server's service proxy can reach. */
export interface ServiceTarget {
  namespace: string;
  service: string;
  /** The service port, as the proxy path names it (`<svc>:<port>`). */
  port: string;
  /** Path of the webhook URL, e.g. `/gate/check`. */
  path: string;
}

// RFC 1123 labels: what Kubernetes accepts as service and namespace names.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Reads a webhook URL from a Canary as a cluster-local service: `http(s)://<svc>.<ns>`,
 * `<svc>.<ns>.svc` or `<svc>.<ns>.svc.cluster.local`, optional port, no user info. Anything
 * else (another host, an IP address, another scheme) is refused with the reason, because the
 * URL comes from an object anyone with write access to the namespace can edit.
 */
export function parseServiceUrl(
  url: string,
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
  let labels = host.split('.');
  if (
    labels.length === 5 &&
    labels.slice(2).join('.') === 'svc.cluster.local'
  ) {
    labels = labels.slice(0, 2);
  } else if (labels.length === 3 && labels[2] === 'svc') {
    labels = labels.slice(0, 2);
  }
  if (
    labels.length !== 2 ||
    !labels.every(l => LABEL.test(l)) ||
    // 10.0.0.1 splits into four numeric labels, but a dotted quad of two parts is no service either.
    labels.every(l => /^\d+$/.test(l))
  ) {
    return {
      error: `host ${host} is not a cluster-local service (<service>.<namespace>[.svc[.cluster.local]])`,
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

/**
 * The loadtester endpoint that opens or closes the gate a `.../check` webhook asks, as
 * flagger-loadtester serves them: `/gate/check` -> `/gate/open|close`, `/rollback/check` ->
 * `/rollback/open|close` (a path prefix before them is kept).
 */
export function gateEndpoint(
  checkPath: string,
  verb: 'open' | 'close',
): string | undefined {
  // Plain segments only: nothing encoded and no dot segments that could climb out of the proxy.
  const match =
    /^((?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/(gate|rollback))\/check\/?$/.exec(
      checkPath,
    );
  return match ? `${match[1]}/${verb}` : undefined;
}
