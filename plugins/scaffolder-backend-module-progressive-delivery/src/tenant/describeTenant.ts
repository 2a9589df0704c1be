import { CANARY_PROFILES } from './canaryProfiles';
import { TenantRequest } from './tenantRequest';

/** The branch, title and description of the pull request that onboards a tenant. */
export function describeTenant(
  request: TenantRequest,
  files: { path: string }[],
  overlayFiles: string[],
) {
  const { quota, network } = request;
  const profile = CANARY_PROFILES[request.profile];
  const gates = [
    profile.preRolloutLoadTest ? 'pre-rollout load test' : undefined,
    profile.confirmPromotion ? 'confirm-promotion gate' : undefined,
  ].filter(Boolean);
  const rows: [string, string][] = [
    ['Owner', `\`${request.owner}\``],
    ['Clusters', request.clusters.map(c => `\`${c}\``).join(', ')],
    [
      'Quota',
      `${quota.tier}: ${quota.cpu} CPU, ${quota.memoryGi}Gi memory, ${quota.pods} pods, ${quota.persistentVolumeClaims} PVCs, ${quota.services} services`,
    ],
    [
      'Canary profile',
      `${request.profile}: interval ${profile.interval}, step ${
        profile.stepWeight
      }%, max ${profile.maxWeight}%, threshold ${
        profile.threshold
      }, success rate >= ${profile.minSuccessRate}%, p99 <= ${
        profile.maxLatencyP99Ms
      } ms${gates.length ? `, ${gates.join(', ')}` : ''}`,
    ],
    [
      'Network',
      `metrics scraped from ${network.metricsNamespaces
        .map(n => `\`${n}\``)
        .join(', ')}; egress HTTP/HTTPS ${
        network.allowEgress ? 'allowed' : 'blocked'
      }`,
    ],
    [
      'Alerts',
      `Flux errors to Slack \`#${request.slackChannel}\` (webhook from Secret \`slack-webhook\`)`,
    ],
    [
      'First canary',
      request.application
        ? `\`${request.application.name}\` on port ${request.application.port}`
        : 'none',
    ],
  ];
  const description = [
    `## Onboard tenant \`${request.tenantName}\``,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '### Files',
    ...files.map(f => `- \`${f.path}\``),
    ...overlayFiles.map(f => `- \`${f}\` (adds the tenant)`),
    '',
    "The tenant's namespace needs a Secret `slack-webhook` (key `address`) before alerts reach Slack.",
    'Opened by the Backstage `new-tenant` template.',
  ].join('\n');
  return {
    branchName: `onboard-tenant-${request.tenantName}`,
    title: `Onboard tenant ${request.tenantName}`,
    description,
  };
}
