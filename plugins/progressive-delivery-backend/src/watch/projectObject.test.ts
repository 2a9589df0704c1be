import {
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { projectEvent, projectObject } from './projectObject';
import { capText, cutMarker, MAX_TEXT_BYTES } from './projectionShape';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('projectObject', () => {
  it('keeps what the plugin reads of a canary and drops the rest', () => {
    const canary = loadFixture('flagger-canary-progressing.yaml');
    const projected = projectObject(canary);
    expect(projected).toEqual({
      kind: 'Canary',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        ...(canary.metadata?.resourceVersion
          ? { resourceVersion: canary.metadata.resourceVersion }
          : {}),
        ...(canary.metadata?.labels ? { labels: canary.metadata.labels } : {}),
      },
      spec: expect.objectContaining({
        targetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'podinfo',
        },
      }),
      status: expect.objectContaining({ phase: 'Progressing' }),
    });
    const spec = projected.spec as Record<string, any>;
    // Webhooks keep name, type and url; their metadata (commands) goes.
    for (const hook of spec.analysis.webhooks) {
      expect(Object.keys(hook).sort()).toEqual(
        expect.arrayContaining(['name', 'url']),
      );
      expect(hook).not.toHaveProperty('metadata');
      expect(hook).not.toHaveProperty('timeout');
    }
    expect(spec).not.toHaveProperty('autoscalerRef');
    expect(spec).not.toHaveProperty('progressDeadlineSeconds');
  });

  it('keeps only the counters and the pod template fields that what changed compares of a Deployment', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        uid: 'u1',
        resourceVersion: '7',
        generation: 3,
        labels: { app: 'podinfo' },
        annotations: { 'deployment.kubernetes.io/revision': '4' },
        managedFields: [{ manager: 'kubectl' }],
      } as KubeObject['metadata'],
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'podinfo' } },
        template: {
          metadata: {
            labels: { app: 'podinfo' },
            annotations: { 'prometheus.io/scrape': 'true' },
          },
          spec: {
            serviceAccountName: 'podinfo',
            affinity: { podAntiAffinity: {} },
            initContainers: [
              { name: 'init', image: 'busybox:1.36', command: ['true'] },
            ],
            containers: [
              {
                name: 'podinfo',
                image: 'ghcr.io/stefanprodan/podinfo:6.7.0',
                command: ['./podinfo'],
                env: [{ name: 'A', value: 'b' }],
                envFrom: [{ configMapRef: { name: 'podinfo-env' } }],
                resources: { requests: { cpu: '100m' } },
                livenessProbe: { httpGet: { path: '/healthz', port: 9898 } },
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
      status: {
        replicas: 2,
        readyReplicas: 2,
        updatedReplicas: 2,
        conditions: [{ type: 'Available', status: 'True' }],
      },
    };
    expect(projectObject(deployment)).toEqual({
      kind: 'Deployment',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        resourceVersion: '7',
        labels: { app: 'podinfo' },
      },
      spec: {
        replicas: 2,
        template: {
          metadata: {
            labels: { app: 'podinfo' },
            annotations: { 'prometheus.io/scrape': 'true' },
          },
          spec: {
            serviceAccountName: 'podinfo',
            initContainers: [{ name: 'init', image: 'busybox:1.36' }],
            containers: [
              {
                name: 'podinfo',
                image: 'ghcr.io/stefanprodan/podinfo:6.7.0',
                env: [{ name: 'A', value: 'b' }],
                envFrom: [{ configMapRef: { name: 'podinfo-env' } }],
                resources: { requests: { cpu: '100m' } },
              },
            ],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 2 },
    });
  });

  it('keeps what Flux readiness, sources and actions read', () => {
    const helmRelease: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: 'podinfo',
        namespace: 'podinfo',
        uid: 'u',
        resourceVersion: '9',
        generation: 4,
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' },
        annotations: { 'reconcile.fluxcd.io/requestedAt': 'now' },
      },
      spec: {
        interval: '5m',
        suspend: false,
        chart: {
          spec: {
            chart: 'podinfo',
            version: '6.x',
            sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
          },
        },
        values: { replicaCount: 2, ingress: { enabled: true } },
      },
      status: {
        observedGeneration: 4,
        lastAttemptedRevision: '6.7.0',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'UpgradeSucceeded',
            message: 'Helm upgrade succeeded',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            observedGeneration: 4,
          },
        ],
        history: [
          {
            status: 'deployed',
            chartVersion: '6.7.0',
            chartName: 'podinfo',
            lastDeployed: '2026-01-01T00:00:00Z',
            digest: 'sha256:abc',
          },
        ],
      },
    };
    expect(projectObject(helmRelease)).toEqual({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: 'podinfo',
        namespace: 'podinfo',
        resourceVersion: '9',
        generation: 4,
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' },
      },
      spec: {
        suspend: false,
        chart: {
          spec: { sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
        },
      },
      status: {
        observedGeneration: 4,
        lastAttemptedRevision: '6.7.0',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'UpgradeSucceeded',
            message: 'Helm upgrade succeeded',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
        history: [
          {
            status: 'deployed',
            chartVersion: '6.7.0',
            lastDeployed: '2026-01-01T00:00:00Z',
          },
        ],
      },
    });
  });

  it('keeps the Flagger-generated objects owner references as kind and name', () => {
    const vs: KubeObject = {
      kind: 'VirtualService',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        labels: { app: 'podinfo' },
        ownerReferences: [
          {
            apiVersion: 'flagger.app/v1beta1',
            kind: 'Canary',
            name: 'podinfo',
            uid: 'u',
            controller: true,
          },
        ],
      },
      spec: {
        hosts: ['podinfo'],
        http: [
          {
            match: [{ headers: { x: { exact: 'y' } } }],
            retries: { attempts: 3 },
            route: [
              { destination: { host: 'podinfo-primary' }, weight: 90 },
              { destination: { host: 'podinfo-canary' }, weight: 10 },
            ],
          },
        ],
      },
    };
    expect(projectObject(vs)).toEqual({
      kind: 'VirtualService',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        ownerReferences: [{ kind: 'Canary', name: 'podinfo' }],
      },
      spec: {
        hosts: ['podinfo'],
        http: [
          {
            // The conditions are shown in words.
            match: [{ headers: { x: { exact: 'y' } } }],
            route: [
              { destination: { host: 'podinfo-primary' }, weight: 90 },
              { destination: { host: 'podinfo-canary' }, weight: 10 },
            ],
          },
        ],
      },
    });
  });

  it('never keeps the credentials of a MetricTemplate (only the name of its Secret) or an AlertProvider', () => {
    const template = projectObject({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: { name: 'latency', namespace: 'flagger', uid: 'u' },
      spec: {
        provider: {
          type: 'datadog',
          address: 'https://api.datadoghq.eu',
          secretRef: { name: 'datadog' },
          insecureSkipVerify: true,
        },
        query: 'avg:trace.http.request.duration{*}',
      },
    });
    expect(template).toEqual({
      kind: 'MetricTemplate',
      metadata: { name: 'latency', namespace: 'flagger' },
      spec: {
        // The evaluator says that such a provider needs credentials it does not read.
        provider: {
          type: 'datadog',
          address: 'https://api.datadoghq.eu',
          secretRef: { name: 'datadog' },
          insecureSkipVerify: true,
        },
        query: 'avg:trace.http.request.duration{*}',
      },
    });
    const provider = projectObject({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'AlertProvider',
      metadata: { name: 'on-call', namespace: 'flagger' },
      spec: {
        type: 'slack',
        channel: 'on-call-alerts',
        username: 'flagger',
        address: 'https://hooks.slack.com/services/YOUR/SLACK/WEBHOOK',
        proxy: 'http://my-http-proxy.com',
        secretRef: { name: 'on-call-url' },
      },
    });
    expect(provider).toEqual({
      kind: 'AlertProvider',
      metadata: { name: 'on-call', namespace: 'flagger' },
      spec: { type: 'slack', channel: 'on-call-alerts', username: 'flagger' },
    });
  });

  it('keeps only the counters and the pod template fields of a DaemonSet', () => {
    const daemonSet = projectObject({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'podinfo-ds', namespace: 'test', generation: 2 },
      spec: {
        selector: { matchLabels: { app: 'podinfo-ds' } },
        template: {
          metadata: { labels: { app: 'podinfo-ds' } },
          spec: { containers: [{ name: 'p', image: 'podinfo:6.0.1' }] },
        },
      },
      status: {
        currentNumberScheduled: 3,
        desiredNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 1,
        observedGeneration: 2,
      },
    });
    expect(daemonSet).toEqual({
      kind: 'DaemonSet',
      metadata: { name: 'podinfo-ds', namespace: 'test' },
      spec: {
        template: {
          metadata: { labels: { app: 'podinfo-ds' } },
          spec: { containers: [{ name: 'p', image: 'podinfo:6.0.1' }] },
        },
      },
      status: {
        desiredNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 1,
      },
    });
  });

  it('keeps a value that is not the expected record or list as it is', () => {
    const canary: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'odd', namespace: 'test', labels: 'x' as any },
      spec: { targetRef: 'podinfo', analysis: { webhooks: {} } },
      status: ['Progressing'],
    };
    expect(projectObject(canary)).toEqual(canary);
    const entries: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'odd', namespace: 'test' },
      spec: { analysis: { webhooks: [null, 'hook', 5, { name: 'a' }] } },
    };
    expect(projectObject(entries)).toEqual(entries);
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [
      null,
      undefined,
      'Canary',
      42,
      [],
      [{ kind: 'Canary' }],
      {},
      { kind: 5 },
      { kind: 'Canary', metadata: 'x', spec: 5, status: null },
      { kind: 'Canary', metadata: [], spec: [], status: [] },
      { kind: 'Deployment', spec: { template: { spec: { containers: 'x' } } } },
      { kind: 'HelmRelease', status: { history: {}, conditions: 'Ready' } },
      { kind: 'Sidecar', spec: { egress: [null, { hosts: 'x' }] } },
      { kind: 'AuthorizationPolicy', spec: { rules: {} } },
      { kind: 'Event', involvedObject: 'Canary', metadata: null },
      { kind: 'toString' },
      { kind: '__proto__' },
      { kind: 'Rollout', metadata: 'x' },
      { kind: 'Rollout', metadata: { annotations: 'x' } },
    ];
    for (const value of odd) {
      expect(() => projectObject(value as KubeObject)).not.toThrow();
      expect(() => projectEvent(value as KubeEvent)).not.toThrow();
    }
  });

  it('keeps everything of an unknown kind but managed fields and the last-applied annotation', () => {
    const rollout: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'r',
        namespace: 'test',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}',
          team: 'a',
        },
        managedFields: [{ manager: 'kubectl' }],
      } as KubeObject['metadata'],
      spec: { strategy: { canary: {} } },
    };
    expect(projectObject(rollout)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r', namespace: 'test', annotations: { team: 'a' } },
      spec: { strategy: { canary: {} } },
    });
    expect(rollout.metadata).toHaveProperty('managedFields');
  });

  it('gives the same object when projecting twice, and does not change its input', () => {
    const canary = loadFixture('flagger-canary-failed.yaml');
    const before = clone(canary);
    const once = projectObject(canary);
    expect(canary).toEqual(before);
    // A projected object is taken as it is (a list page's objects reach the store projected).
    expect(projectObject(once)).toBe(once);
    expect(projectObject(clone(once))).toEqual(once);
    // The mark is invisible to keys, spreading and JSON.
    expect(Object.keys(once)).toEqual(Object.keys(clone(once)));
    expect({ ...once }).toEqual(clone(once));
  });

  it('keeps what the event history reads of an event', () => {
    const [event] = loadEvents('podinfo.success');
    expect(projectEvent(event)).toEqual({
      kind: 'Event',
      metadata: { name: event.metadata?.name, namespace: 'test' },
      involvedObject: { kind: 'Canary', name: 'podinfo', namespace: 'test' },
      reason: event.reason,
      type: event.type,
      message: event.message,
      count: event.count,
      firstTimestamp: event.firstTimestamp,
      lastTimestamp: event.lastTimestamp,
    });
  });
});

describe('capped text', () => {
  const bytes = (text: unknown) => Buffer.byteLength(String(text), 'utf8');
  const markerOf = (text: unknown) =>
    /… \[cut: (\d+) bytes\]$/.exec(String(text));

  it("cuts a 300 KB event message to Kubernetes' 1 KiB note cap, marking what was cut", () => {
    const [event] = loadEvents('podinfo.success');
    const message = `Halt advancement ${'x'.repeat(300 * 1024)}`;
    const projected = projectEvent({ ...event, message });
    const marker = markerOf(projected.message);
    expect(marker).not.toBeNull();
    const kept = String(projected.message).slice(0, marker!.index);
    expect(bytes(kept)).toBe(MAX_TEXT_BYTES);
    expect(message.startsWith(kept)).toBe(true);
    expect(Number(marker![1])).toBe(bytes(message) - MAX_TEXT_BYTES);
  });

  it('keeps a message of exactly 1 KiB, and one just over it is cut by the extra bytes', () => {
    const exact = 'a'.repeat(MAX_TEXT_BYTES);
    expect(capText(exact)).toBe(exact);
    expect(capText(`${exact}bc`)).toBe(`${exact}${cutMarker(2)}`);
  });

  it('never splits a character: the cut backs off to its first byte', () => {
    // 'é' is two UTF-8 bytes: 1,023 ASCII bytes leave it no room before the cap.
    const text = `${'a'.repeat(MAX_TEXT_BYTES - 1)}é${'€'.repeat(10)}`;
    const capped = String(capText(text));
    const kept = capped.slice(0, markerOf(capped)!.index);
    expect(kept).toBe('a'.repeat(MAX_TEXT_BYTES - 1));
    expect(markerOf(capped)![1]).toBe(
      String(bytes(text) - (MAX_TEXT_BYTES - 1)),
    );
    expect(capped).not.toContain('\ufffd');
  });

  it('caps the condition messages of canaries and Flux objects, and keeps the other fields', () => {
    const long = 'failed: '.concat('y'.repeat(300 * 1024));
    const canary = loadFixture('flagger-canary-progressing.yaml');
    const withLong = clone(canary) as any;
    withLong.status.conditions = [
      {
        type: 'Promoted',
        status: 'Unknown',
        reason: 'Progressing',
        message: long,
      },
    ];
    const projectedCanary = projectObject(withLong) as any;
    expect(bytes(projectedCanary.status.conditions[0].message)).toBeLessThan(
      MAX_TEXT_BYTES + 40,
    );
    expect(projectedCanary.status.conditions[0].type).toBe('Promoted');
    const kustomization = projectObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'BuildFailed',
            message: long,
          },
        ],
      },
    }) as any;
    const condition = kustomization.status.conditions[0];
    expect(condition).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'BuildFailed',
      message: expect.stringMatching(/… \[cut: \d+ bytes\]$/),
    });
  });

  it('keeps anything that is not a string as it is', () => {
    expect(capText(42)).toBe(42);
    expect(capText(undefined)).toBeUndefined();
  });
});
