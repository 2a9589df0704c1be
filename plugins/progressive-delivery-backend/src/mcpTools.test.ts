import { AuditorService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  ServiceMock,
} from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  ActionResponse,
  CanaryListResponse,
  EntityDeliveryState,
  progressiveDeliveryCanaryApprovePermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import {
  advanceUntil,
  newRevision,
  phaseOf,
  PermissionRule,
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { specViolations } from './__testUtils__/specConformance';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(90_000);

const MIN = 60_000;
const GUEST = 'user:default/guest';
const TOOL = (name: string) => `progressive-delivery.${name}`;

/** What a tools/call answers: the tool's text and structured output, or its error text. */
interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

describe('tools for agents through the MCP actions backend', () => {
  let sim: Simulator;
  let backend: SimulatorBackend;
  let client: Client;
  const audited: Array<{
    options: Parameters<AuditorService['createEvent']>[0];
    success: jest.Mock;
    fail: jest.Mock;
  }> = [];
  const allow: { rule: PermissionRule } = { rule: () => true };

  beforeAll(async () => {
    sim = await startDemoSimulator();
    const auditor: ServiceMock<AuditorService> = mockServices.auditor.mock({
      createEvent: async options => {
        const event = { options, success: jest.fn(), fail: jest.fn() };
        audited.push(event);
        return { success: event.success, fail: event.fail };
      },
    });
    backend = await startSimulatorBackend(sim, {
      allow,
      auditor,
      features: [mcpActionsPlugin],
      config: {
        backend: { actions: { pluginSources: ['progressive-delivery'] } },
      },
    });
    const { port } = backend.server.address() as AddressInfo;
    // A real MCP client over the MCP actions backend's streamable HTTP endpoint, as the user.
    client = new Client({
      name: 'progressive-delivery-test',
      version: '1.0.0',
    });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header(GUEST) },
          },
        },
      ),
    );
  });

  afterAll(async () => {
    await client?.close();
    await backend?.stop();
    await sim?.stop();
  });

  afterEach(() => {
    allow.rule = () => true;
    audited.splice(0);
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({
      name: TOOL(name),
      arguments: args,
    })) as ToolResult;

  /** The structured output of a successful call, which the text content repeats. */
  function outputOf<T>(result: ToolResult): T {
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(result.content[0].text!)).toEqual(
      result.structuredContent,
    );
    return result.structuredContent as T;
  }

  const errorOf = (result: ToolResult) => {
    expect(result.isError).toBe(true);
    return result.content[0].text;
  };

  const canaryIn = (state: EntityDeliveryState, cluster: string) =>
    state.clusters.find(c => c.cluster === cluster)!.canaries[0];

  const ourAudits = () =>
    audited.filter(a =>
      ['canary-action', 'flux-action'].includes(a.options.eventId),
    );

  it('lists the plugin’s eight tools with their attributes', async () => {
    const { tools } = await client.listTools();
    const ours = tools
      .filter(t => t.name.startsWith('progressive-delivery.'))
      .map(t => ({
        name: t.name,
        readOnly: t.annotations?.readOnlyHint,
        destructive: t.annotations?.destructiveHint,
        idempotent: t.annotations?.idempotentHint,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const tool = (
      name: string,
      readOnly: boolean,
      destructive: boolean,
      idempotent: boolean,
    ) => ({ name: TOOL(name), readOnly, destructive, idempotent });
    expect(ours).toEqual([
      tool('approve-canary', false, true, false),
      tool('get-entity-delivery-state', true, false, true),
      tool('halt-canary', false, false, true),
      tool('list-canaries', true, false, true),
      tool('reconcile-flux-object', false, false, true),
      tool('resume-flux-object', false, false, true),
      tool('rollback-canary', false, true, true),
      tool('suspend-flux-object', false, false, true),
    ]);
    // The input schemas are the HTTP routes' parameters and body.
    const approve = tools.find(t => t.name === TOOL('approve-canary'))!;
    expect(approve.inputSchema).toMatchObject({
      type: 'object',
      properties: {
        cluster: { type: 'string' },
        namespace: {
          type: 'string',
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        },
        name: { type: 'string' },
        entityRef: { type: 'string' },
      },
      required: expect.arrayContaining(['cluster', 'namespace', 'name']),
      additionalProperties: false,
    });
    expect(Object.keys(approve.inputSchema.properties!)).not.toContain(
      'withSource',
    );
    const reconcile = tools.find(
      t => t.name === TOOL('reconcile-flux-object'),
    )!;
    expect(reconcile.inputSchema.properties).toMatchObject({
      kind: {
        enum: [
          'kustomizations',
          'helmreleases',
          'gitrepositories',
          'ocirepositories',
          'helmrepositories',
        ],
      },
      withSource: { type: 'boolean' },
    });
  });

  it('gets podinfo’s delivery state: the HTTP API’s answer, canary included', async () => {
    const state = outputOf<EntityDeliveryState>(
      await call('get-entity-delivery-state', {
        entityRef: 'component:default/podinfo',
      }),
    );
    expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);
    expect(state.entityRef).toBe('component:default/podinfo');
    const canary = canaryIn(state, PROD);
    expect(canary.ref).toEqual({
      cluster: PROD,
      kind: 'Canary',
      namespace: 'tenant-a',
      name: 'podinfo',
    });
    expect(canary.progress.phase).toBe(
      phaseOf(sim, PROD, 'tenant-a', 'podinfo'),
    );
    expect(canary.fluxOwner?.kind).toBe('Kustomization');

    const http = (await backend.get('/v1/entities/component/default/podinfo'))
      .body as EntityDeliveryState;
    // The same answer, but for the moment it was made.
    const timeless = (s: EntityDeliveryState) =>
      JSON.parse(
        JSON.stringify({ ...s, generatedAt: undefined }, (key, value) =>
          ['remainingMs', 'estimatedCompletionAt'].includes(key)
            ? undefined
            : value,
        ),
      );
    expect(timeless(state)).toEqual(timeless(http));
  });

  it('lists canaries as GET /v1/canaries does, with its filters', async () => {
    const listed = outputOf<CanaryListResponse>(
      await call('list-canaries', { cluster: PROD, namespace: 'tenant-a' }),
    );
    const http = (
      await backend.get(`/v1/canaries?cluster=${PROD}&namespace=tenant-a`)
    ).body as CanaryListResponse;
    const refs = (r: CanaryListResponse) =>
      r.items.map(i => `${i.ref.cluster}/${i.ref.namespace}/${i.ref.name}`);
    expect(refs(listed)).toEqual(refs(http));
    expect(refs(listed)).toContain(`${PROD}/tenant-a/podinfo`);
    expect(
      listed.items.find(i => i.ref.name === 'podinfo')!.entityRefs,
    ).toEqual(['component:default/podinfo']);
    expect(
      listed.items.every(i => specViolations(i, 'CanarySummary').length === 0),
    ).toBe(true);
  });

  it('refuses what the HTTP API refuses: a malformed entity reference, an unknown entity, a denied read', async () => {
    expect(
      errorOf(
        await call('get-entity-delivery-state', { entityRef: 'podinfo' }),
      ),
    ).toMatch(/^InputError: Invalid input.*missing or empty kind/s);
    expect(
      errorOf(
        await call('get-entity-delivery-state', {
          entityRef: 'component:default/no such name',
        }),
      ),
    ).toMatch(
      /entityRef component:default\/no such name: 'no such name' is not a valid entity name/,
    );

    const unknownHttp = await backend.get(
      '/v1/entities/component/default/nope',
    );
    expect(unknownHttp.status).toBe(404);
    expect(
      errorOf(
        await call('get-entity-delivery-state', {
          entityRef: 'component:default/nope',
        }),
      ),
    ).toBe(`NotFoundError: ${unknownHttp.body.error.message}`);

    allow.rule = permission =>
      permission !== 'progressive-delivery.entity.read';
    const deniedHttp = await backend.get(
      '/v1/entities/component/default/podinfo',
    );
    expect(deniedHttp.status).toBe(403);
    expect(
      errorOf(
        await call('get-entity-delivery-state', {
          entityRef: 'component:default/podinfo',
        }),
      ),
    ).toBe(`NotAllowedError: ${deniedHttp.body.error.message}`);
    // A list only leaves out what the caller may not read.
    expect(
      outputOf<CanaryListResponse>(await call('list-canaries', {})).items,
    ).toEqual([]);
  });

  it('refuses an approve without permission with the HTTP API’s 403 message, and audits both attempts', async () => {
    allow.rule = permission =>
      permission !== progressiveDeliveryCanaryApprovePermission.name;
    sim.cluster(PROD).counters.reset();
    const path = `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`;
    const http = await backend.post(path);
    expect(http.status).toBe(403);
    const message = `Not allowed to approve Canary tenant-a/podinfo in cluster ${PROD}: that needs the permission progressive-delivery.canary.approve on component:default/podinfo`;
    expect(http.body.error).toEqual({ name: 'NotAllowedError', message });

    const refused = await call('approve-canary', {
      cluster: PROD,
      namespace: 'tenant-a',
      name: 'podinfo',
    });
    expect(errorOf(refused)).toBe(`NotAllowedError: ${message}`);
    // Nothing reached the cluster.
    expect(sim.cluster(PROD).counters.snapshot().total).toBe(0);

    const [overHttp, overMcp] = ourAudits();
    expect(ourAudits()).toHaveLength(2);
    for (const event of [overHttp, overMcp]) {
      expect(event.options).toMatchObject({
        eventId: 'canary-action',
        severityLevel: 'medium',
        meta: {
          actionType: 'approve',
          permission: 'progressive-delivery.canary.approve',
          cluster: PROD,
          kind: 'Canary',
          namespace: 'tenant-a',
          name: 'podinfo',
        },
      });
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError', message }),
      });
      expect(event.success).not.toHaveBeenCalled();
    }
    // Over HTTP the auditor reads who from the request; a tool names the actor.
    expect(overHttp.options.request).toBeDefined();
    expect(overMcp.options.request).toBeUndefined();
    expect(overMcp.options.meta).toMatchObject({ actor: GUEST });
    // The MCP actions backend audits the tool call as failed too.
    const execution = audited.find(a => a.options.eventId === 'tool-execution');
    expect(execution?.options.meta).toEqual({
      toolName: TOOL('approve-canary'),
    });
    expect(execution?.fail).toHaveBeenCalled();
  });

  it('approves podinfo waiting at its promotion gate; Flagger promotes it', async () => {
    newRevision(sim, PROD, 'tenant-a', 'podinfo');
    await advanceUntil(
      sim,
      () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'WaitingPromotion',
      { stepMs: MIN, what: 'podinfo to wait for promotion' },
    );
    await waitFor(
      async () =>
        outputOf<EntityDeliveryState>(
          await call('get-entity-delivery-state', {
            entityRef: 'component:default/podinfo',
          }),
        ),
      s =>
        canaryIn(s, PROD).progress.gates.some(
          g => g.type === 'confirm-promotion' && g.waiting,
        ),
      { what: 'the waiting gate, through the tool' },
    );

    const response = outputOf<ActionResponse>(
      await call('approve-canary', {
        cluster: PROD,
        namespace: 'tenant-a',
        name: 'podinfo',
        entityRef: 'component:default/podinfo',
      }),
    );
    expect(specViolations(response, 'ActionResponse')).toEqual([]);
    expect(response).toMatchObject({
      action: 'approve',
      entityRef: 'component:default/podinfo',
      ref: {
        cluster: PROD,
        kind: 'Canary',
        namespace: 'tenant-a',
        name: 'podinfo',
      },
      webhook: { name: 'promotion-gate', type: 'confirm-promotion' },
    });
    expect(
      sim
        .cluster(PROD)
        .cluster.loadtester('tenant-a')
        .isOpen('podinfo.tenant-a'),
    ).toBe(true);
    await advanceUntil(
      sim,
      () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'Succeeded',
      { stepMs: MIN, what: 'podinfo to be promoted' },
    );

    const [event] = ourAudits();
    expect(event.options.meta).toMatchObject({
      actionType: 'approve',
      requestedEntityRef: 'component:default/podinfo',
      actor: GUEST,
    });
    expect(event.success).toHaveBeenCalledWith({
      meta: {
        entityRef: 'component:default/podinfo',
        result: response.message,
      },
    });
  });

  it('reconciles podinfo’s Kustomization with its source, as POST …/reconcile does', async () => {
    const state = outputOf<EntityDeliveryState>(
      await call('get-entity-delivery-state', {
        entityRef: 'component:default/podinfo',
      }),
    );
    const owner = canaryIn(state, PROD).fluxOwner!;
    const response = outputOf<ActionResponse>(
      await call('reconcile-flux-object', {
        cluster: PROD,
        namespace: owner.namespace,
        kind: 'kustomizations',
        name: owner.name,
        withSource: true,
      }),
    );
    expect(response).toMatchObject({
      action: 'reconcile',
      ref: { kind: 'Kustomization', name: owner.name },
      source: { kind: 'GitRepository' },
    });
    const kustomization = sim
      .cluster(PROD)
      .objects.get(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        owner.namespace,
        owner.name,
      ) as { metadata: { annotations: Record<string, string> } };
    expect(
      kustomization.metadata.annotations['reconcile.fluxcd.io/requestedAt'],
    ).toBe(response.requestedAt);

    // Canary tools take no withSource; Flux tools only the kinds of the HTTP route.
    expect(
      errorOf(
        await call('halt-canary', {
          cluster: PROD,
          namespace: 'tenant-a',
          name: 'podinfo',
          withSource: true,
        }),
      ),
    ).toMatch(/^InputError: Invalid input.*withSource/s);
    expect(
      errorOf(
        await call('suspend-flux-object', {
          cluster: PROD,
          namespace: owner.namespace,
          kind: 'deployments',
          name: owner.name,
        }),
      ),
    ).toMatch(/^InputError: Invalid input/);
  });
});
