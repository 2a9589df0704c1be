import {
  CanaryListResponse,
  ClusterListResponse,
  EntityDeliveryState,
} from '@internal/plugin-progressive-delivery-common';

type EntityPath = { kind: string; namespace: string; name: string };

/**
 * The operations of `openapi.yaml` with their TypeScript types, for the typed router.
 */
export type EndpointMap = {
  '#get|/v1/entities/{kind}/{namespace}/{name}': {
    path: EntityPath;
    response: EntityDeliveryState;
  };
  '#get|/v1/entities/{kind}/{namespace}/{name}/events': {
    path: EntityPath;
    response: string;
  };
  '#get|/v1/canaries': {
    query: { cluster?: string; namespace?: string; phase?: string };
    response: CanaryListResponse;
  };
  '#get|/v1/clusters': {
    response: ClusterListResponse;
  };
};
