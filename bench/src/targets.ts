import { scaleCanaryName } from '@internal/cluster-simulator';
import { TargetName } from './backendConfig';
import { scaleEntity } from './server/scaleEntities';

/** One entity view as an HTTP request. */
export interface ViewRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What is measured behind one name of the results file. */
export interface TargetDefinition {
  name: TargetName;
  description: string;
  /** The request a UI sends to show "the state of entity X". */
  view(entityIndex: number): ViewRequest;
  /** Whether an answer shows the entity's canary in every cluster. */
  isCorrect(
    status: number,
    body: string,
    entityIndex: number,
    clusters: string[],
  ): boolean;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

interface OurState {
  clusters?: Array<{
    cluster?: string;
    canaries?: Array<{ ref?: { name?: string } }>;
  }>;
}

interface PeerResponse {
  items?: Array<{
    cluster?: { name?: string };
    resources?: Array<{
      type?: string;
      resources?: Array<{ kind?: string; metadata?: { name?: string } }>;
    }>;
  }>;
}

const ours: TargetDefinition = {
  name: 'ours',
  description:
    '@progressive-delivery/plugin-progressive-delivery-backend: GET /api/progressive-delivery/v1/entities/component/default/{name}',
  view: i => ({
    method: 'GET',
    path: `/api/progressive-delivery/v1/entities/component/default/${scaleCanaryName(
      i,
    )}`,
  }),
  isCorrect(status, body, i, clusters) {
    const state = parse(body) as OurState | undefined;
    if (status !== 200 || !state?.clusters) {
      return false;
    }
    const name = scaleCanaryName(i);
    return clusters.every(cluster =>
      state.clusters!.some(
        c =>
          c.cluster === cluster &&
          (c.canaries ?? []).some(k => k.ref?.name === name),
      ),
    );
  },
};

const peer: TargetDefinition = {
  name: 'peer',
  description:
    '@backstage/plugin-kubernetes-backend with customResources: POST /api/kubernetes/services/{name} { entity }, as its entity tab sends it',
  view: i => ({
    method: 'POST',
    path: `/api/kubernetes/services/${scaleCanaryName(i)}`,
    body: JSON.stringify({ entity: scaleEntity(i) }),
  }),
  isCorrect(status, body, i, clusters) {
    const response = parse(body) as PeerResponse | undefined;
    if (status !== 200 || !response?.items) {
      return false;
    }
    const name = scaleCanaryName(i);
    return clusters.every(cluster =>
      response.items!.some(
        item =>
          item.cluster?.name === cluster &&
          (item.resources ?? []).some(
            r =>
              r.type === 'customresources' &&
              (r.resources ?? []).some(
                o => o.kind === 'Canary' && o.metadata?.name === name,
              ),
          ),
      ),
    );
  },
};

const ceiling: TargetDefinition = {
  name: 'ceiling',
  description:
    'a bare endpoint in the same backend (catalog, permissions) answering a fixed body of the same size: GET /api/bench-ceiling/state/{name}',
  view: i => ({
    method: 'GET',
    path: `/api/bench-ceiling/state/${scaleCanaryName(i)}`,
  }),
  isCorrect: status => status === 200,
};

export const TARGETS: Record<TargetName, TargetDefinition> = {
  ours,
  peer,
  ceiling,
};
