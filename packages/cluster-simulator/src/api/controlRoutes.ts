import http from 'node:http';
import { AuditLog, WriteFilter } from './audit';
import { FaultInjector, RequestCounters } from './faults';
import { parseJson, readBody, sendJson } from './http';
import { Errors } from './status';

/** What the control routes read and switch. */
export interface ControlTargets {
  faults: FaultInjector;
  counters: RequestCounters;
  audit: AuditLog;
}

const WRITE_FILTER_KEYS: Array<keyof WriteFilter> = [
  'user',
  'verb',
  'group',
  'resource',
  'subresource',
  'namespace',
  'name',
  'method',
];

/**
 * `/_simulator/audit/writes` (GET, filtered by query parameters such as
 * `?user=...&verb=patch`) and `/_simulator/audit/reset` (POST).
 */
function serveAudit(
  audit: AuditLog,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): boolean {
  if (path === '/_simulator/audit/writes' && req.method === 'GET') {
    const query = new URL(req.url ?? '/', 'http://simulator').searchParams;
    const filter: Record<string, string> = {};
    for (const key of WRITE_FILTER_KEYS) {
      const value = query.get(key);
      if (value !== null) filter[key] = value;
    }
    sendJson(res, 200, { writes: audit.writes(filter as WriteFilter) });
    return true;
  }
  if (path === '/_simulator/audit/reset' && req.method === 'POST') {
    audit.clear();
    sendJson(res, 200, { writes: [] });
    return true;
  }
  return false;
}

/** `/_simulator/faults`, `/_simulator/counters`, `/_simulator/audit`: the simulator's own switches. */
export async function serveControl(
  { faults, counters, audit }: ControlTargets,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<void> {
  if (path === '/_simulator/faults') {
    if (req.method === 'POST' || req.method === 'PUT') {
      const body = (parseJson((await readBody(req)) || '{}') ?? {}) as Record<
        string,
        unknown
      >;
      if (body.reset) faults.reset();
      faults.set(body);
      if (body.dropWatches) faults.dropWatches();
      if (body.forceGone) faults.forceGone();
    }
    sendJson(res, 200, faults.snapshot());
    return;
  }
  if (path === '/_simulator/counters') {
    sendJson(res, 200, counters.snapshot());
    return;
  }
  if (path === '/_simulator/counters/reset' && req.method === 'POST') {
    counters.reset();
    sendJson(res, 200, counters.snapshot());
    return;
  }
  if (serveAudit(audit, req, res, path)) return;
  throw Errors.pathNotFound();
}
