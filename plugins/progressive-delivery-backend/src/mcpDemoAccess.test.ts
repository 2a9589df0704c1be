import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityDeliveryState,
  progressiveDeliveryEntityReadPermission,
  progressiveDeliveryPermissions,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { kubernetesConfig, Simulator } from '@internal/cluster-simulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse } from 'yaml';
import { progressiveDeliveryPlugin } from './plugin';
import {
  API,
  ENTITIES,
  PROD,
  startDemoSimulator,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The demo's way in for MCP clients, with Backstage's real auth services (not the test mocks):
 * the static token of the repository's app-config.yaml (`backend.auth.externalAccess`) and its
 * `backend.actions.pluginSources`, read from the file. The token is a service principal; the
 * permission service here decides as the demo's policy does for services (reads allowed, the
 * actions refused: a service owns nothing).
 */

jest.setTimeout(60_000);

const demoConfig = parse(
  readFileSync(resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
);
const staticToken: string =
  demoConfig.backend.auth.externalAccess[0].options.token;

const ACTION_PERMISSIONS = progressiveDeliveryPermissions
  .map(p => p.name)
  .filter(name => name !== progressiveDeliveryEntityReadPermission.name);

describe('the demo’s MCP access: its static token through the real auth services', () => {
  let sim: Simulator;
  let server: Server;
  let stop: () => Promise<void>;
  let url: URL;
  const audited: Array<{
    options: Parameters<AuditorService['createEvent']>[0];
    success: jest.Mock;
    fail: jest.Mock;
  }> = [];

  beforeAll(async () => {
    sim = await startDemoSimulator();
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) =>
        requests.map(r => ({
          result:
            ACTION_PERMISSIONS.includes(r.permission.name) &&
            (options?.credentials.principal as { type?: string } | undefined)
              ?.type !== 'user'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event = { options, success: jest.fn(), fail: jest.fn() };
        audited.push(event);
        return { success: event.success, fail: event.fail };
      },
    });
    const backend = await startTestBackend({
      features: [
        auditor.factory,
        progressiveDeliveryPlugin,
        mcpActionsPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        httpRouterServiceFactory,
        catalogServiceMock.factory({ entities: ENTITIES }),
        permissions.factory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: demoConfig.backend.auth,
              actions: demoConfig.backend.actions,
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
    url = new URL(
      `http://127.0.0.1:${
        (server.address() as AddressInfo).port
      }/api/mcp-actions/v1`,
    );
    await waitFor(
      async () =>
        (
          await request(server)
            .get(`${API}/v1/clusters`)
            .set('Authorization', `Bearer ${staticToken}`)
        ).body.items as Array<{ kinds: Array<{ state: string }> }>,
      items =>
        items?.length === 2 &&
        items.every(c => c.kinds.every(k => k.state !== 'pending')),
      { what: 'every kind to sync' },
    );
  });

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  async function connect(headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: 'demo-check', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers } }),
    );
    return client;
  }

  it('lists the plugin as an actions source of the demo', () => {
    expect(demoConfig.backend.actions.pluginSources).toContain(
      'progressive-delivery',
    );
  });

  it('refuses an MCP client without a token', async () => {
    await expect(connect({})).rejects.toThrow(/401/);
  });

  it('lets the static token list the tools and read podinfo; refuses its approve as HTTP does', async () => {
    const client = await connect({ Authorization: `Bearer ${staticToken}` });
    try {
      const { tools } = await client.listTools();
      expect(
        tools.filter(t => t.name.startsWith('progressive-delivery.')),
      ).toHaveLength(8);

      const read = (await client.callTool({
        name: 'progressive-delivery.get-entity-delivery-state',
        arguments: { entityRef: 'component:default/podinfo' },
      })) as { isError?: boolean; structuredContent?: EntityDeliveryState };
      expect(read.isError).toBeFalsy();
      const canary = read.structuredContent!.clusters.find(
        c => c.cluster === PROD,
      )!.canaries[0];
      expect(canary.ref.name).toBe('podinfo');
      expect(canary.progress.phase).toBeTruthy();

      const http = await request(server)
        .post(
          `${API}/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`,
        )
        .set('Authorization', `Bearer ${staticToken}`)
        .send({});
      expect(http.status).toBe(403);
      expect(http.body.error).toEqual({
        name: 'NotAllowedError',
        message: `Not allowed to approve Canary tenant-a/podinfo in cluster ${PROD}: that needs the permission progressive-delivery.canary.approve on component:default/podinfo`,
      });
      const refused = (await client.callTool({
        name: 'progressive-delivery.approve-canary',
        arguments: { cluster: PROD, namespace: 'tenant-a', name: 'podinfo' },
      })) as { isError?: boolean; content: Array<{ text: string }> };
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toBe(
        `NotAllowedError: ${http.body.error.message}`,
      );
      // The plugin sees the MCP actions backend's service token; the MCP backend's own audit
      // event of the call has the request, so the static token's subject.
      const attempts = audited.filter(
        a => a.options.eventId === 'canary-action',
      );
      expect(attempts.map(a => a.options.meta?.actor)).toEqual([
        undefined,
        'plugin:mcp-actions',
      ]);
      expect(
        audited.find(a => a.options.eventId === 'tool-execution')?.options
          .request?.headers.authorization,
      ).toBe(`Bearer ${staticToken}`);
    } finally {
      await client.close();
    }
  });

  it('passes the demo check script (scripts/mcp-demo-check.mjs) the lead runs against the demo', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      resolve(__dirname, '../scripts/mcp-demo-check.mjs'),
      '--url',
      url.origin,
    ]);
    expect(stdout).toContain('progressive-delivery.approve-canary');
    expect(stdout).toMatch(
      /prod-eu-1 tenant-a\/podinfo: \w+, canary \d+% \/ primary \d+%/,
    );
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toContain('all checks passed');
  });
});
