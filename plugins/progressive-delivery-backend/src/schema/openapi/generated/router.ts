// Generated from src/schema/openapi.yaml by scripts/generate-openapi.mjs; do not edit.

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'progressive-delivery',
    version: '1',
    description:
      'Live delivery state of catalog entities across Kubernetes clusters: Flagger canaries, Flux objects and Istio routing, served from an in-memory watch cache. Field names here are the authority; the TypeScript types live in @progressive-delivery/plugin-progressive-delivery-common.',
    license: {
      name: 'Apache-2.0',
      identifier: 'Apache-2.0',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  components: {
    parameters: {
      kind: {
        name: 'kind',
        in: 'path',
        required: true,
        description: 'Entity kind, e.g. component.',
        schema: {
          type: 'string',
          pattern: '^[A-Za-z][A-Za-z0-9]*$',
          maxLength: 63,
        },
      },
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: 'Entity namespace, e.g. default.',
        schema: {
          type: 'string',
          pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
          maxLength: 63,
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: 'Entity name.',
        schema: {
          type: 'string',
          pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
          maxLength: 253,
        },
      },
      cluster: {
        name: 'cluster',
        in: 'path',
        required: true,
        description: "A configured cluster's name.",
        schema: {
          type: 'string',
          pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
          maxLength: 253,
        },
      },
      objectNamespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: 'The Kubernetes namespace of the object.',
        schema: {
          type: 'string',
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
          maxLength: 63,
        },
      },
      objectName: {
        name: 'name',
        in: 'path',
        required: true,
        description: 'The Kubernetes name of the object.',
        schema: {
          type: 'string',
          pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
          maxLength: 253,
        },
      },
    },
    requestBodies: {
      ActionRequest: {
        required: false,
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/ActionRequest',
            },
          },
        },
      },
    },
    responses: {
      ErrorResponse: {
        description:
          'A Backstage error (400 malformed reference or body, 403 not allowed, 404 unknown entity; 405 with an Allow header for a method the path does not serve, 413 for a body over 64 KiB). Bodies carry no stack trace outside development.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            required: ['name', 'message'],
          },
          request: {
            type: 'object',
            additionalProperties: false,
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
          },
          response: {
            type: 'object',
            additionalProperties: false,
            properties: {
              statusCode: {
                type: 'number',
              },
            },
          },
        },
        required: ['error', 'response'],
      },
      ObjectRef: {
        type: 'object',
        additionalProperties: false,
        properties: {
          cluster: {
            type: 'string',
          },
          kind: {
            type: 'string',
          },
          namespace: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
        },
        required: ['cluster', 'kind', 'namespace', 'name'],
      },
      ObjectProblem: {
        type: 'object',
        additionalProperties: false,
        description: 'A field of an object that could not be read.',
        properties: {
          field: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
        },
        required: ['field', 'message'],
      },
      ClusterError: {
        type: 'object',
        additionalProperties: false,
        description:
          "A failure of one cluster, carried on that cluster's entry.",
        properties: {
          errorType: {
            type: 'string',
            enum: [
              'UNREACHABLE',
              'UNAUTHORIZED',
              'FORBIDDEN',
              'BAD_REQUEST',
              'SERVER_ERROR',
              'UNKNOWN_ERROR',
            ],
          },
          message: {
            type: 'string',
          },
          statusCode: {
            type: 'number',
          },
          kind: {
            type: 'string',
            description: 'The kind whose list or watch failed.',
          },
          verb: {
            type: 'string',
            description: 'list or watch',
          },
        },
        required: ['errorType', 'message'],
      },
      KindSyncStatus: {
        type: 'object',
        additionalProperties: false,
        properties: {
          kind: {
            type: 'string',
          },
          state: {
            type: 'string',
            enum: ['pending', 'synced', 'notInstalled', 'error'],
          },
          objects: {
            type: 'number',
          },
          lastSyncAt: {
            type: 'string',
            format: 'date-time',
          },
          error: {
            $ref: '#/components/schemas/ClusterError',
          },
        },
        required: ['kind', 'state', 'objects'],
      },
      ClusterStatus: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          url: {
            type: 'string',
          },
          state: {
            type: 'string',
            enum: ['pending', 'synced', 'degraded', 'error'],
          },
          kinds: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/KindSyncStatus',
            },
          },
          errors: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ClusterError',
            },
          },
          authProvider: {
            type: 'string',
            description:
              "The Kubernetes plugin's auth provider of the cluster (serviceAccount, azure, aws, googleServiceAccount, localKubectlProxy, aks, google, oidc).",
          },
          oidcTokenProvider: {
            type: 'string',
            description:
              "With authProvider oidc, the frontend's OIDC token provider (kubernetes.io/oidc-token-provider).",
          },
          source: {
            type: 'string',
            enum: [
              'config',
              'catalog',
              'localKubectlProxy',
              'inCluster',
              'gke',
            ],
            description: 'The cluster locator the cluster came from.',
          },
          userDelegatedActions: {
            type: 'boolean',
            description:
              "Actions on this cluster are performed with the user's own cluster token (aks, google, oidc), sent as `Backstage-Kubernetes-Authorization: Bearer <token>` with the action's POST; without it the action is refused with 401.",
          },
        },
        required: ['name', 'url', 'state', 'kinds', 'errors'],
      },
      CanaryStep: {
        type: 'object',
        additionalProperties: false,
        properties: {
          weight: {
            type: 'number',
          },
          kind: {
            type: 'string',
            enum: ['start', 'mirror', 'weight', 'iteration', 'promote'],
          },
          label: {
            type: 'string',
          },
          state: {
            type: 'string',
            enum: ['done', 'current', 'pending'],
          },
        },
        required: ['weight', 'kind', 'label', 'state'],
      },
      CanaryGate: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
            enum: [
              'confirm-rollout',
              'confirm-traffic-increase',
              'confirm-promotion',
              'rollback',
            ],
          },
          url: {
            type: 'string',
          },
          waiting: {
            type: 'boolean',
          },
          description: {
            type: 'string',
          },
        },
        required: ['name', 'type', 'url', 'waiting', 'description'],
      },
      CanaryMetricCheck: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          templateRef: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
              },
              namespace: {
                type: 'string',
              },
            },
            required: ['name'],
          },
          template: {
            type: 'object',
            description:
              "The MetricTemplate templateRef names (its namespace defaults to the canary's), as found in the cluster. Never its secretRef.",
            additionalProperties: false,
            properties: {
              found: {
                type: 'boolean',
              },
              provider: {
                type: 'string',
                description: 'spec.provider.type (prometheus, datadog, ...).',
              },
              address: {
                type: 'string',
              },
              query: {
                type: 'string',
                description:
                  "spec.query, unrendered (with Flagger's template variables).",
              },
            },
            required: ['found'],
          },
          thresholdRange: {
            type: 'object',
            additionalProperties: false,
            properties: {
              min: {
                type: 'number',
              },
              max: {
                type: 'number',
              },
            },
          },
          interval: {
            type: 'string',
          },
        },
        required: ['name'],
      },
      CanaryAlert: {
        type: 'object',
        description:
          "An alert of the canary's analysis with the AlertProvider it names. The provider's address and secret are never exposed.",
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          severity: {
            type: 'string',
            description: 'info, warn or error.',
          },
          providerRef: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
              },
              namespace: {
                type: 'string',
              },
            },
            required: ['name', 'namespace'],
          },
          provider: {
            type: 'object',
            description:
              'The AlertProvider as found in the cluster; absent when it does not exist.',
            additionalProperties: false,
            properties: {
              type: {
                type: 'string',
              },
              channel: {
                type: 'string',
              },
              username: {
                type: 'string',
              },
            },
            required: ['type'],
          },
        },
        required: ['name', 'severity', 'providerRef'],
      },
      CanaryProgress: {
        type: 'object',
        additionalProperties: false,
        properties: {
          phase: {
            type: 'string',
          },
          phaseDescription: {
            type: 'string',
          },
          activity: {
            type: 'string',
            enum: ['idle', 'active', 'waiting', 'succeeded', 'failed'],
          },
          strategy: {
            type: 'string',
            enum: ['canary', 'blueGreen', 'abTesting'],
          },
          mirroring: {
            type: 'boolean',
          },
          canaryWeight: {
            type: 'number',
            description:
              'Traffic to the canary (percent), from the router object (VirtualService or HTTPRoute) when known, else status.canaryWeight.',
          },
          primaryWeight: {
            type: 'number',
          },
          weightSource: {
            type: 'string',
            enum: ['routing', 'status'],
            description:
              'routing when the weights come from the router object; status when no router object is read for the provider, or none exists.',
          },
          provider: {
            type: 'string',
            description:
              'spec.provider (istio, gatewayapi:v1, linkerd, nginx, kubernetes, ...); absent means the mesh default.',
          },
          maxWeight: {
            type: 'number',
          },
          steps: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CanaryStep',
            },
          },
          currentStepIndex: {
            type: 'number',
          },
          iterations: {
            type: 'object',
            additionalProperties: false,
            properties: {
              current: {
                type: 'number',
              },
              total: {
                type: 'number',
              },
            },
            required: ['current', 'total'],
          },
          failedChecks: {
            type: 'number',
          },
          threshold: {
            type: 'number',
          },
          intervalMs: {
            type: 'number',
          },
          remainingMs: {
            type: 'number',
          },
          estimatedCompletionAt: {
            type: 'string',
            format: 'date-time',
          },
          revision: {
            type: 'object',
            additionalProperties: false,
            properties: {
              lastAppliedSpec: {
                type: 'string',
              },
              lastPromotedSpec: {
                type: 'string',
              },
              underAnalysis: {
                type: 'boolean',
              },
            },
            required: ['underAnalysis'],
          },
          lastTransitionTime: {
            type: 'string',
          },
          conditionMessage: {
            type: 'string',
          },
          metrics: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CanaryMetricCheck',
            },
          },
          alerts: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CanaryAlert',
            },
          },
          webhooks: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: {
                  type: 'string',
                },
                type: {
                  type: 'string',
                },
                url: {
                  type: 'string',
                },
              },
              required: ['name', 'type', 'url'],
            },
          },
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CanaryGate',
            },
          },
          skipAnalysis: {
            type: 'boolean',
          },
          suspended: {
            type: 'boolean',
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ObjectProblem',
            },
          },
        },
        required: [
          'phase',
          'phaseDescription',
          'activity',
          'strategy',
          'mirroring',
          'canaryWeight',
          'primaryWeight',
          'weightSource',
          'maxWeight',
          'steps',
          'currentStepIndex',
          'failedChecks',
          'threshold',
          'intervalMs',
          'revision',
          'metrics',
          'alerts',
          'webhooks',
          'gates',
          'skipAnalysis',
          'suspended',
          'problems',
        ],
      },
      CanaryEvent: {
        type: 'object',
        additionalProperties: false,
        properties: {
          type: {
            type: 'string',
            enum: ['Normal', 'Warning'],
          },
          reason: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
          category: {
            type: 'string',
            enum: [
              'initialized',
              'newRevision',
              'started',
              'advance',
              'halt',
              'gateWaiting',
              'gatePassed',
              'promotion',
              'promoted',
              'rollback',
              'failed',
              'notReady',
              'other',
            ],
          },
          timestamp: {
            type: 'string',
          },
          count: {
            type: 'number',
          },
        },
        required: [
          'type',
          'reason',
          'message',
          'category',
          'timestamp',
          'count',
        ],
      },
      IstioRoute: {
        type: 'object',
        description:
          'One route of a VirtualService (HTTP or TCP) or an HTTPRoute rule, with its destinations.',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          protocol: {
            type: 'string',
            enum: ['http', 'tcp'],
          },
          match: {
            type: 'boolean',
            description:
              'True when the route only takes requests that meet matches.',
          },
          matches: {
            type: 'array',
            description:
              'The conditions in words, e.g. "header x-canary = insider".',
            items: {
              type: 'string',
            },
          },
          sticky: {
            type: 'boolean',
            description:
              'Session affinity - the route that keeps requests carrying the sticky cookie on the canary.',
          },
          destinations: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                host: {
                  type: 'string',
                },
                subset: {
                  type: 'string',
                },
                weight: {
                  type: 'number',
                },
                role: {
                  type: 'string',
                  enum: ['primary', 'canary', 'other'],
                },
              },
              required: ['host', 'weight', 'role'],
            },
          },
          mirror: {
            type: 'object',
            additionalProperties: false,
            properties: {
              host: {
                type: 'string',
              },
              percentage: {
                type: 'number',
              },
            },
            required: ['host'],
          },
        },
        required: ['protocol', 'match', 'matches', 'destinations'],
      },
      IstioRouting: {
        type: 'object',
        description:
          'Traffic routing for one canary, from the router object Flagger manages for it (an Istio VirtualService or a Gateway API HTTPRoute), plus the Istio policies that apply to the workload.',
        additionalProperties: false,
        properties: {
          router: {
            type: 'object',
            additionalProperties: false,
            properties: {
              kind: {
                type: 'string',
                enum: ['VirtualService', 'HTTPRoute'],
              },
              apiVersion: {
                type: 'string',
              },
              namespace: {
                type: 'string',
              },
              name: {
                type: 'string',
              },
              hosts: {
                type: 'array',
                description: 'VirtualService hosts, HTTPRoute hostnames.',
                items: {
                  type: 'string',
                },
              },
              gateways: {
                type: 'array',
                description:
                  'VirtualService gateways, HTTPRoute parentRefs as namespace/name.',
                items: {
                  type: 'string',
                },
              },
            },
            required: [
              'kind',
              'apiVersion',
              'namespace',
              'name',
              'hosts',
              'gateways',
            ],
          },
          routes: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/IstioRoute',
            },
          },
          primaryWeight: {
            type: 'number',
            description:
              'The weights of the weighted default route (not an A/B match or a sticky-cookie route).',
          },
          canaryWeight: {
            type: 'number',
          },
          mirrored: {
            type: 'boolean',
          },
          mirrorPercentage: {
            type: 'number',
            description:
              'Share of live requests copied to the canary while mirroring (percent).',
          },
          canaryMatches: {
            type: 'array',
            description:
              'A/B testing - requests meeting these conditions go to the canary, all others stay on the primary.',
            items: {
              type: 'string',
            },
          },
          sessionAffinity: {
            type: 'object',
            additionalProperties: false,
            properties: {
              cookieName: {
                type: 'string',
              },
            },
          },
          destinationRules: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: {
                  type: 'string',
                },
                host: {
                  type: 'string',
                },
                tlsMode: {
                  type: 'string',
                },
              },
              required: ['name', 'host'],
            },
          },
          mtlsMode: {
            type: 'string',
            enum: ['STRICT', 'PERMISSIVE', 'DISABLE'],
          },
          mtlsSource: {
            type: 'string',
            enum: ['workload', 'namespace', 'mesh', 'default'],
          },
          mtlsPortOverrides: {
            type: 'array',
            description:
              'Port-level modes (PeerAuthentication portLevelMtls) that differ from mtlsMode.',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                port: {
                  type: 'number',
                },
                mode: {
                  type: 'string',
                  enum: ['STRICT', 'PERMISSIVE', 'DISABLE'],
                },
              },
              required: ['port', 'mode'],
            },
          },
          policies: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                kind: {
                  type: 'string',
                  enum: [
                    'PeerAuthentication',
                    'AuthorizationPolicy',
                    'Sidecar',
                  ],
                },
                namespace: {
                  type: 'string',
                },
                name: {
                  type: 'string',
                },
                scope: {
                  type: 'string',
                  enum: ['workload', 'namespace', 'mesh'],
                },
                summary: {
                  type: 'string',
                },
              },
              required: ['kind', 'namespace', 'name', 'scope', 'summary'],
            },
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ObjectProblem',
            },
          },
        },
        required: [
          'routes',
          'mirrored',
          'destinationRules',
          'mtlsMode',
          'mtlsSource',
          'policies',
          'problems',
        ],
      },
      AnalysisFault: {
        type: 'object',
        additionalProperties: false,
        description: 'Why a check has no value; shown on that check only.',
        properties: {
          kind: {
            type: 'string',
            enum: [
              'unreachable',
              'forbidden',
              'query',
              'no-values',
              'unsupported',
              'not-rendered',
            ],
          },
          message: {
            type: 'string',
          },
        },
        required: ['kind', 'message'],
      },
      AnalysisPoint: {
        type: 'object',
        additionalProperties: false,
        description:
          'One evaluation of a check, the value Flagger compares (request-success-rate in percent, request-duration in whole milliseconds), for the canary and the primary.',
        properties: {
          at: {
            type: 'string',
            format: 'date-time',
          },
          canary: {
            type: 'number',
          },
          primary: {
            type: 'number',
          },
          verdict: {
            type: 'string',
            enum: ['pass', 'fail'],
          },
          canaryWeight: {
            type: 'number',
          },
          fault: {
            $ref: '#/components/schemas/AnalysisFault',
          },
          primaryFault: {
            $ref: '#/components/schemas/AnalysisFault',
          },
        },
        required: ['at'],
      },
      AnalysisRange: {
        type: 'object',
        additionalProperties: false,
        properties: {
          min: {
            type: 'number',
          },
          max: {
            type: 'number',
          },
        },
      },
      AnalysisCheckEvidence: {
        type: 'object',
        additionalProperties: false,
        properties: {
          metric: {
            type: 'string',
          },
          unit: {
            type: 'string',
            enum: ['percent', 'milliseconds'],
          },
          range: {
            $ref: '#/components/schemas/AnalysisRange',
          },
          query: {
            type: 'object',
            additionalProperties: false,
            properties: {
              canary: {
                type: 'string',
              },
              primary: {
                type: 'string',
              },
            },
            required: ['canary', 'primary'],
          },
          source: {
            type: 'string',
            description:
              'Where the queries go (service proxy address or configured URL, never credentials).',
          },
          latest: {
            $ref: '#/components/schemas/AnalysisPoint',
          },
          points: {
            type: 'array',
            description: 'Points over the rollout, oldest first (bounded).',
            items: {
              $ref: '#/components/schemas/AnalysisPoint',
            },
          },
          fault: {
            $ref: '#/components/schemas/AnalysisFault',
          },
        },
        required: ['metric', 'range', 'points'],
      },
      CanaryAnalysisEvidence: {
        type: 'object',
        additionalProperties: false,
        properties: {
          rolloutId: {
            type: 'string',
          },
          revision: {
            type: 'string',
          },
          evaluating: {
            type: 'boolean',
          },
          intervalMs: {
            type: 'number',
          },
          lastEvaluatedAt: {
            type: 'string',
            format: 'date-time',
          },
          checks: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/AnalysisCheckEvidence',
            },
          },
        },
        required: ['evaluating', 'intervalMs', 'checks'],
      },
      CanaryLink: {
        type: 'object',
        additionalProperties: false,
        properties: {
          kind: {
            type: 'string',
            enum: ['grafana', 'kiali'],
          },
          title: {
            type: 'string',
          },
          url: {
            type: 'string',
          },
        },
        required: ['kind', 'title', 'url'],
      },
      RolloutFailure: {
        type: 'object',
        additionalProperties: false,
        description: 'The check that failed a rollout, as measured.',
        properties: {
          metric: {
            type: 'string',
          },
          unit: {
            type: 'string',
            enum: ['percent', 'milliseconds'],
          },
          value: {
            type: 'number',
          },
          primary: {
            type: 'number',
          },
          range: {
            $ref: '#/components/schemas/AnalysisRange',
          },
          canaryWeight: {
            type: 'number',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          fault: {
            $ref: '#/components/schemas/AnalysisFault',
          },
        },
        required: ['metric', 'range', 'at'],
      },
      RolloutAnalysisResponse: {
        type: 'object',
        additionalProperties: false,
        properties: {
          rolloutId: {
            type: 'string',
          },
          checks: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/AnalysisCheckEvidence',
            },
          },
        },
        required: ['rolloutId', 'checks'],
      },
      ChangeKind: {
        type: 'string',
        description:
          'How an item differs between the promoted revision and the one under analysis.',
        enum: ['added', 'removed', 'changed'],
      },
      FieldChange: {
        type: 'object',
        additionalProperties: false,
        description:
          'A changed field, values as text (a string as is, anything else as compact JSON with sorted keys). No from - added; no to - removed.',
        properties: {
          field: {
            type: 'string',
          },
          change: {
            $ref: '#/components/schemas/ChangeKind',
          },
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
        },
        required: ['field', 'change'],
      },
      EnvVarValue: {
        type: 'object',
        additionalProperties: false,
        description:
          "Where an environment variable's value comes from. A secretKeyRef names the Secret and key only, never its value. Fields by source - value (value), configMapKeyRef and secretKeyRef (name, key, optional), fieldRef (fieldPath), resourceFieldRef (resource, containerName, divisor), other (kinds - the valueFrom field names).",
        properties: {
          source: {
            type: 'string',
            enum: [
              'value',
              'configMapKeyRef',
              'secretKeyRef',
              'fieldRef',
              'resourceFieldRef',
              'other',
            ],
          },
          value: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          key: {
            type: 'string',
          },
          optional: {
            type: 'boolean',
          },
          fieldPath: {
            type: 'string',
          },
          resource: {
            type: 'string',
          },
          containerName: {
            type: 'string',
          },
          divisor: {
            type: 'string',
          },
          kinds: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
        required: ['source'],
      },
      EnvVarChange: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          change: {
            $ref: '#/components/schemas/ChangeKind',
          },
          from: {
            $ref: '#/components/schemas/EnvVarValue',
          },
          to: {
            $ref: '#/components/schemas/EnvVarValue',
          },
        },
        required: ['name', 'change'],
      },
      EnvFromChange: {
        type: 'object',
        additionalProperties: false,
        description: 'An envFrom source added or removed.',
        properties: {
          change: {
            type: 'string',
            enum: ['added', 'removed'],
          },
          kind: {
            type: 'string',
            enum: ['ConfigMap', 'Secret', 'unknown'],
          },
          name: {
            type: 'string',
          },
          prefix: {
            type: 'string',
          },
          optional: {
            type: 'boolean',
          },
        },
        required: ['change', 'kind', 'name'],
      },
      ResourceChange: {
        type: 'object',
        additionalProperties: false,
        description:
          'A changed resource request or limit; quantities compare by value and are shown as written.',
        properties: {
          type: {
            type: 'string',
            enum: ['requests', 'limits'],
          },
          resource: {
            type: 'string',
          },
          change: {
            $ref: '#/components/schemas/ChangeKind',
          },
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
        },
        required: ['type', 'resource', 'change'],
      },
      ContainerChange: {
        type: 'object',
        additionalProperties: false,
        description:
          'A container (or init container) that differs; for an added or removed one only the image.',
        properties: {
          name: {
            type: 'string',
          },
          init: {
            type: 'boolean',
          },
          change: {
            $ref: '#/components/schemas/ChangeKind',
          },
          image: {
            type: 'object',
            additionalProperties: false,
            properties: {
              from: {
                type: 'string',
              },
              to: {
                type: 'string',
              },
            },
          },
          env: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/EnvVarChange',
            },
          },
          envFrom: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/EnvFromChange',
            },
          },
          resources: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ResourceChange',
            },
          },
          fields: {
            type: 'array',
            description: 'Other container fields.',
            items: {
              $ref: '#/components/schemas/FieldChange',
            },
          },
        },
        required: [
          'name',
          'init',
          'change',
          'env',
          'envFrom',
          'resources',
          'fields',
        ],
      },
      TrackedConfigChange: {
        type: 'object',
        additionalProperties: false,
        description:
          "A ConfigMap or Secret Flagger tracks (status.trackedConfigs), with Flagger's checksums of its data; never a value. unknown - tracked by both revisions, the promoted one's checksum was not recorded.",
        properties: {
          kind: {
            type: 'string',
            enum: ['ConfigMap', 'Secret'],
          },
          name: {
            type: 'string',
          },
          change: {
            type: 'string',
            enum: ['added', 'removed', 'changed', 'unchanged', 'unknown'],
          },
          fromChecksum: {
            type: 'string',
          },
          toChecksum: {
            type: 'string',
          },
        },
        required: ['kind', 'name', 'change'],
      },
      RolloutSourceChange: {
        type: 'object',
        additionalProperties: false,
        description:
          "The Flux source revisions behind a rollout, and a link to the forge's compare view when the source is a GitRepository on GitHub or GitLab.",
        properties: {
          kind: {
            type: 'string',
          },
          namespace: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          url: {
            type: 'string',
            description: 'spec.url without credentials.',
          },
          fromRevision: {
            type: 'string',
            description:
              'The Flux revision when the previous rollout was promoted.',
          },
          toRevision: {
            type: 'string',
            description: 'The Flux revision now.',
          },
          hostKind: {
            type: 'string',
            enum: ['github', 'gitlab'],
          },
          fromCommit: {
            type: 'string',
          },
          toCommit: {
            type: 'string',
          },
          compareUrl: {
            type: 'string',
          },
          reason: {
            type: 'string',
            description: 'Why there is no compareUrl.',
          },
        },
      },
      RolloutChanges: {
        type: 'object',
        additionalProperties: false,
        description:
          "What differs between the promoted revision (<target>-primary) and the one under analysis (the target), Flagger's own rewrites of the primary undone. The backend compares container images, env, envFrom and resources, and the pod template's labels, annotations, volumes and service account; secret values never appear. In a canary's state only while the primary still runs the promoted revision (phases Waiting, Progressing, WaitingPromotion, Failed); in a rollout record as recorded while the rollout ran.",
        properties: {
          containers: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ContainerChange',
            },
          },
          podTemplate: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FieldChange',
            },
          },
          configs: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/TrackedConfigChange',
            },
          },
          configsBasis: {
            type: 'string',
            enum: ['previousRollout', 'status'],
            description:
              "previousRollout - checksums compared with the promoted rollout's; status - only the canary's current checksums were known.",
          },
          source: {
            $ref: '#/components/schemas/RolloutSourceChange',
          },
          notes: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ObjectProblem',
            },
          },
        },
        required: [
          'containers',
          'podTemplate',
          'configs',
          'configsBasis',
          'notes',
          'problems',
        ],
      },
      CanaryState: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ref: {
            $ref: '#/components/schemas/ObjectRef',
          },
          target: {
            type: 'object',
            additionalProperties: false,
            properties: {
              kind: {
                type: 'string',
              },
              name: {
                type: 'string',
              },
            },
            required: ['kind', 'name'],
          },
          progress: {
            $ref: '#/components/schemas/CanaryProgress',
          },
          fluxOwner: {
            $ref: '#/components/schemas/ObjectRef',
          },
          routing: {
            $ref: '#/components/schemas/IstioRouting',
          },
          events: {
            type: 'array',
            description: 'Flagger events of the current rollout, newest first.',
            items: {
              $ref: '#/components/schemas/CanaryEvent',
            },
          },
          analysis: {
            $ref: '#/components/schemas/CanaryAnalysisEvidence',
          },
          links: {
            type: 'array',
            description:
              'Dashboards for this canary, from URL templates configured for its cluster.',
            items: {
              $ref: '#/components/schemas/CanaryLink',
            },
          },
          changes: {
            $ref: '#/components/schemas/RolloutChanges',
          },
        },
        required: ['ref', 'progress', 'events'],
      },
      FluxReadiness: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: {
            type: 'string',
            enum: [
              'ready',
              'progressing',
              'failed',
              'stalled',
              'suspended',
              'unknown',
            ],
          },
          ready: {
            type: 'string',
            enum: ['True', 'False', 'Unknown'],
          },
          readyReason: {
            type: 'string',
          },
          readyMessage: {
            type: 'string',
          },
          healthy: {
            type: 'string',
            enum: ['True', 'False', 'Unknown'],
          },
          healthCheckFailure: {
            type: 'string',
          },
          stalled: {
            type: 'boolean',
          },
          stalledMessage: {
            type: 'string',
          },
          reconciling: {
            type: 'boolean',
          },
          suspended: {
            type: 'boolean',
          },
          appliedRevision: {
            type: 'string',
          },
          attemptedRevision: {
            type: 'string',
          },
          originRevision: {
            type: 'string',
            description:
              "The Git commit behind an OCI artifact, when the artifact carries it (org.opencontainers.image.revision, or a Kustomization's lastAppliedOriginRevision).",
          },
          revisionPending: {
            type: 'boolean',
          },
          stale: {
            type: 'boolean',
          },
          lastReconciledAt: {
            type: 'string',
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ObjectProblem',
            },
          },
        },
        required: [
          'status',
          'stalled',
          'reconciling',
          'suspended',
          'revisionPending',
          'stale',
          'problems',
        ],
      },
      FluxResource: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ref: {
            $ref: '#/components/schemas/ObjectRef',
          },
          apiVersion: {
            type: 'string',
          },
          sourceRef: {
            $ref: '#/components/schemas/ObjectRef',
          },
          chartRef: {
            $ref: '#/components/schemas/ObjectRef',
          },
          url: {
            type: 'string',
          },
          readiness: {
            $ref: '#/components/schemas/FluxReadiness',
          },
        },
        required: ['ref', 'apiVersion', 'readiness'],
      },
      WorkloadSummary: {
        type: 'object',
        description:
          "A Deployment or DaemonSet (replicas are a DaemonSet's desired, ready and updated scheduled pods).",
        additionalProperties: false,
        properties: {
          ref: {
            $ref: '#/components/schemas/ObjectRef',
          },
          replicas: {
            type: 'number',
          },
          readyReplicas: {
            type: 'number',
          },
          updatedReplicas: {
            type: 'number',
          },
          images: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
        required: ['ref', 'images'],
      },
      ClusterDeliveryState: {
        type: 'object',
        additionalProperties: false,
        properties: {
          cluster: {
            type: 'string',
          },
          state: {
            type: 'string',
            enum: ['pending', 'synced', 'degraded', 'error'],
          },
          errors: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ClusterError',
            },
          },
          notInstalled: {
            type: 'array',
            description: 'Kinds whose CRD is not installed in this cluster.',
            items: {
              type: 'string',
            },
          },
          canaries: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CanaryState',
            },
          },
          workloads: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/WorkloadSummary',
            },
          },
          flux: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FluxResource',
            },
          },
        },
        required: [
          'cluster',
          'state',
          'errors',
          'notInstalled',
          'canaries',
          'workloads',
          'flux',
        ],
      },
      EntityDeliveryState: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
          },
          generatedAt: {
            type: 'string',
            format: 'date-time',
          },
          explanation: {
            type: 'object',
            additionalProperties: false,
            description:
              'Why nothing (or not everything) could be resolved, for the UI to show.',
            properties: {
              reason: {
                type: 'string',
                enum: ['noAnnotations', 'invalidAnnotations', 'noObjects'],
              },
              message: {
                type: 'string',
              },
              annotations: {
                type: 'array',
                items: {
                  type: 'string',
                },
              },
            },
            required: ['reason', 'message', 'annotations'],
          },
          clusters: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ClusterDeliveryState',
            },
          },
        },
        required: ['entityRef', 'generatedAt', 'clusters'],
      },
      CanarySummary: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ref: {
            $ref: '#/components/schemas/ObjectRef',
          },
          entityRefs: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          target: {
            type: 'object',
            additionalProperties: false,
            properties: {
              kind: {
                type: 'string',
              },
              name: {
                type: 'string',
              },
            },
            required: ['kind', 'name'],
          },
          progress: {
            $ref: '#/components/schemas/CanaryProgress',
          },
        },
        required: ['ref', 'entityRefs', 'progress'],
      },
      ActionRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
            description:
              'The entity the user acts from; the permission is checked on it, and it must own the object. Without it, the permission is checked on every entity owning the object and any allowing one suffices.',
          },
          withSource: {
            type: 'boolean',
            description: "Reconcile only. Reconcile the object's source first.",
          },
        },
      },
      ActionResponse: {
        type: 'object',
        additionalProperties: false,
        properties: {
          action: {
            type: 'string',
            enum: [
              'approve',
              'halt',
              'rollback',
              'reconcile',
              'suspend',
              'resume',
            ],
          },
          ref: {
            $ref: '#/components/schemas/ObjectRef',
          },
          entityRef: {
            type: 'string',
            description: 'The entity whose permission allowed the action.',
          },
          message: {
            type: 'string',
            description: 'What was done, in words.',
          },
          webhook: {
            type: 'object',
            additionalProperties: false,
            description:
              'Canary actions, the webhook whose gate was opened or closed.',
            properties: {
              name: {
                type: 'string',
              },
              type: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
            required: ['name', 'type', 'url'],
          },
          requestedAt: {
            type: 'string',
            description:
              'Reconcile and resume, the value written to reconcile.fluxcd.io/requestedAt.',
          },
          source: {
            type: 'object',
            additionalProperties: false,
            description:
              'Reconcile with withSource, the source reconciled first.',
            properties: {
              kind: {
                type: 'string',
              },
              namespace: {
                type: 'string',
              },
              name: {
                type: 'string',
              },
            },
            required: ['kind', 'namespace', 'name'],
          },
          suspended: {
            type: 'boolean',
            description: 'Suspend and resume: the new spec.suspend.',
          },
        },
        required: ['action', 'ref', 'entityRef', 'message'],
      },
      RolloutEvent: {
        type: 'object',
        additionalProperties: false,
        properties: {
          type: {
            type: 'string',
            enum: ['Normal', 'Warning'],
          },
          reason: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
          category: {
            type: 'string',
          },
          timestamp: {
            type: 'string',
            format: 'date-time',
          },
          count: {
            type: 'number',
          },
        },
        required: [
          'type',
          'reason',
          'message',
          'category',
          'timestamp',
          'count',
        ],
      },
      RolloutRecord: {
        type: 'object',
        additionalProperties: false,
        description: 'One rollout (canary revision) as the recorder stored it.',
        properties: {
          id: {
            type: 'string',
          },
          cluster: {
            type: 'string',
          },
          namespace: {
            type: 'string',
          },
          canary: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
            description:
              'The entity that owned the canary when the rollout was recorded.',
          },
          revision: {
            type: 'string',
            description: 'status.lastAppliedSpec of the rollout.',
          },
          previousRevision: {
            type: 'string',
            description: 'status.lastPromotedSpec when the rollout started.',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          endedAt: {
            type: 'string',
            format: 'date-time',
          },
          durationMs: {
            type: 'number',
          },
          outcome: {
            type: 'string',
            enum: ['progressing', 'succeeded', 'failed', 'superseded'],
          },
          maxWeight: {
            type: 'number',
            description: 'Highest canary weight reached.',
          },
          failedChecks: {
            type: 'number',
          },
          failureReason: {
            type: 'string',
            description: "From Flagger's events.",
          },
          failure: {
            $ref: '#/components/schemas/RolloutFailure',
          },
          approvedBy: {
            type: 'string',
          },
          approvedAt: {
            type: 'string',
            format: 'date-time',
          },
          rolledBackBy: {
            type: 'string',
          },
          rolledBackAt: {
            type: 'string',
            format: 'date-time',
          },
          events: {
            type: 'array',
            description: "Flagger's events of the rollout, oldest first.",
            items: {
              $ref: '#/components/schemas/RolloutEvent',
            },
          },
          changes: {
            $ref: '#/components/schemas/RolloutChanges',
          },
        },
        required: [
          'id',
          'cluster',
          'namespace',
          'canary',
          'revision',
          'startedAt',
          'outcome',
          'maxWeight',
          'failedChecks',
          'events',
        ],
      },
      RolloutHistoryResponse: {
        type: 'object',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RolloutRecord',
            },
          },
          nextCursor: {
            type: 'string',
            description:
              'Pass as cursor for the next, older page; absent on the last page.',
          },
        },
        required: ['items'],
      },
      RolloutSummary: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
          },
          days: {
            type: 'number',
          },
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          rollouts: {
            type: 'number',
          },
          succeeded: {
            type: 'number',
          },
          failed: {
            type: 'number',
          },
          progressing: {
            type: 'number',
          },
          superseded: {
            type: 'number',
          },
          successRate: {
            type: 'number',
            description:
              'succeeded / (succeeded + failed); absent when none ended.',
          },
          rollbacks: {
            type: 'number',
            description: 'Failed rollouts.',
          },
          manualRollbacks: {
            type: 'number',
            description: 'Rollbacks a user triggered through this plugin.',
          },
          medianTimeToPromoteMs: {
            type: 'number',
          },
        },
        required: [
          'entityRef',
          'days',
          'from',
          'to',
          'rollouts',
          'succeeded',
          'failed',
          'progressing',
          'superseded',
          'rollbacks',
          'manualRollbacks',
        ],
      },
    },
  },
  paths: {
    '/v1/entities/{kind}/{namespace}/{name}': {
      get: {
        operationId: 'GetEntityDeliveryState',
        description:
          "The entity's delivery state per cluster, from memory (no Kubernetes request). Requires progressive-delivery.entity.read on the entity. An entity without annotations gets 200 with an explanation.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The delivery state.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityDeliveryState',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/events': {
      get: {
        operationId: 'StreamEntityDeliveryState',
        description:
          'Server-sent events: an `event: state` message with the full EntityDeliveryState at once and after every change (within a second of the watch event; bursts are coalesced), and heartbeat comments. Permission-checked when the stream opens. 429 (with Retry-After) when the caller already holds progressiveDelivery.streams.perEntityPerUser streams of the entity, 503 when the backend holds progressiveDelivery.streams.max streams.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The event stream.',
            content: {
              'text/event-stream': {
                schema: {
                  type: 'string',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '429': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '503': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/canaries': {
      get: {
        operationId: 'ListCanaries',
        description:
          'Every canary of an entity the caller may read (catalog read and progressive-delivery.entity.read), across clusters.',
        parameters: [
          {
            name: 'cluster',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
            },
          },
          {
            name: 'namespace',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
            },
          },
          {
            name: 'phase',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The canaries.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/CanarySummary',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/clusters': {
      get: {
        operationId: 'ListClusters',
        description:
          "Each cluster's connection and sync status, per watched kind.",
        responses: {
          '200': {
            description: 'The clusters.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ClusterStatus',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/history': {
      get: {
        operationId: 'GetRolloutHistory',
        description:
          "The entity's recorded rollouts, newest first, with their event timelines: those recorded for the entity and those of the canaries it owns now. Requires progressive-delivery.entity.read on the entity.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Page size, 1 to 100, default 20.',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
            },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'The nextCursor of the previous page.',
            schema: {
              type: 'string',
              maxLength: 200,
            },
          },
        ],
        responses: {
          '200': {
            description: 'One page of rollouts.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RolloutHistoryResponse',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/history/summary': {
      get: {
        operationId: 'GetRolloutSummary',
        description:
          "Summary figures of the entity's rollouts started in the last `days` days: rollouts, success rate, rollbacks, median time to promote. Requires progressive-delivery.entity.read on the entity.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'days',
            in: 'query',
            required: false,
            description: 'The window in days, 1 to 3650, default 30.',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 3650,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The summary.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RolloutSummary',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/history/{rolloutId}/analysis': {
      get: {
        operationId: 'GetRolloutAnalysis',
        description:
          "The measured values of each check of one recorded rollout of the entity (canary and primary, oldest first). Requires progressive-delivery.entity.read on the entity; 404 when the rollout is not one of the entity's.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'rolloutId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              pattern: '^[0-9]{1,18}$',
            },
          },
        ],
        responses: {
          '200': {
            description: "The rollout's checks with their points.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RolloutAnalysisResponse',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}': {
      post: {
        operationId: 'RunCanaryAction',
        description:
          "approve opens the gate of the waiting confirm-rollout, confirm-traffic-increase or confirm-promotion webhook (permission progressive-delivery.canary.approve); halt closes the confirm gates again and rollback opens the rollback webhook's gate (permission progressive-delivery.canary.rollback). Gates are flagger-loadtester endpoints, called through the cluster API server's service proxy only, and only when the webhook URL names a Service of the canary's namespace (or of a namespace listed in progressiveDelivery.actions.gateNamespaces) called as a loadtester is (progressiveDelivery.actions.gateServices), on a port that Service declares. The permission is checked on the catalog entity owning the canary; every attempt is audited. 404 unknown cluster, canary or owner; 409 when the canary lacks the webhook, is not waiting, or its webhook URL is refused (the refusal names the URL); 503 when nothing reached the cluster or service; 504 OutcomeUnknownError when the call was sent and no answer came back in time: it may have happened, and the message says what to check.",
        parameters: [
          {
            $ref: '#/components/parameters/cluster',
          },
          {
            $ref: '#/components/parameters/objectNamespace',
          },
          {
            $ref: '#/components/parameters/objectName',
          },
          {
            name: 'action',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: ['approve', 'halt', 'rollback'],
            },
          },
        ],
        requestBody: {
          $ref: '#/components/requestBodies/ActionRequest',
        },
        responses: {
          '200': {
            description: 'The action was carried out.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ActionResponse',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '413': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '503': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '504': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}': {
      post: {
        operationId: 'RunFluxAction',
        description:
          'reconcile sets reconcile.fluxcd.io/requestedAt (with withSource, on the source first; permission progressive-delivery.flux.reconcile; 409 when suspended); suspend and resume set spec.suspend, resume also requests a reconciliation (permission progressive-delivery.flux.suspend). The permission is checked on the catalog entity owning the object; every attempt is audited. 504 OutcomeUnknownError when the patch was sent and no answer came back in time: it may have happened, and the message says what to check.',
        parameters: [
          {
            $ref: '#/components/parameters/cluster',
          },
          {
            $ref: '#/components/parameters/objectNamespace',
          },
          {
            name: 'kind',
            in: 'path',
            required: true,
            description: "The Flux kind's lower-case plural.",
            schema: {
              type: 'string',
              enum: [
                'kustomizations',
                'helmreleases',
                'gitrepositories',
                'ocirepositories',
                'helmrepositories',
              ],
            },
          },
          {
            $ref: '#/components/parameters/objectName',
          },
          {
            name: 'action',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: ['reconcile', 'suspend', 'resume'],
            },
          },
        ],
        requestBody: {
          $ref: '#/components/requestBodies/ActionRequest',
        },
        responses: {
          '200': {
            description: 'The action was carried out.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ActionResponse',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '409': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '413': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '503': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '504': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
