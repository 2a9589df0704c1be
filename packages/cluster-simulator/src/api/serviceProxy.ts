import http from 'node:http';
import { readBody } from './http';
import { ObjectStore } from './ObjectStore';
import { ResourcePath } from './resourcePath';
import { KubeObject } from '../types';
import { Errors } from './status';

/** What a request sent through the service proxy carries to the service. */
export interface ProxyRequest {
  method: string;
  /** The scheme the proxy path names (`https:<svc>:<port>`); empty for plain HTTP. */
  scheme?: '' | 'http' | 'https';
  /** Path after `/proxy`, decoded, without a trailing slash (`/` at least). */
  path: string;
  /** The same path as the client sent it (still percent-encoded, trailing slash kept). */
  rawPath?: string;
  /** The query string without `?` (empty when there is none). */
  query?: string;
  body: string;
  /** Request headers passed on to the service (lower-case names): `content-type`, `accept`. */
  headers?: Record<string, string>;
}

/** What answers requests sent through the service proxy. */
export interface ProxyResponse {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * A simulated in-cluster service that answers at once: the service proxy calls
 * it, and so do the simulated controllers (Flagger's webhooks).
 */
export type ServiceHandler = (request: ProxyRequest) => ProxyResponse;

/**
 * What the service proxy calls: a simulated service, or a forwarder to a real
 * upstream server (which answers later). Throwing an `ApiError` answers with
 * that `Status`, as the API server does when it cannot reach the service.
 */
export type ProxyHandler = (
  request: ProxyRequest,
) => ProxyResponse | Promise<ProxyResponse>;

/** A port of a Service (`spec.ports[]`). */
export interface ServicePort {
  name?: string;
  port: number;
}

/** What answers a Service's port, or undefined when nothing does (no endpoints). */
export type ProxyResolver = (
  namespace: string,
  service: string,
  port: ServicePort,
) => ProxyHandler | undefined;

/** Headers the proxy passes on to the service. */
const FORWARDED_HEADERS = ['content-type', 'accept'];

/**
 * `[scheme:]name[:port]` split as k8s.io/apimachinery pkg/util/net/port_split.go
 * `SplitSchemeNamePort` does (scheme `http`, `https` or none; a name), which
 * kube-apiserver's service `ResourceLocation` uses: else 400 `invalid service request`.
 */
function splitSchemeNamePort(id: string): {
  scheme: '' | 'http' | 'https';
  service: string;
  port: string;
} {
  const parts = id.split(':');
  const [scheme, service, port] =
    parts.length === 3 ? parts : ['', parts[0], parts[1] ?? ''];
  if (
    parts.length > 3 ||
    !service ||
    (scheme !== '' && scheme !== 'http' && scheme !== 'https')
  ) {
    throw Errors.badRequest(`invalid service request "${id}"`);
  }
  return { scheme, service, port };
}

/**
 * The Service port a proxy request names, as kubernetes/kubernetes
 * pkg/registry/core/service/storage/storage.go `ResourceLocation` picks it: a
 * port number must be one of the Service's ports (else 503 `no service port N
 * found`), then the endpoint port whose name matches (a name, or the unnamed
 * port when none is given) is used, else 503 `no endpoints available`.
 */
function servicePortOf(
  svc: KubeObject,
  id: string,
  service: string,
  port: string,
): ServicePort {
  const ports =
    (svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? [];
  if (/^\d+$/.test(port)) {
    const byNumber = ports.find(p => p.port === Number(port));
    if (!byNumber) {
      throw Errors.unavailable(
        `no service port ${port} found for service "${service}"`,
      );
    }
    return byNumber;
  }
  const byName = ports.find(p => (p.name ?? '') === port);
  if (!byName) {
    throw Errors.unavailable(`no endpoints available for service "${id}"`);
  }
  return byName;
}

/** The path after `/services/{id}/proxy` as the client sent it. */
function rawProxyPath(req: http.IncomingMessage): string {
  const pathname = new URL(req.url ?? '/', 'http://simulator').pathname;
  const match = /^.*?\/services\/[^/]+\/proxy(\/.*)?$/.exec(pathname);
  return match?.[1] || '/';
}

/**
 * `/api/v1/namespaces/{ns}/services/[scheme:]{name}[:port]/proxy/...` to a
 * simulated in-cluster service or a registered upstream server.
 */
export async function handleProxy(
  store: ObjectStore,
  proxy: ProxyResolver,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  if (target.resource.kind !== 'Service' || !target.namespace || !target.name) {
    throw Errors.pathNotFound();
  }
  const { scheme, service, port } = splitSchemeNamePort(target.name);
  const svc = store.get(target.resource, target.namespace, service);
  if (!svc) throw Errors.notFound('', 'services', service);
  const servicePort = servicePortOf(svc, target.name, service, port);
  const handler = proxy(target.namespace, service, servicePort);
  if (!handler) {
    throw Errors.unavailable(`no endpoints available for service "${service}"`);
  }
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const body = await readBody(req);
  const answer = await handler({
    method: req.method ?? 'GET',
    scheme,
    path: target.proxyPath ?? '/',
    rawPath: rawProxyPath(req),
    query: new URL(req.url ?? '/', 'http://simulator').search.replace(
      /^\?/,
      '',
    ),
    body,
    headers,
  });
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
