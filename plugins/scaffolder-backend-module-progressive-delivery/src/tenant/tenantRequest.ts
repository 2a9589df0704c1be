import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { QUOTA_LIMITS, QuotaValues, resolveQuota } from './quotas';

/** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
export const DNS_1123_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_1123_LABEL_MESSAGE =
  "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";

/**
 * The new-tenant form's values. Written against the zod instance the scaffolder hands to actions, so
 * the same schema documents the action input and validates it again on the server.
 */
export function tenantInputSchema(zImpl: typeof z) {
  return zImpl.object({
    tenantName: labelSchema(zImpl, 'Tenant name; also the namespace name'),
    owner: zImpl
      .string({ description: 'Owning group, as an entity reference' })
      .regex(
        /^(group:)?([a-z0-9][a-z0-9._-]*\/)?[a-zA-Z0-9][a-zA-Z0-9._-]*$/,
        'must be a group entity reference such as group:default/team-a',
      ),
    clusters: zImpl
      .array(labelSchema(zImpl, 'Cluster (overlay) name'), {
        description: 'Clusters (overlays) the tenant is deployed to',
      })
      .min(1, 'must name at least one cluster'),
    profile: zImpl.enum(['production', 'development'], {
      description: 'Canary analysis profile',
    }),
    quota: quotaSchema(zImpl),
    network: zImpl
      .object({
        metricsNamespaces: zImpl
          .array(labelSchema(zImpl, 'Namespace allowed to scrape metrics'))
          .default(['monitoring']),
        allowEgress: zImpl
          .boolean({
            description: 'Allow egress HTTP/HTTPS through the mesh',
          })
          .default(true),
      })
      .default({}),
    slackChannel: zImpl
      .string({ description: 'Slack channel for Flux alerts' })
      .regex(
        /^#?[a-z0-9][a-z0-9._-]{0,79}$/,
        'must be a Slack channel name such as #team-a-alerts',
      ),
    application: applicationSchema(zImpl),
  });
}

function labelSchema(zImpl: typeof z, description: string, max = 63) {
  return zImpl
    .string({ description })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(new RegExp(DNS_1123_LABEL_PATTERN), DNS_1123_LABEL_MESSAGE);
}

function quotaSchema(zImpl: typeof z) {
  const limit = (key: keyof QuotaValues, description: string) =>
    zImpl
      .number({ description })
      .int('must be a whole number')
      .min(QUOTA_LIMITS[key].min, `must be at least ${QUOTA_LIMITS[key].min}`)
      .max(QUOTA_LIMITS[key].max, `must be at most ${QUOTA_LIMITS[key].max}`)
      .optional();
  return zImpl
    .object({
      tier: zImpl.enum(['small', 'standard', 'large', 'custom'], {
        description: 'Quota tier; custom takes the values below',
      }),
      cpu: limit('cpu', 'CPU cores (custom tier)'),
      memoryGi: limit('memoryGi', 'Memory in GiB (custom tier)'),
      pods: limit('pods', 'Pods (custom tier)'),
      persistentVolumeClaims: limit(
        'persistentVolumeClaims',
        'PersistentVolumeClaims (custom tier)',
      ),
      services: limit('services', 'Services (custom tier)'),
    })
    .default({ tier: 'standard' });
}

function applicationSchema(zImpl: typeof z) {
  return zImpl
    .object(
      {
        name: labelSchema(
          zImpl,
          'Application (Deployment) name',
          53,
        ).optional(),
        port: zImpl
          .number({ description: 'Service port' })
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(65535, 'must be at most 65535')
          .optional(),
      },
      {
        description:
          'First application to put under canary; none when the name is empty',
      },
    )
    .optional();
}

export type TenantInput = z.input<ReturnType<typeof tenantInputSchema>>;

/** A validated request with every default applied. */
export interface TenantRequest {
  tenantName: string;
  /** The full entity reference, `group:<namespace>/<name>`. */
  owner: string;
  /** The owning group's name, used as the RBAC group subject. */
  ownerGroup: string;
  clusters: string[];
  profile: 'production' | 'development';
  quota: QuotaValues & { tier: string };
  network: { metricsNamespaces: string[]; allowEgress: boolean };
  /** Without the leading `#`. */
  slackChannel: string;
  application?: { name: string; port: number };
}

/**
 * Validates the form's values again on the server, against the schema and against the platform's
 * configuration. Every problem names its field.
 */
export function parseTenantRequest(
  input: unknown,
  settings: TenantTemplateSettings,
): TenantRequest {
  const schema = tenantInputSchema(z).superRefine((value, ctx) => {
    checkClusters(value.clusters, settings, ctx);
    if (value.application?.name && value.application.port === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['application', 'port'],
        message: 'is required when an application is named',
      });
    }
    if (value.quota.tier === 'custom') {
      for (const key of Object.keys(QUOTA_LIMITS) as (keyof QuotaValues)[]) {
        if (value.quota[key] === undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['quota', key],
            message: 'is required for the custom quota tier',
          });
        }
      }
    }
  });
  const value = parseOrThrow(schema, input);
  const ownerName = value.owner.replace(/^group:/, '');
  const ownerGroup = ownerName.includes('/')
    ? ownerName.split('/')[1]
    : ownerName;
  return {
    tenantName: value.tenantName,
    owner: ownerName.includes('/')
      ? `group:${ownerName}`
      : `group:default/${ownerName}`,
    ownerGroup,
    clusters: value.clusters,
    profile: value.profile,
    quota: { tier: value.quota.tier, ...resolveQuota(value.quota) },
    network: value.network,
    slackChannel: value.slackChannel.replace(/^#/, ''),
    application:
      value.application?.name && value.application.port !== undefined
        ? { name: value.application.name, port: value.application.port }
        : undefined,
  };
}

/** The tenant and clusters alone, for the steps that edit the repository's shared files. */
export function parseTenantTarget(
  input: unknown,
  settings: TenantTemplateSettings,
): { tenantName: string; clusters: string[] } {
  const schema = tenantInputSchema(z)
    .pick({ tenantName: true, clusters: true })
    .superRefine((value, ctx) => checkClusters(value.clusters, settings, ctx));
  return parseOrThrow(schema, input);
}

function checkClusters(
  clusters: string[],
  settings: TenantTemplateSettings,
  ctx: z.RefinementCtx,
) {
  const known = settings.layout.clusters;
  const seen = new Set<string>();
  clusters.forEach((cluster, index) => {
    if (!known.includes(cluster)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['clusters', index],
        message: `unknown cluster "${cluster}"; configured clusters are ${known.join(
          ', ',
        )}`,
      });
    }
    if (seen.has(cluster)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['clusters', index],
        message: `cluster "${cluster}" is listed twice`,
      });
    }
    seen.add(cluster);
  });
}

function parseOrThrow<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid tenant request: ${result.error.issues
        .map(issue => `${formatPath(issue.path)}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** `['clusters', 1]` -> `clusters[1]`, `['quota', 'cpu']` -> `quota.cpu`. */
export function formatPath(path: (string | number)[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') {
        return `[${part}]`;
      }
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}
