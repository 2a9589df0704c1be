import { ResourceRegistry, ResourceType } from './resources';

/** What a resource URL names. */
export interface ResourcePath {
  resource: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Path after `/proxy` for service proxy requests. */
  proxyPath?: string;
  legacyWatch: boolean;
}

/**
 * Parses `/api/{version}/...` and `/apis/{group}/{version}/...` (with the
 * legacy `/watch/` prefix); undefined when no served resource matches.
 */
export function parseResourcePath(
  registry: ResourceRegistry,
  path: string,
): ResourcePath | undefined {
  const parts = path.split('/').slice(1).map(decodeURIComponent);
  let group: string;
  let version: string;
  let segs: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    segs = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    segs = parts.slice(3);
  } else {
    return undefined;
  }
  const legacyWatch = segs[0] === 'watch';
  if (legacyWatch) segs = segs.slice(1);
  let namespace: string | undefined;
  let rest = segs;
  if (
    segs[0] === 'namespaces' &&
    segs.length >= 3 &&
    !(segs.length === 3 && ['status', 'finalize'].includes(segs[2]))
  ) {
    namespace = segs[1];
    rest = segs.slice(2);
  }
  const [plural, name, subresource, ...tail] = rest;
  const resource = registry.find(group, version, plural);
  if (!resource) return undefined;
  if (resource.namespaced === false && namespace) return undefined;
  return {
    resource,
    version,
    namespace,
    name,
    subresource,
    proxyPath: subresource === 'proxy' ? `/${tail.join('/')}` : undefined,
    legacyWatch,
  };
}

/** The RBAC verb of a request. */
export function verbOf(method: string, target: ResourcePath, url: URL): string {
  const watch =
    target.legacyWatch ||
    ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return target.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return target.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
