import http from 'node:http';
import { readBody } from './http';
import { ObjectStore } from './ObjectStore';
import { ResourcePath } from './resourcePath';
import { Errors } from './status';

/** What answers requests sent through the service proxy. */
export interface ProxyResponse {
  status: number;
  body: string;
  contentType?: string;
}
export type ProxyHandler = (request: {
  method: string;
  path: string;
  body: string;
}) => ProxyResponse;
export type ProxyResolver = (
  namespace: string,
  service: string,
  port: string | undefined,
) => ProxyHandler | undefined;

/** `/api/v1/namespaces/{ns}/services/[scheme:]{name}[:port]/proxy/...` to a simulated in-cluster service. */
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
  const parts = target.name.split(':');
  const [service, port] =
    parts.length === 3 ? [parts[1], parts[2]] : [parts[0], parts[1]];
  const svcEntry = store.getEntry(target.resource, target.namespace, service);
  if (!svcEntry) throw Errors.notFound('', 'services', service);
  const handler = proxy(target.namespace, service, port);
  if (!handler) {
    throw Errors.unavailable(`no endpoints available for service "${service}"`);
  }
  const body = await readBody(req);
  const answer = handler({
    method: req.method ?? 'GET',
    path: target.proxyPath ?? '/',
    body,
  });
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
