/**
 * Progressive Delivery backend plugin.
 *
 * @packageDocumentation
 */

export { progressiveDeliveryPlugin as default } from './plugin';
