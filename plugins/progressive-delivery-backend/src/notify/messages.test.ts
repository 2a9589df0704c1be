import {
  deliveryLink,
  describeFailedCheck,
  NOTIFICATION_TOPICS,
  notificationPayload,
} from './messages';
import { RolloutTransition } from './transitions';

const BASE = 'https://backstage.example.com';
const ENTITY = 'component:default/podinfo';

const transition = (
  overrides: Partial<RolloutTransition> = {},
): RolloutTransition => ({
  kind: 'gate-waiting',
  cluster: 'prod-eu-1',
  namespace: 'tenant-a',
  canary: 'podinfo',
  revision: '5c8d4f7b9d',
  transition: 'gate-waiting:promotion-gate',
  gate: { name: 'promotion-gate', type: 'confirm-promotion' },
  canaryWeight: 0,
  failedChecks: 0,
  phase: 'WaitingPromotion',
  ...overrides,
});

describe('deliveryLink', () => {
  it('points at the Delivery tab, focused on the canary and its approve button', () => {
    expect(deliveryLink(BASE, ENTITY, transition(), 'approve')).toBe(
      'https://backstage.example.com/catalog/default/component/podinfo/delivery?cluster=prod-eu-1&canary=tenant-a/podinfo&action=approve',
    );
    const url = new URL(deliveryLink(BASE, ENTITY, transition(), 'approve'));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cluster: 'prod-eu-1',
      canary: 'tenant-a/podinfo',
      action: 'approve',
    });
  });

  it('lower-cases the kind, encodes the parts and is relative without a base URL', () => {
    expect(
      deliveryLink(
        '',
        'Component:team x/pod info',
        transition({ cluster: 'a&b', namespace: 'ns', canary: 'c?d' }),
      ),
    ).toBe(
      '/catalog/team%20x/component/pod%20info/delivery?cluster=a%26b&canary=ns/c%3Fd',
    );
  });
});

describe('describeFailedCheck', () => {
  it('names the check, its value and the bound it broke, as the Delivery tab does', () => {
    expect(
      describeFailedCheck({
        metric: 'request-success-rate',
        unit: 'percent',
        value: 84.7,
        range: { min: 95 },
        at: '2026-08-10T09:14:00Z',
      }),
    ).toBe('request-success-rate 84.7 % < 95 %');
    expect(
      describeFailedCheck({
        metric: 'request-duration',
        unit: 'milliseconds',
        value: 2181,
        range: { max: 500 },
        at: '2026-08-10T09:14:00Z',
      }),
    ).toBe('request-duration 2181 ms > 500 ms');
    // Never "99 % < 99 %".
    expect(
      describeFailedCheck({
        metric: 'request-success-rate',
        unit: 'percent',
        value: 98.996,
        range: { min: 99 },
        at: '2026-08-10T09:14:00Z',
      }),
    ).toBe('request-success-rate 98.996 % < 99 %');
  });

  it('names a failing fault once, and a missing value', () => {
    expect(
      describeFailedCheck({
        metric: 'error-rate',
        range: { max: 1 },
        at: '2026-08-10T09:14:00Z',
        fault: {
          kind: 'no-values',
          message: 'error-rate: no values found for the canary',
        },
      }),
    ).toBe('error-rate: no values found for the canary');
    expect(
      describeFailedCheck({
        metric: 'error-rate',
        range: { max: 1 },
        at: '2026-08-10T09:14:00Z',
      }),
    ).toBe('error-rate failed (no value recorded)');
  });
});

describe('notificationPayload', () => {
  it('asks the owners to approve a promotion, with a link to the approve button', () => {
    expect(
      notificationPayload(transition(), {
        entityRef: ENTITY,
        appBaseUrl: BASE,
      }),
    ).toEqual({
      title: 'podinfo waits for promotion approval (prod-eu-1)',
      description:
        'Revision 5c8d4f7b9d of canary tenant-a/podinfo in prod-eu-1 passed its analysis and waits at the gate promotion-gate (confirm-promotion) to be promoted. Approve it on the Delivery tab.',
      link: 'https://backstage.example.com/catalog/default/component/podinfo/delivery?cluster=prod-eu-1&canary=tenant-a/podinfo&action=approve',
      severity: 'normal',
      topic: 'progressive-delivery:gate-waiting',
      scope:
        'progressive-delivery:rollout:prod-eu-1/tenant-a/podinfo@5c8d4f7b9d',
      metadata: {
        entityRef: ENTITY,
        cluster: 'prod-eu-1',
        namespace: 'tenant-a',
        canary: 'podinfo',
        revision: '5c8d4f7b9d',
        transition: 'gate-waiting:promotion-gate',
      },
    });
  });

  it('words the rollout and traffic-increase gates', () => {
    const rollout = notificationPayload(
      transition({
        transition: 'gate-waiting:ask',
        gate: { name: 'ask', type: 'confirm-rollout' },
      }),
      { entityRef: ENTITY, appBaseUrl: BASE },
    );
    expect(rollout.title).toBe(
      'podinfo waits for approval to start its rollout (prod-eu-1)',
    );
    const traffic = notificationPayload(
      transition({
        transition: 'gate-waiting:traffic@10',
        gate: { name: 'traffic', type: 'confirm-traffic-increase' },
        canaryWeight: 10,
      }),
      { entityRef: ENTITY, appBaseUrl: BASE },
    );
    expect(traffic.title).toBe(
      'podinfo waits for approval to increase traffic (prod-eu-1)',
    );
    expect(traffic.description).toContain('serves 10 % of traffic');
    expect(traffic.link).toContain('&action=approve');
  });

  it('names the failing check of a rolled back rollout, with high severity', () => {
    const payload = notificationPayload(
      transition({
        kind: 'failed',
        transition: 'failed',
        gate: undefined,
        canaryWeight: 0,
        failureReason:
          'Rolling back podinfo.tenant-a failed checks threshold reached 5',
      }),
      {
        entityRef: ENTITY,
        appBaseUrl: BASE,
        failure: {
          metric: 'request-success-rate',
          unit: 'percent',
          value: 84.7,
          range: { min: 95 },
          canaryWeight: 20,
          at: '2026-08-10T09:14:00Z',
        },
      },
    );
    expect(payload).toMatchObject({
      title: 'podinfo rolled back (prod-eu-1)',
      description:
        'The revision 5c8d4f7b9d of canary tenant-a/podinfo in prod-eu-1 failed and was rolled back: request-success-rate 84.7 % < 95 % at 20 % of traffic.',
      link: 'https://backstage.example.com/catalog/default/component/podinfo/delivery?cluster=prod-eu-1&canary=tenant-a/podinfo',
      severity: 'high',
      topic: NOTIFICATION_TOPICS.failed,
      scope:
        'progressive-delivery:rollout:prod-eu-1/tenant-a/podinfo@5c8d4f7b9d',
    });
  });

  it("falls back to Flagger's reason, and says when there is none", () => {
    const failed = transition({
      kind: 'failed',
      transition: 'failed',
      gate: undefined,
      failureReason:
        'Rolling back podinfo.tenant-a failed checks threshold reached 5 (last failed check: Halt podinfo.tenant-a advancement success rate 84.70% < 95%)',
    });
    expect(
      notificationPayload(failed, { entityRef: ENTITY, appBaseUrl: BASE })
        .description,
    ).toBe(
      'The revision 5c8d4f7b9d of canary tenant-a/podinfo in prod-eu-1 failed and was rolled back: Rolling back podinfo.tenant-a failed checks threshold reached 5 (last failed check: Halt podinfo.tenant-a advancement success rate 84.70% < 95%).',
    );
    expect(
      notificationPayload(
        { ...failed, failureReason: undefined },
        { entityRef: ENTITY, appBaseUrl: BASE },
      ).description,
    ).toContain("rolled back: Flagger's events give no reason.");
  });

  it('says a failed promotion was not rolled back', () => {
    const payload = notificationPayload(
      transition({
        kind: 'failed',
        transition: 'failed',
        gate: undefined,
        promotionFailed: true,
        failureReason:
          'Promotion of podinfo.tenant-a failed, primary not ready: timeout',
      }),
      { entityRef: ENTITY, appBaseUrl: BASE },
    );
    expect(payload.title).toBe('podinfo promotion failed (prod-eu-1)');
    expect(payload.description).toBe(
      'The promotion of revision 5c8d4f7b9d of canary tenant-a/podinfo in prod-eu-1 failed: Promotion of podinfo.tenant-a failed, primary not ready: timeout. The canary keeps serving its traffic (not rolled back).',
    );
  });

  it('tells of a promotion with low severity', () => {
    const payload = notificationPayload(
      transition({
        kind: 'succeeded',
        transition: 'succeeded',
        gate: undefined,
      }),
      { entityRef: ENTITY, appBaseUrl: BASE },
    );
    expect(payload).toMatchObject({
      title: 'podinfo promoted (prod-eu-1)',
      description:
        'The revision 5c8d4f7b9d of canary tenant-a/podinfo in prod-eu-1 passed its analysis and was promoted.',
      severity: 'low',
      topic: 'progressive-delivery:rollout-succeeded',
    });
    expect(payload.link).not.toContain('action=');
  });
});
