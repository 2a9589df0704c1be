import { JsonObject } from '@backstage/types';
import { METRIC_TEMPLATE_NAMES } from './metricTemplates';
import { TenantContext } from './TenantContext';

/** `<app>-canary.yaml` in the tenant's `apps/`; none without a first application. */
export function canaryFileName(t: TenantContext): string | undefined {
  const app = t.request.application;
  return app ? `${app.name}-canary.yaml` : undefined;
}

/** The first application's Flagger Canary, with the analysis of the request's profile. */
export function renderCanary(t: TenantContext): JsonObject[] {
  const app = t.request.application;
  if (!app) {
    return [];
  }
  const { mesh, profile } = t;
  return [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: t.metadata(app.name),
      spec: {
        targetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: app.name,
        },
        progressDeadlineSeconds: 600,
        service: {
          port: app.port,
          targetPort: app.port,
          gateways: [`${mesh.gateway.namespace}/${mesh.gateway.name}`, 'mesh'],
          ...(mesh.appDomain
            ? { hosts: [`${app.name}.${t.namespace}.${mesh.appDomain}`] }
            : {}),
        },
        analysis: {
          interval: profile.interval,
          threshold: profile.threshold,
          maxWeight: profile.maxWeight,
          stepWeight: profile.stepWeight,
          metrics: metricChecks(t),
          webhooks: webhooks(t, app),
        },
      },
    },
  ];
}

function metricChecks({ namespace, profile }: TenantContext): JsonObject[] {
  const check = (
    name: string,
    template: string,
    thresholdRange: JsonObject,
  ) => ({
    name,
    templateRef: { name: template, namespace },
    thresholdRange,
    interval: '1m',
  });
  return [
    check('success-rate', METRIC_TEMPLATE_NAMES.successRate, {
      min: profile.minSuccessRate,
    }),
    check('latency-p99', METRIC_TEMPLATE_NAMES.latencyP99, {
      max: profile.maxLatencyP99Ms,
    }),
    check('error-rate', METRIC_TEMPLATE_NAMES.errorRate, {
      max: profile.maxErrorRate,
    }),
  ];
}

function webhooks(
  { mesh, namespace, profile }: TenantContext,
  app: { name: string; port: number },
): JsonObject[] {
  const loadtester = `http://flagger-loadtester.${mesh.loadtesterNamespace}`;
  const canaryUrl = `http://${app.name}-canary.${namespace}:${app.port}/`;
  const hooks: JsonObject[] = [];
  if (profile.preRolloutLoadTest) {
    hooks.push({
      name: 'load-test-before-rollout',
      type: 'pre-rollout',
      url: `${loadtester}/`,
      timeout: '60s',
      metadata: { type: 'cmd', cmd: `hey -z 30s -q 10 -c 2 ${canaryUrl}` },
    });
  }
  if (profile.confirmPromotion) {
    hooks.push({
      name: 'confirm-promotion',
      type: 'confirm-promotion',
      url: `${loadtester}/gate/check`,
    });
  }
  // Traffic during the analysis, so that the metric checks have requests to measure.
  hooks.push({
    name: 'load-test',
    type: 'rollout',
    url: `${loadtester}/`,
    timeout: '15s',
    metadata: { cmd: `hey -z 1m -q 10 -c 2 ${canaryUrl}` },
  });
  return hooks;
}
