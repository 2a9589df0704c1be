import { KubeObject } from '../types';
import { PrinterColumn, ResourceType } from './resources';
import { humanAge } from '../util/time';

/**
 * Server-side printing (`Accept: application/json;as=Table`), which kubectl
 * asks for: CRDs get their `additionalPrinterColumns`, built-in kinds a few
 * columns like kubectl's own printers.
 */

/**
 * Evaluates the JSONPath subset CRDs use: `.a.b`, `[0]`, `[*]`,
 * `[?(@.type=="Ready")]`. After `[*]` the rest applies to each element; several
 * results print comma-separated (Gateway's `.status.addresses[*].value`).
 */
export function evaluateJsonPath(obj: unknown, jsonPath: string): unknown {
  const tokens =
    jsonPath.match(/\.[^.[\]]+|\[\?\(@\.[^)]*\)\]|\[\d+\]|\[\*\]/g) ?? [];
  let current: unknown = obj;
  for (const [i, token] of tokens.entries()) {
    if (current === undefined || current === null) return undefined;
    if (token === '[*]') {
      if (!Array.isArray(current)) return undefined;
      const rest = tokens.slice(i + 1).join('');
      const values = current
        .map(item => (rest ? evaluateJsonPath(item, rest) : item))
        .filter(v => v !== undefined && v !== null);
      if (values.length === 0) return undefined;
      return values.length === 1 ? values[0] : values.join(',');
    }
    if (token.startsWith('[?(')) {
      const m = /^\[\?\(@\.([\w.]+)\s*==\s*["']([^"']*)["']\)\]$/.exec(token);
      if (!m || !Array.isArray(current)) return undefined;
      const [, field, value] = m;
      current = current.find(
        item => String(evaluateJsonPath(item, `.${field}`)) === value,
      );
    } else if (token.startsWith('[')) {
      current = Array.isArray(current)
        ? current[Number(token.slice(1, -1))]
        : undefined;
    } else {
      current = (current as Record<string, unknown>)[token.slice(1)];
    }
  }
  return current;
}

type Column = PrinterColumn & {
  cell?: (obj: KubeObject, now: number) => unknown;
};

const ageColumn: Column = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};

function readyCount(obj: KubeObject): string {
  const status = (obj.status ?? {}) as Record<string, number | undefined>;
  const spec = (obj.spec ?? {}) as Record<string, number | undefined>;
  return `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`;
}

const BUILTIN_COLUMNS: Record<string, Column[]> = {
  Deployment: [
    { name: 'Ready', type: 'string', jsonPath: '', cell: readyCount },
    {
      name: 'Up-to-date',
      type: 'integer',
      jsonPath: '.status.updatedReplicas',
    },
    {
      name: 'Available',
      type: 'integer',
      jsonPath: '.status.availableReplicas',
    },
  ],
  Pod: [
    {
      name: 'Ready',
      type: 'string',
      jsonPath: '',
      cell: obj => {
        const statuses =
          ((obj.status as Record<string, unknown> | undefined)
            ?.containerStatuses as Array<{ ready?: boolean }>) ?? [];
        return `${statuses.filter(s => s.ready).length}/${statuses.length}`;
      },
    },
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    {
      name: 'Restarts',
      type: 'integer',
      jsonPath: '.status.containerStatuses[0].restartCount',
    },
  ],
  Service: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type' },
    { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
  ],
  Event: [
    { name: 'Type', type: 'string', jsonPath: '.type' },
    { name: 'Reason', type: 'string', jsonPath: '.reason' },
    {
      name: 'Object',
      type: 'string',
      jsonPath: '',
      cell: obj => {
        const io = (obj.involvedObject ?? {}) as Record<string, string>;
        return `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`;
      },
    },
    { name: 'Message', type: 'string', jsonPath: '.message' },
  ],
};

function columnsFor(resource: ResourceType): Column[] {
  const columns: Column[] = resource.crd
    ? resource.printerColumns
    : BUILTIN_COLUMNS[resource.kind] ?? [];
  return columns.some(c => c.name === 'Age')
    ? columns
    : [...columns, ageColumn];
}

function renderCell(column: Column, obj: KubeObject, now: number): unknown {
  const value = column.cell
    ? column.cell(obj, now)
    : evaluateJsonPath(obj, column.jsonPath);
  if (value === undefined || value === null) {
    return column.type === 'integer' || column.type === 'number' ? 0 : '<none>';
  }
  if (column.type === 'date') return humanAge(String(value), now);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function rowObject(obj: KubeObject, includeObject: string) {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return obj;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

export function toTable(
  resource: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now: number,
  includeObject: string,
) {
  const columns = columnsFor(resource);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      ...columns.map(c => ({
        name: c.name,
        type: c.type === 'date' ? 'string' : c.type,
        format: '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    rows: objects.map(obj => ({
      cells: [obj.metadata.name, ...columns.map(c => renderCell(c, obj, now))],
      object: rowObject(obj, includeObject),
    })),
  };
}
