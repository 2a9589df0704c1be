import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';
import express from 'express';
import { DeliveryActions } from '../actions/DeliveryActions';
import { RolloutHistoryService } from '../history/RolloutHistoryService';
import { EndpointMap } from '../schema/endpoints';
import { spec } from '../schema/openapi.generated';
import { DeliveryStateService } from './DeliveryStateService';
import { EntityUpdateHub } from './EntityUpdateHub';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_SUMMARY_DAYS = 30;

/**
 * The plugin's HTTP API. The OpenAPI spec validates input (malformed references are 400); the
 * handlers check permission and delegate.
 */
export async function createRouter(options: {
  service: DeliveryStateService;
  hub: EntityUpdateHub;
  actions: DeliveryActions;
  history: RolloutHistoryService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { service, hub, actions, history, httpAuth } = options;
  const router =
    createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(spec);

  const readableEntity = (
    credentials: BackstageCredentials,
    ref: { kind: string; namespace: string; name: string },
  ) => service.readableEntity(ref, credentials);

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const entity = await readableEntity(
      await httpAuth.credentials(req),
      req.params,
    );
    res.json(service.stateOf(entity));
  });

  router.get('/v1/entities/:kind/:namespace/:name/events', async (req, res) => {
    const entity = await readableEntity(
      await httpAuth.credentials(req),
      req.params,
    );
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
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const entity = await readableEntity(
        await httpAuth.credentials(req),
        req.params,
      );
      res.json(
        await history.history(entity, {
          limit: Number(req.query.limit ?? DEFAULT_PAGE_SIZE),
          cursor: req.query.cursor,
        }),
      );
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/history/summary',
    async (req, res) => {
      const entity = await readableEntity(
        await httpAuth.credentials(req),
        req.params,
      );
      res.json(
        await history.summary(
          entity,
          Number(req.query.days ?? DEFAULT_SUMMARY_DAYS),
        ),
      );
    },
  );

  router.post(
    '/v1/clusters/:cluster/namespaces/:namespace/canaries/:name/:action',
    async (req, res) => {
      res.json(
        await actions.run(
          req,
          { ...req.params, kind: 'canaries' },
          req.body ?? {},
        ),
      );
    },
  );

  router.post(
    '/v1/clusters/:cluster/namespaces/:namespace/:kind/:name/:action',
    async (req, res) => {
      res.json(await actions.run(req, req.params, req.body ?? {}));
    },
  );

  router.get('/v1/canaries', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const items = await service.listCanaries(req.query, credentials);
    res.json({ items });
  });

  router.get('/v1/clusters', async (_req, res) => {
    res.json({ items: service.clusterStatus() });
  });

  return router;
}
