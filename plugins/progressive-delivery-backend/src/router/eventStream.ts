import { Entity } from '@backstage/catalog-model';
import express from 'express';
import { EntityUpdateHub } from '../state/EntityUpdateHub';

/**
 * Answers with a server-sent event stream of the entity's delivery state: the state at once,
 * then each change, with heartbeat comments between.
 */
export function streamEntityState(
  req: express.Request,
  res: express.Response,
  hub: EntityUpdateHub,
  entity: Entity,
): void {
  res.status(200);
  // no-transform keeps the compression middleware from buffering the stream.
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const write = (chunk: string) => {
    res.write(chunk);
    (res as unknown as { flush?: () => void }).flush?.();
  };
  const close = hub.open({
    entity,
    send: state => write(`event: state\ndata: ${JSON.stringify(state)}\n\n`),
    heartbeat: () => write(': heartbeat\n\n'),
  });
  req.on('close', close);
}
