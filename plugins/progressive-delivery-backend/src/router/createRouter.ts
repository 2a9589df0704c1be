import { ApiRouter } from '@backstage/backend-openapi-utils';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import express from 'express';
import { HEADER_KUBERNETES_AUTH } from '../clusters/kubernetesBackendModules';
import { userClusterTokenOf } from '../actions/ClusterActionClient';
import { DeliveryActions } from '../actions/DeliveryActions';
import { RolloutHistoryService } from '../history/RolloutHistoryService';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { DeliveryStateService } from '../state/DeliveryStateService';
import { EntityUpdateHub } from '../state/EntityUpdateHub';
import {
  sendEntityState,
  streamEntityState,
  streamHolder,
} from './eventStream';
import { entityViewShortcut, EntityViewAnswer } from './entityViewShortcut';
import { allowedMethods, jsonBody } from './httpSemantics';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_SUMMARY_DAYS = 30;

/** The entity the path names, if the caller may read its delivery state. */
type ReadableEntity = (
  req: Parameters<HttpAuthService['credentials']>[0],
  ref: CompoundEntityRef,
) => Promise<Entity>;

/** The rollout history of an entity: its rollouts, their summary and their measured checks. */
/** The user's own cluster token from the Kubernetes plugin's header, for user-delegated clusters. */
function userClusterToken(req: express.Request): string | undefined {
  return userClusterTokenOf(req.header(HEADER_KUBERNETES_AUTH));
}

function addHistoryRoutes(
  router: ApiRouter<typeof spec>,
  history: RolloutHistoryService,
  readableEntity: ReadableEntity,
): void {
  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const entity = await readableEntity(req, req.params);
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
      const entity = await readableEntity(req, req.params);
      const days = Number(req.query.days ?? DEFAULT_SUMMARY_DAYS);
      res.json(await history.summary(entity, days));
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/history/:rolloutId/analysis',
    async (req, res) => {
      const { kind, namespace, name, rolloutId } = req.params;
      const entity = await readableEntity(req, { kind, namespace, name });
      res.json(await history.analysis(entity, rolloutId));
    },
  );
}

/**
 * The plugin's HTTP API. The OpenAPI spec validates input (malformed references are 400) and
 * types each route's parameters and answer; the handlers check permission and delegate.
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
  // Its own JSON parser finds the body already read (see jsonBody) and passes.
  const router = await createOpenApiRouter();

  /** The entity the path names, if the caller may read its delivery state. */
  const readableEntity: ReadableEntity = async (req, ref) =>
    service.readableEntity(ref, await httpAuth.credentials(req));

  const answerEntityView: EntityViewAnswer = async (req, res, ref) =>
    sendEntityState(req, res, service.viewOf(await readableEntity(req, ref)));
  router.get('/v1/entities/:kind/:namespace/:name', (req, res) =>
    answerEntityView(req, res, req.params),
  );

  router.get('/v1/entities/:kind/:namespace/:name/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await service.readableEntity(req.params, credentials);
    streamEntityState(req, res, hub, entity, streamHolder(credentials));
  });

  addHistoryRoutes(router, history, readableEntity);

  router.post(
    '/v1/clusters/:cluster/namespaces/:namespace/canaries/:name/:action',
    async (req, res) => {
      const target = { ...req.params, kind: 'canaries' as const };
      res.json(
        await actions.run(req, target, req.body ?? {}, userClusterToken(req)),
      );
    },
  );

  router.post(
    '/v1/clusters/:cluster/namespaces/:namespace/:kind/:name/:action',
    async (req, res) => {
      res.json(
        await actions.run(
          req,
          req.params,
          req.body ?? {},
          userClusterToken(req),
        ),
      );
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

  // HTTP as HTTP means it: 405 with Allow for a known path's other methods, 413 for a body
  // over the limit; both before the OpenAPI router, which would answer 404 and 400.
  const outer = express.Router();
  outer.use(
    allowedMethods({
      paths: { ...spec.paths, '/openapi.json': { get: {} } },
    }),
  );
  outer.use(jsonBody());
  outer.use(entityViewShortcut(answerEntityView));
  outer.use(router);
  return outer;
}
