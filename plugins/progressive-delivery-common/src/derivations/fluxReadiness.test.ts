import { clone, loadFixture } from '../__testUtils__/fixtures';
import { deriveFluxReadiness } from './fluxReadiness';
import { fluxSourceRef } from './fluxSource';

const ready = loadFixture('flux-kustomization-ready.yaml');
const healthFailed = loadFixture('flux-kustomization-healthcheck-failed.yaml');
const sources = 'flux-sources-and-helmrelease-status.yaml';

describe('deriveFluxReadiness', () => {
  it('reads a ready, healthy Kustomization', () => {
    expect(deriveFluxReadiness(ready)).toEqual({
      status: 'ready',
      ready: 'True',
      readyReason: 'ReconciliationSucceeded',
      readyMessage:
        'Applied revision: master@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0',
      healthy: 'True',
      healthCheckFailure: undefined,
      stalled: false,
      stalledMessage: undefined,
      reconciling: false,
      suspended: false,
      appliedRevision: 'master@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0',
      attemptedRevision: 'master@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0',
      revisionPending: false,
      stale: false,
      lastReconciledAt: '2026-08-10T09:00:04Z',
      problems: [],
    });
  });

  it('reads a failed health check: text, pending revision, stale generation', () => {
    const readiness = deriveFluxReadiness(healthFailed);
    expect(readiness).toMatchObject({
      status: 'failed',
      ready: 'False',
      readyReason: 'HealthCheckFailed',
      healthy: 'False',
      healthCheckFailure:
        "timeout waiting for: [Deployment/default/podinfo status: 'InProgress']",
      reconciling: true,
      appliedRevision: 'master@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0',
      attemptedRevision: 'master@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9',
      revisionPending: true,
      stale: true,
    });
  });

  it('reads a GitRepository artifact revision', () => {
    expect(
      deriveFluxReadiness(loadFixture(sources, 'GitRepository')),
    ).toMatchObject({
      status: 'ready',
      appliedRevision: 'master@sha1:363a6a8fe6a7f13e05d34c163b0ef02a777da20a',
      revisionPending: false,
      lastReconciledAt: '2022-01-29T06:59:23Z',
    });
  });

  it('reads an OCIRepository revision', () => {
    expect(
      deriveFluxReadiness(loadFixture(sources, 'OCIRepository'))
        .appliedRevision,
    ).toBe(
      'latest@sha256:3b6cdcc7adcc9a84d3214ee1c029543789d90b5ae69debe9efa3f66e982875de',
    );
  });

  it('treats a HelmRepository without conditions as unknown', () => {
    expect(
      deriveFluxReadiness(loadFixture(sources, 'HelmRepository')),
    ).toMatchObject({
      status: 'unknown',
      appliedRevision:
        'sha256:83a3c595163a6ff0333e0154c790383b5be441b9db632cb36da11db1c4ece111',
    });
  });

  it('reads a HelmRelease from its newest deployed release', () => {
    const release = loadFixture(sources, 'HelmRelease');
    expect(deriveFluxReadiness(release)).toMatchObject({
      status: 'ready',
      appliedRevision: '6.6.1+0cc9a8446c95',
      attemptedRevision: '6.6.1+0cc9a8446c95',
      revisionPending: false,
      lastReconciledAt: '2024-05-07T04:54:55Z',
    });
    const failedUpgrade = clone(release);
    const status = failedUpgrade.status as Record<string, any>;
    status.lastAttemptedRevision = '6.6.2+aaaaaaaaaaaa';
    status.history = [
      { chartVersion: '6.6.2+aaaaaaaaaaaa', status: 'failed' },
      ...status.history,
    ];
    expect(deriveFluxReadiness(failedUpgrade)).toMatchObject({
      appliedRevision: '6.6.1+0cc9a8446c95',
      revisionPending: true,
    });
  });

  it('puts suspension before anything else', () => {
    const suspended = clone(ready);
    (suspended.spec as Record<string, unknown>).suspend = true;
    expect(deriveFluxReadiness(suspended)).toMatchObject({
      status: 'suspended',
      suspended: true,
    });
  });

  it('reads Stalled', () => {
    const stalled = clone(healthFailed);
    (stalled.status as Record<string, any>).conditions.push({
      type: 'Stalled',
      status: 'True',
      reason: 'BuildFailed',
      message: 'kustomization path not found',
    });
    expect(deriveFluxReadiness(stalled)).toMatchObject({
      status: 'stalled',
      stalled: true,
      stalledMessage: 'kustomization path not found',
    });
  });

  it('reads Ready=Unknown while reconciling as progressing', () => {
    const progressing = clone(ready);
    (progressing.status as Record<string, any>).conditions = [
      { type: 'Reconciling', status: 'True', reason: 'Progressing' },
      { type: 'Ready', status: 'Unknown', reason: 'Progressing' },
    ];
    expect(deriveFluxReadiness(progressing).status).toBe('progressing');
  });

  it.each<[string, unknown, string]>([
    ['no status', undefined, 'status'],
    ['a list status', [], 'status'],
    [
      'conditions that are not a list',
      { conditions: 'Ready' },
      'status.conditions',
    ],
  ])('reports %s as a problem', (_, status, field) => {
    const broken = clone(ready);
    broken.status = status;
    const readiness = deriveFluxReadiness(broken);
    expect(readiness.status).toBe('unknown');
    expect(readiness.problems.map(p => p.field)).toEqual([field]);
  });

  it('skips malformed conditions', () => {
    const broken = clone(ready);
    (broken.status as Record<string, any>).conditions = [
      null,
      { type: 'Ready', status: 'yes' },
      { type: 'Healthy', status: 'True' },
    ];
    const readiness = deriveFluxReadiness(broken);
    expect(readiness.ready).toBeUndefined();
    expect(readiness.healthy).toBe('True');
  });
});

describe('fluxSourceRef', () => {
  it.each([
    [
      loadFixture('flux-kustomization-ready.yaml'),
      { kind: 'GitRepository', name: 'podinfo', namespace: 'default' },
    ],
    [
      {
        kind: 'HelmRelease',
        metadata: { namespace: 'podinfo' },
        spec: {
          chart: {
            spec: {
              sourceRef: {
                kind: 'HelmRepository',
                name: 'podinfo',
                namespace: 'flux-system',
              },
            },
          },
        },
      },
      { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' },
    ],
    [
      {
        kind: 'HelmRelease',
        metadata: { namespace: 'apps' },
        spec: { chartRef: { kind: 'OCIRepository', name: 'podinfo' } },
      },
      { kind: 'OCIRepository', name: 'podinfo', namespace: 'apps' },
    ],
    [{ kind: 'Kustomization', spec: { sourceRef: 'broken' } }, undefined],
  ])('reads the source of %j', (object, expected) => {
    expect(fluxSourceRef(object)).toEqual(expected);
  });
});
