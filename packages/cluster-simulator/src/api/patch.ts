/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the API server applies them. */

export class PatchError extends Error {}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer: ${pointer}`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(
  doc: unknown,
  tokens: string[],
  pointer: string,
): { parent: Record<string, unknown> | unknown[]; key: string } {
  let current: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) {
      current = current[Number(token)];
    } else if (isPlainObject(current)) {
      current = current[token];
    } else {
      current = undefined;
    }
    if (current === undefined) {
      throw new PatchError(`doc is missing path: "${pointer}"`);
    }
  }
  if (!Array.isArray(current) && !isPlainObject(current)) {
    throw new PatchError(`doc is missing path: "${pointer}"`);
  }
  return { parent: current, key: tokens[tokens.length - 1] };
}

function arrayIndex(
  arr: unknown[],
  key: string,
  forAdd: boolean,
  pointer: string,
) {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  const max = forAdd ? arr.length : arr.length - 1;
  if (!/^\d+$/.test(key) || i > max) {
    throw new PatchError(`index out of range: "${pointer}"`);
  }
  return i;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(parent, key, false, pointer)]
    : parent[key];
  if (value === undefined) {
    throw new PatchError(`doc is missing key: "${pointer}"`);
  }
  return value;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0];
  }
  if (!(key in parent)) {
    throw new PatchError(`unable to remove nonexistent key: ${key}`);
  }
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  } else {
    parent[key] = value;
  }
  return doc;
}

/** RFC 6902 on a copy of `target`. */
export function applyJsonPatch(
  target: unknown,
  operations: JsonPatchOperation[],
): unknown {
  if (!Array.isArray(operations)) {
    throw new PatchError('json patch must be an array of operations');
  }
  let doc = structuredClone(target);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'replace':
        getAt(doc, op.path);
        if (op.path === '') {
          doc = structuredClone(op.value);
        } else {
          removeAt(doc, op.path);
          doc = addAt(doc, op.path, structuredClone(op.value));
        }
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '');
        doc = addAt(doc, op.path, value);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`testing value ${op.path} failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${(op as { op: string }).op}`);
    }
  }
  return doc;
}
