// Canaries that target DaemonSets, against src/__fixtures__/upstream/flagger-daemonset-canary.yaml
// (its header gives the expected reading asserted here).
import { readCanaryTargetRef } from '../flagger/targetRef';
import { clone, loadUpstream, pick } from '../__testUtils__/fixtures';
import { canaryServiceNames } from './istioRouting';
import { deriveWorkloadSummary } from './workload';

const docs = loadUpstream('flagger-daemonset-canary.yaml');
const canary = pick(docs, 'Canary');

describe('canaries targeting a DaemonSet', () => {
  it('reads the DaemonSet target and its primary', () => {
    const target = readCanaryTargetRef(canary);
    expect(target).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'podinfo-ds',
    });
    const primary = pick(docs, 'DaemonSet', `${target?.name}-primary`);
    expect(primary.metadata?.namespace).toBe('test');
    expect(canaryServiceNames(canary)).toEqual({
      apex: 'podinfo-ds',
      primary: 'podinfo-ds-primary',
      canary: 'podinfo-ds-canary',
    });
  });

  it('summarises a DaemonSet from its scheduled pods', () => {
    const daemonSet = clone(pick(docs, 'DaemonSet', 'podinfo-ds-primary'));
    // DaemonSetStatus as the controller writes it (apps/v1): one pod per eligible node.
    daemonSet.status = {
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberAvailable: 2,
      numberMisscheduled: 0,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 1,
    };
    expect(deriveWorkloadSummary('aks', daemonSet)).toEqual({
      ref: {
        cluster: 'aks',
        kind: 'DaemonSet',
        namespace: 'test',
        name: 'podinfo-ds-primary',
      },
      replicas: 3,
      readyReplicas: 2,
      updatedReplicas: 1,
      images: ['ghcr.io/stefanprodan/podinfo:6.0.0'],
    });
  });

  it('does not read a DaemonSet as a Deployment (no spec.replicas)', () => {
    const summary = deriveWorkloadSummary(
      'aks',
      pick(docs, 'DaemonSet', 'podinfo-ds'),
    );
    expect(summary.ref.kind).toBe('DaemonSet');
    expect(summary.replicas).toBeUndefined();
    expect(summary.images).toEqual(['ghcr.io/stefanprodan/podinfo:6.0.1']);
  });

  it('summarises a Deployment from spec.replicas and its status', () => {
    const failed = loadUpstream('istio-failed-promotion.yaml');
    expect(
      deriveWorkloadSummary(
        'aks',
        pick(failed, 'Deployment', 'podinfo-primary'),
      ),
    ).toMatchObject({
      ref: { kind: 'Deployment', name: 'podinfo-primary' },
      replicas: 2,
      readyReplicas: 1,
      updatedReplicas: 1,
    });
  });
});
