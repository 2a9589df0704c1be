import { ClusterStatus } from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * A cluster as `GET /v1/clusters` reports it (ClusterStatus in the backend's OpenAPI spec): a
 * synced cluster the backend signs in to with a service account from its config, with
 * `overrides` (state, errors, sign-in) on top.
 */
export function listedCluster(
  name: string,
  overrides: Partial<ClusterStatus> = {},
): ClusterStatus {
  return {
    name,
    url: `https://${name}.example.com:6443`,
    state: 'synced',
    kinds: [
      {
        kind: 'Canary',
        state: 'synced',
        objects: 2,
        lastSyncAt: '2026-01-12T09:00:00Z',
      },
    ],
    errors: [],
    authProvider: 'serviceAccount',
    source: 'config',
    userDelegatedActions: false,
    ...overrides,
  };
}

/** A cluster whose actions run with the user's own AKS token (declared in the catalog). */
export const aksCluster = (name: string) =>
  listedCluster(name, {
    authProvider: 'aks',
    source: 'catalog',
    userDelegatedActions: true,
  });

/** A cluster the backend cannot reach, as the watchers report it. */
export const unreachableCluster = (name: string) =>
  listedCluster(name, {
    state: 'error',
    kinds: [],
    errors: [
      {
        errorType: 'UNREACHABLE',
        message: `connect ECONNREFUSED ${name}.example.com:6443`,
      },
    ],
  });
