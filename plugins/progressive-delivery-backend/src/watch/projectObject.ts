import {
  isRecord,
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { compile } from './projectionShape';
import { EVENT, SHAPES } from './projectionShapes';

/*
 * What the plugin keeps of each watched object. The object store holds every object of every
 * cluster in memory, so each one is cut down to the fields some part of the plugin reads, as it
 * arrives: KubernetesClient.list projects every list page, ObjectStore.upsert and EventHistory
 * every watch event.
 *
 * IF YOU READ A NEW FIELD of a cached object (in a derivation of the common package, the
 * assembler, the resolver, the history recorder or an action), ADD IT TO ITS KIND'S SHAPE IN
 * projectionShapes.ts, naming the reader, or it will always read as undefined.
 *
 * A shape only narrows what it recognises: a field whose value is not the record or list the
 * shape expects (a malformed object) is kept as it is, so the derivations report the same
 * problem they would on the full object. Kinds without a shape keep everything but
 * `metadata.managedFields` and the last-applied-configuration annotation.
 */

const PROJECTORS = new Map(
  Object.entries(SHAPES).map(([kind, shape]) => [kind, compile(shape)]),
);
const projectEventRecord = compile(EVENT);

/** Marks what projectObject returned (a non-enumerable property, never in JSON). */
const PROJECTED = Symbol('projected');

const isProjected = (object: object) =>
  (object as Record<symbol, unknown>)[PROJECTED] === true;

const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

/** Kinds without a shape: everything but managed fields and the last-applied annotation. */
function stripObject(object: KubeObject): KubeObject {
  if (!isRecord(object.metadata)) {
    return { ...object };
  }
  const { managedFields: _managedFields, ...metadata } = object.metadata as {
    managedFields?: unknown;
  } & Record<string, unknown>;
  const annotations = metadata.annotations;
  if (isRecord(annotations) && LAST_APPLIED_ANNOTATION in annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...object, metadata } as KubeObject;
}

/**
 * Cuts an object down to what the plugin reads of its kind (see the shapes above). Never
 * throws; anything that is not an object is returned as it is. Projecting twice gives the same
 * object as projecting once.
 */
export function projectObject(object: KubeObject): KubeObject {
  if (!isRecord(object) || isProjected(object)) {
    return object;
  }
  const project =
    typeof object.kind === 'string' ? PROJECTORS.get(object.kind) : undefined;
  const result = project
    ? (project(object) as KubeObject)
    : stripObject(object);
  // Invisible to Object.keys, spreading and JSON: lets the store take a list page's objects as
  // they are instead of projecting them twice.
  Object.defineProperty(result, PROJECTED, { value: true });
  return result;
}

/** An event as the EventHistory keeps it, whatever `kind` it claims. */
export function projectEvent(event: KubeEvent): KubeEvent {
  return isRecord(event) && event.kind === 'Event' && isProjected(event)
    ? event
    : (projectEventRecord(event) as KubeEvent);
}
