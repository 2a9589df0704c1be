import http from 'node:http';
import {
  SERVER_VERSION,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import { sendJson } from './http';
import { ResourceRegistry } from './resources';
import { Errors } from './status';

/** Answers a discovery GET; false when `path` is not a discovery path. */
export function serveDiscovery(
  registry: ResourceRegistry,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): boolean {
  if (req.method !== 'GET') return false;
  const fixed: Record<string, () => unknown> = {
    '/version': () => SERVER_VERSION,
    '/api': () => apiVersions(req.headers.host ?? '127.0.0.1'),
    '/api/v1': () => apiResourceList(registry, '', 'v1'),
    '/apis': () => apiGroupList(registry),
  };
  if (fixed[path]) {
    sendJson(res, 200, fixed[path]());
    return true;
  }
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return false;
  if (!m[2]) {
    const doc = apiGroupDocument(registry, m[1]);
    if (!doc) throw Errors.pathNotFound();
    sendJson(res, 200, doc);
    return true;
  }
  if (registry.inGroupVersion(m[1], m[2]).length === 0) {
    throw Errors.pathNotFound();
  }
  sendJson(res, 200, apiResourceList(registry, m[1], m[2]));
  return true;
}
