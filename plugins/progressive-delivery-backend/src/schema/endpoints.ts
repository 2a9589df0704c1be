import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  CanaryListResponse,
  ClusterListResponse,
  EntityDeliveryState,
  FluxActionKind,
  FluxActionName,
  RolloutHistoryResponse,
  RolloutSummary,
} from '@internal/plugin-progressive-delivery-common';

type EntityPath = { kind: string; namespace: string; name: string };
type ObjectPath = { cluster: string; namespace: string; name: string };

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
  '#get|/v1/entities/{kind}/{namespace}/{name}/history': {
    path: EntityPath;
    query: { limit?: number; cursor?: string };
    response: RolloutHistoryResponse;
  };
  '#get|/v1/entities/{kind}/{namespace}/{name}/history/summary': {
    path: EntityPath;
    query: { days?: number };
    response: RolloutSummary;
  };
  '#post|/v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}': {
    path: ObjectPath & { action: CanaryActionName };
    body: ActionRequest;
    response: ActionResponse;
  };
  '#post|/v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}': {
    path: ObjectPath & { kind: FluxActionKind; action: FluxActionName };
    body: ActionRequest;
    response: ActionResponse;
  };
};
