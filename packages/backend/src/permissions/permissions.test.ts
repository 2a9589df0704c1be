import { AuditorService } from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
} from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import progressiveDeliveryPlugin from '@progressive-delivery/plugin-progressive-delivery-backend';
import {
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  kubernetesConfig,
  Simulator,
  startSimulator,
} from '@internal/cluster-simulator';
import { Server } from 'node:http';
import { resolve } from 'node:path';
import request from 'supertest';
import { permissionModuleDemoPolicy } from './module';

// The demo's catalog (examples/), the real auth (guest sign-in), catalog, permission and
// Progressive Delivery backends, and the demo policy. The guest signs in as in the demo: the
// auth backend reads user:default/guest from the catalog and puts its ownership claims in the
// token; the permission backend reads them back (user info service), the policy answers with a
// conditional decision, and the catalog's isEntityOwner rule resolves it against the entity's
// ownedBy relations. Real auth rather than mockServices.auth: the mock's on-behalf-of tokens
// lose the calling plugin (actor), so the permission backend refuses the catalog's own
// conditional read checks as "direct user requests without a resourceRef".
jest.setTimeout(120_000);

const EXAMPLES = resolve(__dirname, '../../../../examples');
const GUEST = 'user:default/guest';
const PROD = 'prod-eu-1';
const DEV = 'dev-eu-1';
const PD = '/api/progressive-delivery';

async function waitFor<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last value: ${JSON.stringify(
          value,
        )?.slice(0, 1000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('the demo permission policy, through the HTTP API', () => {
  let sim: Simulator;
  let server: Server;
  let stop: () => Promise<void>;
  /** The guest's Backstage token, from the guest sign-in. */
  let token: string;
  let claims: string[];
  const audited: Array<{
    options: Parameters<AuditorService['createEvent']>[0];
    success: jest.Mock;
    fail: jest.Mock;
  }> = [];

  const asGuest = (test: request.Test) =>
    test.set('Authorization', `Bearer ${token}`);
  const get = (path: string) => asGuest(request(server).get(path));
  const post = (path: string, body: object) =>
    asGuest(
      request(server)
        .post(`${PD}${path}`)
        .set('Content-Type', 'application/json')
        .send(body),
    );
  const actionEvents = () =>
    audited.filter(e =>
      ['canary-action', 'flux-action'].includes(e.options.eventId),
    );

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: 'demo',
      port: 0,
      http: true,
      clock: 'virtual',
      startTime: Date.now(),
    });
    const auditor: ServiceMock<AuditorService> = mockServices.auditor.mock({
      createEvent: async options => {
        const event = { options, success: jest.fn(), fail: jest.fn() };
        audited.push(event);
        return { success: event.success, fail: event.fail };
      },
    });
    const backend = await startTestBackend({
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        authPlugin,
        guestProviderModule,
        catalogPlugin,
        permissionPlugin,
        permissionModuleDemoPolicy,
        progressiveDeliveryPlugin,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            auth: {
              providers: {
                guest: {
                  userEntityRef: GUEST,
                  // Jest runs with NODE_ENV=test; the demo runs in development.
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
            catalog: {
              rules: [
                {
                  allow: ['Component', 'System', 'Group', 'User', 'Location'],
                },
              ],
              locations: ['org.yaml', 'tenants.yaml'].map(file => ({
                type: 'file',
                target: resolve(EXAMPLES, file),
              })),
            },
            kubernetes: kubernetesConfig(sim),
            progressiveDelivery: {
              backoff: { initialMs: 20, maxMs: 200 },
              analysis: { enabled: false },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();

    // Signed in from the catalog (not the provider's fallback claims) once the catalog has
    // the user and its memberships.
    const identity = await waitFor(
      () =>
        request(server)
          .get('/api/auth/guest/refresh')
          .then(r => r.body.backstageIdentity),
      i => (i?.identity?.ownershipEntityRefs?.length ?? 0) > 1,
      'the guest to sign in with its catalog memberships',
    );
    token = identity.token;
    claims = identity.identity.ownershipEntityRefs;
    // The catalog has stitched the relations the policy's rule reads.
    for (const name of ['podinfo', 'checkout']) {
      await waitFor(
        () =>
          get(`/api/catalog/entities/by-name/component/default/${name}`).then(
            r => r.body as Entity,
          ),
        e => !!e.relations?.some(r => r.type === RELATION_OWNED_BY),
        `the catalog to relate component:default/${name} to its owner`,
      );
    }
    await waitFor(
      () =>
        get(`${PD}/v1/clusters`).then(
          r => (r.body.items ?? []) as Array<{ kinds: { state: string }[] }>,
        ),
      items =>
        items.length === 2 &&
        items.every(c => c.kinds.every(k => k.state !== 'pending')),
      'every kind of both clusters to sync',
    );
  });

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  afterEach(() => {
    audited.splice(0);
  });

  it('signs the guest in with the claims of examples/org.yaml: itself and team-a only', async () => {
    expect(claims).toEqual([GUEST, 'group:default/team-a']);
    const guest = await get('/api/catalog/entities/by-name/user/default/guest');
    expect(
      (guest.body as Entity).relations
        ?.filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef),
    ).toEqual(['group:default/team-a']);
  });

  it('answers the frontend’s permission checks: the actions on podinfo (team-a), none on checkout (team-b)', async () => {
    const actions = [
      progressiveDeliveryCanaryApprovePermission,
      progressiveDeliveryCanaryRollbackPermission,
      progressiveDeliveryFluxReconcilePermission,
      progressiveDeliveryFluxSuspendPermission,
    ];
    // What usePermission({ permission, resourceRef }) sends (PermissionClient.authorize).
    const items = ['podinfo', 'checkout'].flatMap(name =>
      actions.map(permission => ({
        id: `${name} ${permission.name}`,
        permission,
        resourceRef: `component:default/${name}`,
      })),
    );
    const res = await asGuest(
      request(server).post('/api/permission/authorize').send({ items }),
    );
    expect(res.status).toBe(200);
    expect(
      Object.fromEntries(
        (res.body.items as Array<{ id: string; result: string }>).map(i => [
          i.id,
          i.result,
        ]),
      ),
    ).toEqual(
      Object.fromEntries(
        items.map(i => [i.id, i.id.startsWith('podinfo') ? 'ALLOW' : 'DENY']),
      ),
    );
  });

  it('everyone reads the delivery state, of checkout too', async () => {
    const res = await get(`${PD}/v1/entities/component/default/checkout`);
    expect(res.status).toBe(200);
    expect(
      res.body.clusters.find((c: { cluster: string }) => c.cluster === DEV)
        .canaries[0].ref,
    ).toMatchObject({ namespace: 'tenant-b', name: 'checkout' });
  });

  it('refuses the guest’s approve on checkout (team-b’s) with 403 naming the permission, and audits the refusal', async () => {
    const loadtester = sim.cluster(DEV).cluster.loadtester('tenant-b');
    const res = await post(
      `/v1/clusters/${DEV}/namespaces/tenant-b/canaries/checkout/approve`,
      { entityRef: 'component:default/checkout' },
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'Not allowed to approve Canary tenant-b/checkout in cluster dev-eu-1: that needs the permission progressive-delivery.canary.approve on component:default/checkout',
    });
    expect(loadtester.isOpen('checkout.tenant-b')).toBe(false);

    const events = actionEvents();
    expect(events).toHaveLength(1);
    expect(events[0].options).toMatchObject({
      eventId: 'canary-action',
      severityLevel: 'medium',
      meta: {
        actionType: 'approve',
        permission: 'progressive-delivery.canary.approve',
        cluster: DEV,
        kind: 'Canary',
        namespace: 'tenant-b',
        name: 'checkout',
        requestedEntityRef: 'component:default/checkout',
      },
    });
    expect(events[0].fail).toHaveBeenCalledTimes(1);
    expect(events[0].fail.mock.calls[0][0].error).toMatchObject({
      name: 'NotAllowedError',
    });
    expect(events[0].success).not.toHaveBeenCalled();
  });

  it('refuses the guest’s reconcile and suspend of checkout’s Flux objects too', async () => {
    const state = await get(`${PD}/v1/entities/component/default/checkout`);
    const kustomization = (
      state.body.clusters.find((c: { cluster: string }) => c.cluster === DEV)
        .flux as Array<{
        ref: { kind: string; namespace: string; name: string };
      }>
    ).find(f => f.ref.kind === 'Kustomization')!.ref;
    for (const [action, permission] of [
      ['reconcile', progressiveDeliveryFluxReconcilePermission.name],
      ['suspend', progressiveDeliveryFluxSuspendPermission.name],
    ]) {
      const res = await post(
        `/v1/clusters/${DEV}/namespaces/${kustomization.namespace}/kustomizations/${kustomization.name}/${action}`,
        { entityRef: 'component:default/checkout' },
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        `needs the permission ${permission} on component:default/checkout`,
      );
    }
  });

  it('lets the guest act on podinfo (team-a’s): approve is refused only by the canary’s state, halt closes the gate', async () => {
    const loadtester = sim.cluster(PROD).cluster.loadtester('tenant-a');
    // The demo's podinfo has just been initialised: no rollout, so no gate waits (409).
    const approve = await post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`,
      { entityRef: 'component:default/podinfo' },
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toMatch(
      /^Canary tenant-a\/podinfo in prod-eu-1 is not waiting at a gate/,
    );
    // Halting closes the confirm gate, whatever the phase (200).
    const halt = await post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/halt`,
      { entityRef: 'component:default/podinfo' },
    );
    expect(halt.status).toBe(200);
    expect(halt.body).toMatchObject({
      action: 'halt',
      entityRef: 'component:default/podinfo',
      webhook: { name: 'promotion-gate', type: 'confirm-promotion' },
    });
    expect(loadtester.isOpen('podinfo.tenant-a')).toBe(false);
    const events = actionEvents();
    expect(events.map(e => e.options.meta?.actionType)).toEqual([
      'approve',
      'halt',
    ]);
    expect(events[1].success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ entityRef: 'component:default/podinfo' }),
    });
  });
});
