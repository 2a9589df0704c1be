import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import { EntityUpdateHub } from '../state/EntityUpdateHub';
import { BodyEncoding, StateView } from '../state/StateView';
import { STREAM_RETRY_AFTER_S } from '../state/StreamLimits';

/** Who holds a stream, for the per-entity, per-user cap: the user, else the service. */
export function streamHolder(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service') {
    return `service:${principal.subject}`;
  }
  return principal.type ?? 'none';
}

/**
 * How the entity view travels to this client: gzip when it asks for it (browsers do), else as
 * it is. A request without `Accept-Encoding` gets identity, as compression middleware does.
 */
export function bodyEncodingFor(req: express.Request): BodyEncoding {
  if (!req.headers['accept-encoding']) {
    return 'identity';
  }
  return req.acceptsEncodings('gzip', 'identity') === 'gzip'
    ? 'gzip'
    : 'identity';
}

/**
 * Answers with the entity's state: the body serialised and compressed once per version of the
 * state and shared by every request, sent compressed to clients that take gzip (the backend's
 * compression middleware leaves an encoded body alone); the ETag of that encoding lets a client
 * that has it get 304.
 */
export function sendEntityState(
  req: express.Request,
  res: express.Response,
  view: StateView,
): void {
  const encoding = bodyEncodingFor(req);
  res.status(200);
  res.set({
    'Content-Type': 'application/json; charset=utf-8',
    ETag: view.etag(encoding),
    Vary: 'Accept-Encoding',
  });
  if (encoding === 'gzip') {
    res.set('Content-Encoding', 'gzip');
  }
  // 304 when If-None-Match names the ETag, before the body is inflated.
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  // The bytes as they are (res.send would look at them again for type, ETag and freshness);
  // Node's response leaves the body out of an answer to HEAD.
  const body = encoding === 'gzip' ? view.gzipped : view.body();
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * Answers with a server-sent event stream of the entity's delivery state: the state at once,
 * then each change, with heartbeat comments between. A stream beyond the caps is refused
 * before anything is written (429 or 503, with Retry-After).
 */
export function streamEntityState(
  req: express.Request,
  res: express.Response,
  hub: EntityUpdateHub,
  entity: Entity,
  holder: string,
): void {
  const write = (chunk: Buffer | string) => {
    res.write(chunk);
    (res as unknown as { flush?: () => void }).flush?.();
  };
  let started = false;
  const start = () => {
    if (started) {
      return;
    }
    started = true;
    res.status(200);
    // no-transform keeps the compression middleware from buffering the stream.
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
  };
  let close: () => void;
  try {
    close = hub.open({
      entity,
      holder,
      write: frame => {
        start();
        write(frame);
      },
      heartbeat: () => write(': heartbeat\n\n'),
    });
  } catch (error) {
    res.set('Retry-After', String(STREAM_RETRY_AFTER_S));
    throw error;
  }
  start();
  req.on('close', close);
}
