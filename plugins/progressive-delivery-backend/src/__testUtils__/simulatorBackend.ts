import {
  AuditorService,
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  kubernetesConfig,
  Simulator,
  SimulatorOptions,
  startSimulator,
} from '@internal/cluster-simulator';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { progressiveDeliveryPlugin } from '../plugin';
import { DEMO_SIMULATOR } from './demoSimulator';
import { waitFor } from './waitFor';

export const PROD = 'prod-eu-1';
export const DEV = 'dev-eu-1';
export const CANARY = ['flagger.app/v1beta1', 'Canary'] as const;
export const DEPLOYMENT = ['apps/v1', 'Deployment'] as const;
export const API = '/api/progressive-delivery';
/** The pod-template annotation that sets a simulated workload's success rate. */
export const HEALTH_SUCCESS_RATE =
  'simulator.progressive-delivery.io/success-rate';

export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

export const ENTITIES = [
  component('podinfo', { 'backstage.io/kubernetes-id': 'podinfo' }),
  component('frontend', { 'backstage.io/kubernetes-id': 'frontend' }),
  component('checkout', { 'backstage.io/kubernetes-id': 'checkout' }),
  component('payments', { 'progressive-delivery/canary': 'tenant-b/payments' }),
];

/** The demo scenario over HTTP on a virtual clock that starts at the current time. */
export function startDemoSimulator(
  options: Pick<SimulatorOptions, 'tokens'> = {},
): Promise<Simulator> {
  return startSimulator({
    ...DEMO_SIMULATOR,
    startTime: Date.now(),
    ...options,
  });
}

/** The catalog over fixed entities, or over the entities a function returns at each call. */
function catalogFactory(entities: Entity[] | (() => Entity[])) {
  if (Array.isArray(entities)) {
    return catalogServiceMock.factory({ entities });
  }
  const methods = catalogServiceMock({ entities: [] }) as any;
  const live = new Proxy({} as CatalogService, {
    get: (_, method) =>
      typeof methods[method] === 'function'
        ? (...args: unknown[]) =>
            (catalogServiceMock({ entities: entities() }) as any)[method](
              ...args,
            )
        : undefined,
  });
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => live,
  });
}

/** Decides a permission request; allow all by default. */
export type PermissionRule = (
  permission: string,
  resourceRef: string,
) => boolean;

export interface SimulatorBackend {
  server: Server;
  stop(): Promise<void>;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
}

/**
 * Boots the plugin with `startTestBackend` against the simulator's clusters and waits until
 * every kind is listed. `allow` is read on every permission request, so tests can change it.
 */
export async function startSimulatorBackend(
  sim: Simulator,
  options: {
    allow?: { rule: PermissionRule };
    knex?: Knex;
    auditor?: ServiceMock<AuditorService>;
    /**
     * The catalog's entities; default {@link ENTITIES}. A function is asked on every catalog
     * call, so a test can add and remove entities while the backend runs.
     */
    entities?: Entity[] | (() => Entity[]);
    /**
     * The `kubernetes` section instead of one config locator with the simulator's clusters
     * (catalog, localKubectlProxy, other auth providers).
     */
    kubernetes?: JsonObject;
    /** The service account token of a cluster, if not the simulator's own. */
    tokenFor?: (cluster: string) => string | undefined;
    /** `progressiveDelivery.analysis` (default: the evaluator off, so tests send no queries). */
    analysis?: JsonObject;
    /** More of the `progressiveDelivery` section, e.g. `clusterCallTimeoutMs`, `actions`, `notifications` (off by default). */
    progressiveDelivery?: JsonObject;
    /** More features to start in the same backend (e.g. the MCP actions backend). */
    features?: BackendFeature[];
    /** More top-level configuration (e.g. `backend.actions`), next to the clusters'. */
    config?: JsonObject;
  } = {},
): Promise<SimulatorBackend> {
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result:
          !options.allow ||
          options.allow.rule(
            r.permission.name,
            'resourceRef' in r ? String(r.resourceRef) : '',
          )
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });
  const backend = await startTestBackend({
    features: [
      progressiveDeliveryPlugin,
      catalogFactory(options.entities ?? ENTITIES),
      permissions.factory,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.auditor ? [options.auditor.factory] : []),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          kubernetes:
            options.kubernetes ??
            kubernetesConfig(sim, { tokenFor: options.tokenFor }),
          progressiveDelivery: {
            backoff: { initialMs: 20, maxMs: 200 },
            analysis: options.analysis ?? { enabled: false },
            // No notifications backend here: tests that notify turn them on and provide one.
            notifications: { enabled: false },
            ...options.progressiveDelivery,
          },
        },
      }),
    ],
  });
  const server = backend.server;
  await waitFor(
    async () =>
      (
        await request(server).get(`${API}/v1/clusters`)
      ).body.items as any[],
    // Synced, or (with a restricted token) every kind at least tried.
    items =>
      items.every(c => (c.kinds as any[]).every(k => k.state !== 'pending')),
    { what: 'every kind to sync' },
  );
  return {
    server,
    stop: () => backend.stop(),
    get: path => request(server).get(`${API}${path}`),
    post: (path, body = {}) =>
      request(server)
        .post(`${API}${path}`)
        .set('Content-Type', 'application/json')
        .send(body),
  };
}

export const simCanary = (
  sim: Simulator,
  cluster: string,
  namespace: string,
  name: string,
) => sim.cluster(cluster).objects.get(...CANARY, namespace, name) as KubeObject;

export const phaseOf = (
  sim: Simulator,
  cluster: string,
  namespace: string,
  name: string,
) =>
  (simCanary(sim, cluster, namespace, name).status as { phase?: string })
    ?.phase ?? '';

/** Commits a new revision the way Flux applies one: a changed pod template. */
export function newRevision(
  sim: Simulator,
  cluster: string,
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
): void {
  sim.cluster(cluster).objects.patch(...DEPLOYMENT, namespace, name, {
    spec: {
      template: {
        metadata: {
          annotations: {
            'example.com/revision': String(Date.now() + Math.random()),
            ...annotations,
          },
        },
      },
    },
  });
}

/**
 * Advances the simulated clock a step at a time, at least once, until `done` holds (or fails
 * after `maxSteps`). At least once, because the phase a test waits for may be the one the
 * canary is still in from its previous rollout.
 */
export async function advanceUntil(
  sim: Simulator,
  done: () => boolean,
  options: { stepMs: number; maxSteps?: number; what: string },
): Promise<void> {
  for (let i = 0; i < (options.maxSteps ?? 60); i++) {
    await sim.clock.advance(options.stepMs);
    if (done()) {
      return;
    }
  }
  throw new Error(`simulated time ran out waiting for ${options.what}`);
}
