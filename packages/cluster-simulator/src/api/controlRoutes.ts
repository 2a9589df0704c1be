import http from 'node:http';
import { FaultInjector, RequestCounters } from './faults';
import { parseJson, readBody, sendJson } from './http';
import { Errors } from './status';

/** `/_simulator/faults` and `/_simulator/counters`: the simulator's own switches. */
export async function serveControl(
  faults: FaultInjector,
  counters: RequestCounters,
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
  throw Errors.pathNotFound();
}
