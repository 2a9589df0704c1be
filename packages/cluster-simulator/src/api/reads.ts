import http from 'node:http';
import { Clock } from '../clock';
import { serialise, wantsTable, withVersion } from './encoding';
import { sendJson } from './http';
import { ObjectStore, StoredEntry } from './ObjectStore';
import { groupVersion } from './resources';
import { ResourcePath } from './resourcePath';
import { matchesSelectors, requestSelectors } from './selectors';
import { Errors } from './status';
import { toTable } from './table';

/** What list and get read from. */
export interface ReadContext {
  store: ObjectStore;
  clock: Clock;
}

/** The stored entry a named request refers to, or NotFound. */
export function entryOrThrow(
  store: ObjectStore,
  target: ResourcePath,
): StoredEntry {
  const { resource, namespace, name } = target;
  const entry = store.getEntry(resource, namespace, name ?? '');
  if (!entry)
    throw Errors.notFound(resource.group, resource.plural, name ?? '');
  return entry;
}

/** One page of a list: `limit` entries after the `continue` token. */
function page(entries: StoredEntry[], url: URL) {
  const limit = Number(url.searchParams.get('limit') ?? 0);
  const cont = url.searchParams.get('continue');
  let items = entries;
  if (cont) {
    const after = Buffer.from(cont, 'base64').toString('utf8');
    items = items.filter(
      e =>
        `${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}` >
        after,
    );
  }
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1].object.metadata;
    continueToken = Buffer.from(
      `${last.namespace ?? ''}/${last.name}`,
    ).toString('base64');
  }
  return { items, continueToken, remaining };
}

export function handleList(
  ctx: ReadContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  target: ResourcePath,
) {
  const { store, clock } = ctx;
  const { resource, version } = target;
  const selectors = requestSelectors(url, resource.kind);
  const selected = store
    .list(resource, target.namespace)
    .filter(e => matchesSelectors(selectors, e.object));
  const rv = String(store.resourceVersion);
  const { items, continueToken, remaining } = page(selected, url);
  const apiVersion = groupVersion(resource.group, version);
  if (wantsTable(req)) {
    const table = toTable(
      resource,
      items.map(e => withVersion(e.object, apiVersion)),
      rv,
      clock.now(),
      url.searchParams.get('includeObject') ?? 'Metadata',
    );
    if (continueToken) {
      (table.metadata as Record<string, unknown>).continue = continueToken;
    }
    sendJson(res, 200, table);
    return;
  }
  const meta: Record<string, unknown> = { resourceVersion: rv };
  if (continueToken) {
    meta.continue = continueToken;
    meta.remainingItemCount = remaining;
  }
  const json = items
    .map(e => serialise(e.body, apiVersion, resource.kind))
    .join(',');
  sendJson(
    res,
    200,
    `{"kind":${JSON.stringify(resource.listKind)},"apiVersion":${JSON.stringify(
      apiVersion,
    )},"metadata":${JSON.stringify(meta)},"items":[${json}]}`,
  );
}

export function handleGet(
  ctx: ReadContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  const entry = entryOrThrow(ctx.store, target);
  const { resource, version } = target;
  const apiVersion = groupVersion(resource.group, version);
  if (wantsTable(req)) {
    sendJson(
      res,
      200,
      toTable(
        resource,
        [withVersion(entry.object, apiVersion)],
        String(entry.resourceVersion),
        ctx.clock.now(),
        'Metadata',
      ),
    );
    return;
  }
  sendJson(res, 200, serialise(entry.body, apiVersion, resource.kind));
}
