import { productionTenantInput, testSettings } from '../__testUtils__/settings';
import { parseTenantRequest } from './tenantRequest';

describe('parseTenantRequest', () => {
  it('applies defaults and normalises the owner and channel', () => {
    const request = parseTenantRequest(
      {
        tenantName: 'search',
        owner: 'team-search',
        clusters: ['dev-eu-1'],
        profile: 'development',
        slackChannel: 'search-alerts',
      },
      testSettings,
    );
    expect(request).toEqual({
      tenantName: 'search',
      owner: 'group:default/team-search',
      ownerGroup: 'team-search',
      clusters: ['dev-eu-1'],
      profile: 'development',
      quota: {
        tier: 'standard',
        cpu: 4,
        memoryGi: 8,
        pods: 20,
        persistentVolumeClaims: 5,
        services: 10,
      },
      network: { metricsNamespaces: ['monitoring'], allowEgress: true },
      slackChannel: 'search-alerts',
      application: undefined,
    });
  });

  it('takes custom quota values', () => {
    const quota = {
      tier: 'custom',
      cpu: 8,
      memoryGi: 16,
      pods: 40,
      persistentVolumeClaims: 0,
      services: 12,
    };
    const request = parseTenantRequest(
      { ...productionTenantInput, quota },
      testSettings,
    );
    expect(request.quota).toEqual(quota);
  });

  it.each([
    [
      'a tenant name that is not a DNS-1123 label',
      { tenantName: 'Payments_Team' },
      /tenantName: must be a DNS-1123 label/,
    ],
    [
      'a tenant name longer than 63 characters',
      { tenantName: 'a'.repeat(64) },
      /tenantName: must be at most 63 characters/,
    ],
    [
      'an unknown cluster',
      { clusters: ['prod-eu-1', 'prod-us-9'] },
      /clusters\[1\]: unknown cluster "prod-us-9"; configured clusters are prod-eu-1, dev-eu-1/,
    ],
    [
      'no cluster',
      { clusters: [] },
      /clusters: must name at least one cluster/,
    ],
    [
      'a cluster twice',
      { clusters: ['prod-eu-1', 'prod-eu-1'] },
      /clusters\[1\]: cluster "prod-eu-1" is listed twice/,
    ],
    [
      'a custom CPU quota above the range',
      {
        quota: {
          tier: 'custom',
          cpu: 500,
          memoryGi: 8,
          pods: 20,
          persistentVolumeClaims: 5,
          services: 10,
        },
      },
      /quota\.cpu: must be at most 64/,
    ],
    [
      'a custom quota missing a value',
      { quota: { tier: 'custom', cpu: 2 } },
      /quota\.memoryGi: is required for the custom quota tier/,
    ],
    [
      'an owner that is not a group reference',
      { owner: 'user:default/jane doe' },
      /owner: must be a group entity reference/,
    ],
    [
      'a port out of range',
      { application: { name: 'checkout', port: 70000 } },
      /application\.port: must be at most 65535/,
    ],
    [
      'an application without a port',
      { application: { name: 'checkout' } },
      /application\.port: is required when an application is named/,
    ],
  ])('rejects %s, naming the field', (_case, change, message) => {
    expect(() =>
      parseTenantRequest({ ...productionTenantInput, ...change }, testSettings),
    ).toThrow(message);
  });

  it('reads an application without a name as no application', () => {
    expect(
      parseTenantRequest(
        { ...productionTenantInput, application: { port: 8080 } },
        testSettings,
      ).application,
    ).toBeUndefined();
  });

  it('reports every problem at once', () => {
    expect(() =>
      parseTenantRequest(
        {
          ...productionTenantInput,
          tenantName: '-bad-',
          clusters: ['nowhere'],
        },
        testSettings,
      ),
    ).toThrow(/tenantName: .*; clusters\[0\]: unknown cluster "nowhere"/);
  });
});
