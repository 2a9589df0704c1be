/**
 * Progressive Delivery for Backstage: live Flagger canary progress, the Flux chain and Istio
 * routing on the entity page, overview cards and a fleet page. This entry point serves the
 * legacy frontend system; `./alpha` serves the new one.
 *
 * @packageDocumentation
 */

export {
  progressiveDeliveryPlugin,
  ProgressiveDeliveryPage,
  EntityProgressiveDeliveryContent,
  EntityCanaryStatusCard,
  EntityFluxSyncCard,
  ProgressiveDeliveryClusterPickerFieldExtension,
} from './plugin';
export { isProgressiveDeliveryAvailable } from './lib/availability';
export {
  progressiveDeliveryApiRef,
  type ProgressiveDeliveryApi,
  type CanaryListFilter,
  type DeliveryStateObserver,
  type DeliveryStateSubscription,
  type LiveConnectionStatus,
  type RolloutHistoryPage,
} from './api/ProgressiveDeliveryApi';
export {
  type ActionCallOptions,
  type ClusterSignIn,
} from './api/userDelegatedActions';
export {
  ProgressiveDeliveryClient,
  defaultReconnectDelay,
} from './api/ProgressiveDeliveryClient';
export {
  MockProgressiveDeliveryApi,
  type MockActionHandler,
  type MockRolloutAnalysis,
} from './api/MockProgressiveDeliveryApi';
