/**
 * Progressive Delivery backend plugin.
 *
 * @packageDocumentation
 */

export { progressiveDeliveryPlugin as default } from './plugin';
export {
  progressiveDeliveryClusterAuthExtensionPoint,
  type ProgressiveDeliveryClusterAuthExtensionPoint,
} from './clusters/extensionPoint';
