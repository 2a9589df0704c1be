import http from 'node:http';
import https from 'node:https';
import { ProxyHandler, ProxyRequest, ProxyResponse } from './serviceProxy';
import { ApiError, Errors } from './status';

/** A real server standing in for a Service's endpoints. */
export interface Upstream {
  /** `http://host:port[/base/path]` (or https). */
  baseUrl: string;
  /** PEM CA to trust for an https upstream. */
  ca?: string;
}

/** Checks an upstream's base URL; a clear error names what is wrong. */
export function parseUpstreamUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`upstream base URL "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `upstream base URL "${baseUrl}" must be http: or https:, not ${url.protocol}`,
    );
  }
  if (url.search || url.hash) {
    throw new Error(
      `upstream base URL "${baseUrl}" must not carry a query or fragment`,
    );
  }
  return url;
}

/** `host:port` as Go's dialer prints it (IPv6 in brackets, default ports filled in). */
function dialAddress(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/**
 * The error kube-apiserver's proxy answers when it cannot reach the endpoint:
 * k8s.io/apimachinery pkg/util/proxy/transport.go (commit
 * eed236ceee2c19c2753a3d93ac0631dc20750454) `RoundTrip` returns
 * `errors.NewServiceUnavailable(fmt.Sprintf("error trying to reach service: %v", err))`,
 * with Go's dial errors (`dial tcp 10.0.0.5:9090: connect: connection refused`).
 */
export function unreachable(url: URL, err: NodeJS.ErrnoException): ApiError {
  const address = dialAddress(url);
  const reasons: Record<string, string> = {
    ECONNREFUSED: `dial tcp ${address}: connect: connection refused`,
    ECONNRESET: `read tcp ${address}: read: connection reset by peer`,
    EHOSTUNREACH: `dial tcp ${address}: connect: no route to host`,
    ETIMEDOUT: `dial tcp ${address}: i/o timeout`,
    ENOTFOUND: `dial tcp: lookup ${url.hostname}: no such host`,
  };
  const reason = (err.code && reasons[err.code]) || err.message;
  return Errors.unavailable(`error trying to reach service: ${reason}`);
}

/**
 * A service proxy handler that forwards to a real server, as the API server's
 * proxy forwards to a Service's endpoint: method, path after `/proxy` with the
 * query string, body, Content-Type and Accept; answers with the upstream's
 * status, Content-Type and body.
 */
export function forwardTo(upstream: Upstream): ProxyHandler {
  const base = parseUpstreamUrl(upstream.baseUrl);
  return request => send(base, upstream.ca, request);
}

function send(
  base: URL,
  ca: string | undefined,
  request: ProxyRequest,
): Promise<ProxyResponse> {
  if (request.scheme === 'https' && base.protocol === 'http:') {
    // Go's transport, speaking TLS to a plain-HTTP server.
    return Promise.reject(
      Errors.unavailable(
        'error trying to reach service: http: server gave HTTP response to HTTPS client',
      ),
    );
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = `${basePath}${request.rawPath ?? request.path}${
    request.query ? `?${request.query}` : ''
  }`;
  const body = Buffer.from(request.body, 'utf8');
  const headers: Record<string, string | number> = {
    ...(request.headers ?? {}),
  };
  if (body.length > 0 || !['GET', 'HEAD'].includes(request.method)) {
    headers['content-length'] = body.length;
  }
  const client = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || undefined,
        method: request.method,
        path,
        headers,
        ...(ca ? { ca } : {}),
        agent: false,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: res.headers['content-type'],
          }),
        );
        res.on('error', e => reject(unreachable(base, e)));
      },
    );
    req.on('error', e => reject(unreachable(base, e)));
    req.end(body);
  });
}
