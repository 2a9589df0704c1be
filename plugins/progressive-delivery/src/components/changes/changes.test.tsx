import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  deriveRolloutChanges,
  EntityDeliveryState,
  KubeObject,
  RolloutChanges,
  RolloutRecord,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { renderDeliveryTab } from '../../__testUtils__/renderDeliveryTab';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { component } from '../../__fixtures__/entities';
import { approvedRollout, failedRollout } from '../../__fixtures__/rollouts';
import { mockChartSize } from '../../__testUtils__/chartSize';
import {
  compareLink,
  envValueText,
  imageText,
  revisionText,
} from './changeText';
import { RolloutChangesView } from './RolloutChangesView';

mockChartSize();

/*
 * Changes as the backend sends them: the common package's deriveRolloutChanges over Flagger's
 * e2e podinfo (fluxcd/flagger v1.44.0 test/workloads/deployment.yaml, `kubectl set image` to
 * 6.0.1; its primary as createPrimaryDeployment writes it: `app: podinfo-primary`, the tracked
 * Secret as `podinfo-secret-primary`, a flagger-id), here also with a changed variable, memory
 * limit and service account, the Secret's checksum against the promoted rollout's, and the
 * GitRepository of source-controller's docs (common src/__fixtures__/upstream).
 */
const SECRET_VALUE = 's3cr3t';
const FROM = 'master@sha1:363a6a8fe6a7f13e05d34c163b0ef02a777da20a';
const TO = 'master@sha1:132f4e719209eb10b9485302f8593fc0e680f4fc';

function podinfo(
  name: string,
  options: { image: string; level: string; memory: string; secret: string },
): KubeObject {
  const app = name.endsWith('-primary') ? 'podinfo-primary' : 'podinfo';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'test' },
    spec: {
      template: {
        metadata: {
          labels: { app },
          annotations: {
            'prometheus.io/scrape': 'true',
            ...(app === 'podinfo-primary'
              ? { 'flagger-id': '6d8b0c2e-5c1f-4b7e-9f4e-2b7c0a1d9e3f' }
              : {}),
          },
        },
        spec: {
          ...(name === 'podinfo' ? { serviceAccountName: 'podinfo' } : {}),
          containers: [
            {
              name: 'podinfod',
              image: options.image,
              env: [
                { name: 'PODINFO_UI_LOGO', value: options.level },
                {
                  name: 'PODINFO_SECRET_VALUE',
                  valueFrom: {
                    secretKeyRef: { name: options.secret, key: 'value' },
                  },
                },
              ],
              resources: {
                limits: { cpu: '2000m', memory: options.memory },
                requests: { cpu: '100m', memory: '64Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

function podinfoChanges(): RolloutChanges {
  return deriveRolloutChanges({
    canary: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'podinfo', namespace: 'test' },
      spec: { targetRef: { kind: 'Deployment', name: 'podinfo' } },
      status: {
        phase: 'Progressing',
        trackedConfigs: { 'secret/podinfo-secret': 'e9508890208eabc4' },
      },
    },
    target: podinfo('podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.0.1',
      level: 'https://example.com/logo-v2.png',
      memory: '1Gi',
      secret: 'podinfo-secret',
    }),
    primary: podinfo('podinfo-primary', {
      image: 'ghcr.io/stefanprodan/podinfo:6.0.0',
      level: 'https://example.com/logo.png',
      memory: '512Mi',
      secret: 'podinfo-secret-primary',
    }),
    previousTrackedConfigs: { 'secret/podinfo-secret': '0011223344556677' },
    source: {
      gitRepository: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'podinfo', namespace: 'default' },
        spec: { url: 'https://github.com/stefanprodan/podinfo' },
      },
      fromRevision: FROM,
      toRevision: TO,
    },
  });
}

const COMPARE =
  'https://github.com/stefanprodan/podinfo/compare/363a6a8fe6a7f13e05d34c163b0ef02a777da20a...132f4e719209eb10b9485302f8593fc0e680f4fc';

const texts = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map(item => item.textContent);

describe('what changed in a rollout', () => {
  it('lists the image, variables (a Secret’s key, never its value), limits, pod template, configs and the Git range', async () => {
    const changes = podinfoChanges();
    expect(changes.problems).toEqual([]);
    await renderInTestApp(
      <RolloutChangesView changes={changes} label="What podinfo changes" />,
    );
    const view = screen.getByRole('group', { name: 'What podinfo changes' });
    expect(view).toHaveTextContent(
      'container podinfod ghcr.io/stefanprodan/podinfo 6.0.0 → 6.0.1',
    );
    expect(
      texts(screen.getByRole('list', { name: 'Changes of podinfod' })),
    ).toEqual([
      'env PODINFO_UI_LOGO: "https://example.com/logo.png" → "https://example.com/logo-v2.png"',
      'limits.memory: 512Mi → 1Gi',
    ]);
    // Flagger's own rewrites (the -primary Secret copy, the selector label, flagger-id) are
    // not changes; the service account is.
    expect(
      texts(screen.getByRole('list', { name: 'Pod template changes' })),
    ).toEqual(['spec.serviceAccountName added: podinfo']);
    const configs = screen.getByRole('list', { name: 'Tracked configs' });
    expect(texts(configs)).toEqual(['Secret podinfo-secret: content changed']);
    expect(within(configs).getByText(/podinfo-secret/)).toHaveAttribute(
      'title',
      'checksum 0011223344556677 → e9508890208eabc4',
    );
    expect(view).toHaveTextContent('master@363a6a8 → master@132f4e7');
    const link = screen.getByRole('link', { name: 'Compare on GitHub' });
    expect(link).toHaveAttribute('href', COMPARE);
    expect(link).toHaveAttribute('target', '_blank');
    expect(view).not.toHaveTextContent(SECRET_VALUE);
    expect(view).not.toHaveTextContent('No differences');
  });

  it('says why there is no link, what could not be known, and what could not be read', async () => {
    const changes: RolloutChanges = {
      ...podinfoChanges(),
      containers: [],
      podTemplate: [],
      configs: [
        {
          kind: 'ConfigMap',
          name: 'podinfo-config',
          change: 'unchanged',
          fromChecksum: 'aaaa',
          toChecksum: 'aaaa',
        },
      ],
      source: {
        kind: 'GitRepository',
        toRevision: TO,
        reason: 'no previous revision to compare with',
      },
      notes: ['The promoted rollout’s config checksums were not recorded.'],
      problems: [{ field: 'primary', message: 'no primary workload given' }],
    };
    await renderInTestApp(
      <RolloutChangesView changes={changes} label="What podinfo changes" />,
    );
    const view = screen.getByRole('group', { name: 'What podinfo changes' });
    expect(view).toHaveTextContent(
      'No differences in images, environment, resources, pod template or tracked configs.',
    );
    expect(view).toHaveTextContent('ConfigMap podinfo-config: unchanged');
    expect(view).toHaveTextContent('master@132f4e7');
    expect(view).toHaveTextContent(
      'No compare link: no previous revision to compare with.',
    );
    expect(screen.queryByRole('link')).toBeNull();
    expect(view).toHaveTextContent(
      'The promoted rollout’s config checksums were not recorded.',
    );
    expect(view).toHaveTextContent('primary: no primary workload given');
  });

  it('shows in the canary’s panel on the Delivery tab', async () => {
    const state: EntityDeliveryState = podinfoState();
    state.clusters[0].canaries[0].changes = podinfoChanges();
    await renderDeliveryTab(
      component('podinfo'),
      new MockProgressiveDeliveryApi({ entities: [state] }),
    );
    const section = await screen.findByRole('region', {
      name: 'What changed',
    });
    expect(section).toHaveTextContent(
      'ghcr.io/stefanprodan/podinfo 6.0.0 → 6.0.1',
    );
    expect(
      within(section).getByRole('link', { name: 'Compare on GitHub' }),
    ).toHaveAttribute('href', COMPARE);
  });

  it('has no section in a panel without changes', async () => {
    await renderDeliveryTab(
      component('podinfo'),
      new MockProgressiveDeliveryApi({ entities: [podinfoState()] }),
    );
    await screen.findByTestId('canary-headline');
    expect(screen.queryByRole('region', { name: 'What changed' })).toBeNull();
  });

  it('shows in an opened history row, when the rollout recorded its changes', async () => {
    const withChanges: RolloutRecord = {
      ...approvedRollout(),
      changes: podinfoChanges(),
    };
    const without = failedRollout();
    await renderDeliveryTab(
      component('podinfo'),
      new MockProgressiveDeliveryApi({
        entities: [podinfoState()],
        rollouts: { 'component:default/podinfo': [withChanges, without] },
      }),
    );
    const open = async (record: RolloutRecord) => {
      const row = await screen.findByTestId(`rollout-${record.id}`);
      await userEvent.click(within(row).getByRole('button'));
    };
    await open(withChanges);
    const name = `${withChanges.cluster} ${withChanges.namespace}/${withChanges.canary}`;
    const section = await screen.findByRole('region', {
      name: `What the rollout of ${withChanges.revision} in ${name} changed`,
    });
    expect(section).toHaveTextContent('Secret podinfo-secret: content changed');
    await open(without);
    await waitFor(() =>
      expect(
        screen.getAllByRole('region', { name: /^What the rollout of/ }),
      ).toHaveLength(1),
    );
  });
});

describe('the words for changes', () => {
  it('shortens an image to its repository when only the tag or digest moved', () => {
    expect(
      imageText({ from: 'registry:5000/app:1.0', to: 'registry:5000/app:1.1' }),
    ).toBe('registry:5000/app 1.0 → 1.1');
    expect(imageText({ from: 'app@sha256:aaa', to: 'app@sha256:bbb' })).toBe(
      'app @sha256:aaa → @sha256:bbb',
    );
    expect(imageText({ from: 'a:1', to: 'b:1' })).toBe('a:1 → b:1');
    expect(imageText({ from: 'app', to: 'app:2' })).toBe('app → app:2');
    expect(imageText({ to: 'sidecar:1' })).toBe('added: sidecar:1');
    expect(imageText({ from: 'sidecar:1' })).toBe('removed: sidecar:1');
  });

  it('names where a variable comes from, a long value cut', () => {
    expect(
      envValueText({ source: 'secretKeyRef', name: 'db', key: 'password' }),
    ).toBe('Secret db, key password');
    expect(
      envValueText({ source: 'fieldRef', fieldPath: 'status.podIP' }),
    ).toBe('field status.podIP');
    expect(envValueText({ source: 'other', kinds: ['fileKeyRef'] })).toBe(
      'from fileKeyRef',
    );
    expect(envValueText({ source: 'value', value: 'x'.repeat(100) })).toBe(
      `"${'x'.repeat(79)}…"`,
    );
  });

  it('links only to a web address, naming the forge', () => {
    expect(
      compareLink({
        compareUrl: 'https://gitlab.com/g/p/-/compare/a...b',
        hostKind: 'gitlab',
      }),
    ).toEqual({
      text: 'Compare on GitLab',
      url: 'https://gitlab.com/g/p/-/compare/a...b',
    });
    expect(
      compareLink({
        compareUrl: ['javascript', 'alert(1)'].join(':'),
        hostKind: 'github',
      }),
    ).toBeUndefined();
    expect(revisionText('v1.2.0@sha1:0123456789abcdef')).toBe('v1.2.0@0123456');
    expect(revisionText('latest@sha256:abc')).toBe('latest@sha256:abc');
  });
});
