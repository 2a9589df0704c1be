import http from 'node:http';
import { KubeObject } from '../types';
import { hasStatusSubresource } from './discovery';
import { withVersion } from './encoding';
import { parseJson, readBody, sendJson } from './http';
import { ObjectStore } from './ObjectStore';
import { applyJsonPatch, applyMergePatch } from './patch';
import { entryOrThrow } from './reads';
import { groupVersion } from './resources';
import { ResourcePath } from './resourcePath';
import { Errors } from './status';

/** create, update (PUT), patch and delete, with Kubernetes' checks and status handling. */

function respondObject(
  res: http.ServerResponse,
  code: number,
  obj: KubeObject,
  target: ResourcePath,
) {
  sendJson(
    res,
    code,
    withVersion(obj, groupVersion(target.resource.group, target.version)),
  );
}

/** The request's object, checked against the URL and given its kind, version and namespace. */
async function readObject(
  req: http.IncomingMessage,
  target: ResourcePath,
): Promise<KubeObject> {
  const obj = parseJson(await readBody(req)) as KubeObject;
  if (!obj || typeof obj !== 'object' || !obj.metadata) {
    throw Errors.badRequest('Object "metadata" is missing');
  }
  if (obj.kind && obj.kind !== target.resource.kind) {
    throw Errors.badRequest(
      `the kind of the body (${obj.kind}) does not match the resource (${target.resource.kind})`,
    );
  }
  obj.kind = target.resource.kind;
  obj.apiVersion = groupVersion(target.resource.group, target.version);
  if (target.namespace) {
    if (obj.metadata.namespace && obj.metadata.namespace !== target.namespace) {
      throw Errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = target.namespace;
  }
  return obj;
}

/** Keeps `status` from the stored object, or takes only `status` (status subresource). */
function mergeSubresource(
  current: KubeObject,
  next: KubeObject,
  target: ResourcePath,
): KubeObject {
  if (target.subresource === 'status') {
    const merged = structuredClone(current);
    if (next.status === undefined) delete merged.status;
    else merged.status = next.status;
    merged.metadata.resourceVersion = next.metadata.resourceVersion;
    return merged;
  }
  if (hasStatusSubresource(target.resource)) {
    const merged = { ...next };
    if (current.status === undefined) delete merged.status;
    else merged.status = current.status;
    return merged;
  }
  return next;
}

export async function handleCreate(
  store: ObjectStore,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  const obj = await readObject(req, target);
  if (target.resource.namespaced && !target.namespace) {
    throw Errors.pathNotFound();
  }
  if (target.resource.namespaced) {
    const ns = store.registry.forKind('v1', 'Namespace');
    if (!store.get(ns, undefined, target.namespace!)) {
      throw Errors.notFound('', 'namespaces', target.namespace!);
    }
  }
  respondObject(res, 201, store.create(obj), target);
}

export async function handleUpdate(
  store: ObjectStore,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  const obj = await readObject(req, target);
  if (obj.metadata.name !== target.name) {
    throw Errors.badRequest(
      'the name of the object does not match the name on the URL',
    );
  }
  const current = entryOrThrow(store, target).object;
  const next = mergeSubresource(current, obj, target);
  respondObject(
    res,
    200,
    store.update(next, obj.metadata.resourceVersion),
    target,
  );
}

function applyPatch(
  contentType: string,
  current: KubeObject,
  patch: unknown,
): KubeObject {
  switch (contentType) {
    case 'application/merge-patch+json':
    // Strategic merge is applied as a merge patch: lists are replaced whole.
    // eslint-disable-next-line no-fallthrough
    case 'application/strategic-merge-patch+json':
      return applyMergePatch(current, patch) as KubeObject;
    case 'application/json-patch+json':
      return applyJsonPatch(current, patch as never) as KubeObject;
    default:
      throw Errors.unsupportedMediaType(contentType);
  }
}

export async function handlePatch(
  store: ObjectStore,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
  const patch = parseJson(await readBody(req));
  const current = entryOrThrow(store, target).object;
  const patched = applyPatch(contentType, current, patch);
  if (!patched || typeof patched !== 'object' || !patched.metadata) {
    throw Errors.badRequest('patch removed the object metadata');
  }
  patched.apiVersion = current.apiVersion;
  patched.kind = current.kind;
  patched.metadata.name = current.metadata.name;
  const expectedRv =
    patched.metadata.resourceVersion !== current.metadata.resourceVersion
      ? patched.metadata.resourceVersion
      : undefined;
  const next = mergeSubresource(current, patched, target);
  next.metadata.resourceVersion = current.metadata.resourceVersion;
  if (expectedRv) {
    throw Errors.conflict(
      target.resource.group,
      target.resource.plural,
      current.metadata.name,
    );
  }
  respondObject(res, 200, store.update(next), target);
}

export function handleDelete(
  store: ObjectStore,
  res: http.ServerResponse,
  target: ResourcePath,
) {
  const { resource, namespace, name } = target;
  respondObject(
    res,
    200,
    store.delete(resource, namespace, name ?? ''),
    target,
  );
}
