// The containers and init containers of two pod specs, matched by name.
import { ObjectProblem } from '../../api';
import { ContainerChange, ResourceChange } from '../../apiWhatChanged';
import { UnknownRecord, asArray, asRecord, asString } from '../read';
import { envChanges, envFromChanges } from './env';
import { quantityText, sameQuantity } from './quantity';
import { recordChanges } from './values';

const COMPARED_ELSEWHERE = new Set([
  'name',
  'image',
  'env',
  'envFrom',
  'resources',
]);
const PRIMARY_SPEC = 'primary.spec.template.spec';
const TARGET_SPEC = 'target.spec.template.spec';

function resourceChanges(
  from: UnknownRecord,
  to: UnknownRecord,
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const type of ['requests', 'limits'] as const) {
    const before = asRecord(asRecord(from.resources)?.[type]) ?? {};
    const after = asRecord(asRecord(to.resources)?.[type]) ?? {};
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const resource of names.sort()) {
      const old = quantityText(before[resource]);
      const now = quantityText(after[resource]);
      if (old === undefined && now !== undefined) {
        changes.push({ type, resource, change: 'added', to: now });
      } else if (now === undefined && old !== undefined) {
        changes.push({ type, resource, change: 'removed', from: old });
      } else if (
        old !== undefined &&
        now !== undefined &&
        !sameQuantity(old, now)
      ) {
        changes.push({ type, resource, change: 'changed', from: old, to: now });
      }
    }
  }
  return changes;
}

function image(container: UnknownRecord): string | undefined {
  return asString(container.image);
}

function changedContainer(
  name: string,
  init: boolean,
  from: UnknownRecord,
  to: UnknownRecord,
): ContainerChange | undefined {
  const change: ContainerChange = {
    name,
    init,
    change: 'changed',
    ...(image(from) !== image(to)
      ? { image: { from: image(from), to: image(to) } }
      : {}),
    env: envChanges(from, to),
    envFrom: envFromChanges(from, to),
    resources: resourceChanges(from, to),
    fields: recordChanges(
      from,
      to,
      key => key,
      key => COMPARED_ELSEWHERE.has(key),
    ),
  };
  const changed =
    change.image !== undefined ||
    change.env.length + change.envFrom.length > 0 ||
    change.resources.length + change.fields.length > 0;
  return changed ? change : undefined;
}

function addedOrRemoved(
  name: string,
  init: boolean,
  change: 'added' | 'removed',
  container: UnknownRecord,
): ContainerChange {
  const img = image(container);
  return {
    name,
    init,
    change,
    ...(img ? { image: change === 'added' ? { to: img } : { from: img } } : {}),
    env: [],
    envFrom: [],
    resources: [],
    fields: [],
  };
}

/** name -> container of `spec[list]`; an unnamed one is `list[i]`, with a problem. */
function byName(
  spec: UnknownRecord,
  list: string,
  side: string,
  problems: ObjectProblem[],
): Map<string, UnknownRecord> {
  const map = new Map<string, UnknownRecord>();
  (asArray(spec[list]) ?? []).forEach((entry, i) => {
    const container = asRecord(entry);
    if (!container) {
      problems.push({
        field: `${side}.${list}[${i}]`,
        message: 'not an object',
      });
      return;
    }
    let name = asString(container.name);
    if (!name) {
      name = `${list}[${i}]`;
      problems.push({
        field: `${side}.${list}[${i}].name`,
        message: 'the container has no name',
      });
    }
    map.set(name, container);
  });
  return map;
}

/**
 * The changed, added and removed containers between the primary's (promoted) and the target's
 * pod spec: containers first (target order, then removed ones), then init containers.
 */
export function containerChanges(
  primarySpec: UnknownRecord,
  targetSpec: UnknownRecord,
  problems: ObjectProblem[],
): ContainerChange[] {
  const changes: ContainerChange[] = [];
  for (const list of ['containers', 'initContainers']) {
    const init = list === 'initContainers';
    const before = byName(primarySpec, list, PRIMARY_SPEC, problems);
    const after = byName(targetSpec, list, TARGET_SPEC, problems);
    for (const [name, container] of after) {
      const old = before.get(name);
      const change = old
        ? changedContainer(name, init, old, container)
        : addedOrRemoved(name, init, 'added', container);
      if (change) {
        changes.push(change);
      }
    }
    for (const [name, container] of before) {
      if (!after.has(name)) {
        changes.push(addedOrRemoved(name, init, 'removed', container));
      }
    }
  }
  return changes;
}
